import { z } from 'zod';
import { INTENTS, type Intent, isIntent } from './intents';
import { normaliseText } from './normalise';

/**
 * The phrases the recognizer learns from: `{ "<intent>": ["phrase", …] }`. They are written by the team
 * (locales/fr/training.json), never taken from the dev corpus, which only measures.
 */
export type TrainingSet = Readonly<Partial<Record<Intent, readonly string[]>>>;

const phrases = z.array(z.string().trim().min(1, 'phrase vide')).min(1, 'aucune phrase');

const schema = z.record(z.string(), phrases).superRefine((value, ctx) => {
  for (const key of Object.keys(value))
    if (!isIntent(key))
      ctx.addIssue({ code: 'custom', path: [key], message: `intention inconnue « ${key} »` });
  // One phrase under two intents teaches the model a contradiction: refuse it rather than average it.
  const owner = new Map<string, string>();
  for (const [intent, list] of Object.entries(value))
    for (const phrase of list) {
      const folded = normaliseText(phrase);
      const first = owner.get(folded);
      if (first !== undefined && first !== intent)
        ctx.addIssue({
          code: 'custom',
          path: [intent],
          message: `« ${phrase} » est aussi une phrase de ${first}`,
        });
      owner.set(folded, intent);
    }
});

/** Validates a training set; `complete` also requires every intent of INTENTS (the shipped file). */
export function parseTrainingSet(data: unknown, options: { complete?: boolean } = {}): TrainingSet {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(racine)'} : ${i.message}`);
    throw new Error(`Phrases d'entraînement invalides : ${detail.join(' ; ')}`);
  }
  if (options.complete) {
    const missing = INTENTS.filter((intent) => !(intent in parsed.data));
    if (missing.length > 0)
      throw new Error(`Phrases d'entraînement invalides : intentions sans phrases : ${missing.join(', ')}`);
  }
  return parsed.data as TrainingSet;
}
