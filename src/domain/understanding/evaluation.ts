import type { Intent } from './intents';
import type { Recognizer } from './recognizer';

/**
 * Measuring the recognizer on labelled phrasings (`text<TAB>intent`, with that header): shared by
 * `npm run eval:nlu` and the accuracy tests, so that both report the same figures.
 */

export interface LabelledPhrase {
  readonly text: string;
  readonly intent: Intent;
}

export interface Misread {
  readonly expected: Intent;
  readonly got: Intent;
  /** The NUMEN-masked text. */
  readonly text: string;
  readonly score: number;
}

export interface IntentStats {
  readonly intent: Intent;
  readonly precision: number;
  readonly recall: number;
  readonly support: number;
}

export interface Evaluation {
  readonly total: number;
  readonly correct: number;
  readonly accuracy: number;
  /** Share of messages that would get a clarifying question instead of an answer. */
  readonly notConfidentShare: number;
  /** Accuracy of the answers given with confidence: what the teacher actually sees. */
  readonly confidentAccuracy: number;
  readonly perIntent: IntentStats[];
  readonly misread: Misread[];
}

export function evaluate(recognizer: Recognizer, phrases: readonly LabelledPhrase[]): Evaluation {
  const predicted = new Map<Intent, number>();
  const truePositive = new Map<Intent, number>();
  const support = new Map<Intent, number>();
  const misread: Misread[] = [];
  let correct = 0;
  let notConfident = 0;
  let confidentCorrect = 0;
  for (const phrase of phrases) {
    const r = recognizer.recognize(phrase.text);
    support.set(phrase.intent, (support.get(phrase.intent) ?? 0) + 1);
    predicted.set(r.top, (predicted.get(r.top) ?? 0) + 1);
    if (!r.confident) notConfident += 1;
    if (r.top === phrase.intent) {
      correct += 1;
      if (r.confident) confidentCorrect += 1;
      truePositive.set(r.top, (truePositive.get(r.top) ?? 0) + 1);
    } else misread.push({ expected: phrase.intent, got: r.top, text: r.text, score: r.score });
  }
  const perIntent = recognizer.intents
    .filter((intent) => (support.get(intent) ?? 0) > 0 || (predicted.get(intent) ?? 0) > 0)
    .map((intent) => {
      const tp = truePositive.get(intent) ?? 0;
      const p = predicted.get(intent) ?? 0;
      const s = support.get(intent) ?? 0;
      return { intent, precision: p === 0 ? 1 : tp / p, recall: s === 0 ? 1 : tp / s, support: s };
    });
  const total = phrases.length;
  const confident = total - notConfident;
  return {
    total,
    correct,
    accuracy: total === 0 ? 0 : correct / total,
    notConfidentShare: total === 0 ? 0 : notConfident / total,
    confidentAccuracy: confident === 0 ? 0 : confidentCorrect / confident,
    perIntent,
    misread,
  };
}
