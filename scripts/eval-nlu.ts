import fs from 'node:fs';
import path from 'node:path';
import { findPlace } from '../src/domain/calendar/places';
import { type Evaluation, evaluate } from '../src/domain/understanding/evaluation';
import type { Intent } from '../src/domain/understanding/intents';
import { createRecognizer, type Recognizer } from '../src/domain/understanding/recognizer';
import type { TrainingSet } from '../src/domain/understanding/training';
import { readLabelledTsv } from '../src/infra/files/labelled-tsv';
import { loadTrainingSet } from '../src/infra/files/training-file';

/**
 * `npm run eval:nlu [-- <dev corpus path>] [-- --tune]`: a report, so it always exits 0.
 *
 * Measures the recognizer on the dev corpus (default ../shared/corpus/utterances-dev.tsv) and on the
 * team's own never-seen phrasings (test/fixtures/nlu-unseen.tsv). `--tune` adds a 5-fold
 * cross-validation on the training phrases only, to choose the confidence threshold and margin.
 */

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const tune = args.includes('--tune');
const devArg = args.find((a) => !a.startsWith('--'));
const devPath = devArg
  ? path.resolve(process.cwd(), devArg)
  : path.resolve(ROOT, '..', 'shared', 'corpus', 'utterances-dev.tsv');
const unseenPath = path.join(ROOT, 'test', 'fixtures', 'nlu-unseen.tsv');
/** Written for issue 14 before the training data was widened, by someone who never read it (its README). */
const freshPath = path.join(ROOT, 'test', 'fixtures', 'nlu-fresh.tsv');

// `npm run eval:nlu | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/**
 * `hideTexts`: the confusions are counted but their phrases not printed — a held-out set must not show its
 * phrases to whoever widens the training data, or it stops being unseen.
 */
function report(title: string, file: string, recognizer: Recognizer, hideTexts = false): void {
  out(`\n=== ${title} — ${path.relative(process.cwd(), file)} ===`);
  if (!fs.existsSync(file)) {
    out(`introuvable : ${file}`);
    return;
  }
  const e: Evaluation = evaluate(recognizer, readLabelledTsv(file));
  out(`exactitude : ${pct(e.accuracy)} (${e.correct}/${e.total})`);
  out(`réponses non confiantes (question de clarification) : ${pct(e.notConfidentShare)}`);
  out(`exactitude des réponses confiantes : ${pct(e.confidentAccuracy)}`);
  out('\nintention                 précision  rappel  effectif');
  for (const s of e.perIntent)
    out(
      `${s.intent.padEnd(24)}  ${pct(s.precision).padStart(8)}  ${pct(s.recall).padStart(7)}  ${String(s.support).padStart(7)}`,
    );
  const pairs = new Map<string, string[]>();
  for (const m of e.misread) {
    const key = `${m.expected} → ${m.got}`;
    pairs.set(key, [...(pairs.get(key) ?? []), `« ${m.text} » (${m.score.toFixed(2)})`]);
  }
  out('\nconfusions (attendu → obtenu) :');
  if (pairs.size === 0) out('  aucune');
  for (const [key, texts] of [...pairs].sort((a, b) => b[1].length - a[1].length)) {
    out(`  ${key} × ${texts.length}`);
    if (!hideTexts) for (const t of texts) out(`      ${t}`);
  }
}

function timings(recognizer: Recognizer, texts: readonly string[]): void {
  const rounds = 50;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r += 1) for (const t of texts) recognizer.recognize(t);
  const perMessage = Number(process.hrtime.bigint() - start) / 1e6 / (rounds * texts.length);
  out(
    `reconnaissance : ${(perMessage * 1000).toFixed(1)} µs par message (moyenne sur ${rounds * texts.length})`,
  );
  // The place search runs on every message too (the bot reads each one before the dialogs).
  const placesStart = process.hrtime.bigint();
  for (let r = 0; r < rounds; r += 1) for (const t of texts) findPlace(t);
  const perPlace = Number(process.hrtime.bigint() - placesStart) / 1e6 / (rounds * texts.length);
  out(
    `recherche de lieu : ${(perPlace * 1000).toFixed(1)} µs par message (moyenne sur ${rounds * texts.length})`,
  );
}

/** 5-fold cross-validation on the training phrases: every phrase is scored by a model that never saw it. */
function crossValidate(training: TrainingSet, table: boolean): void {
  const folds = 5;
  const scored: Array<{ expected: Intent; ranked: Array<{ intent: Intent; score: number }> }> = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const train: Partial<Record<Intent, string[]>> = {};
    const held: Array<{ text: string; intent: Intent }> = [];
    for (const [intent, phrases] of Object.entries(training) as Array<[Intent, readonly string[]]>)
      phrases.forEach((text, i) => {
        if (i % folds === fold) held.push({ text, intent });
        else train[intent] = [...(train[intent] ?? []), text];
      });
    const recognizer = createRecognizer(train);
    for (const h of held) scored.push({ expected: h.intent, ranked: recognizer.recognize(h.text).intents });
  }
  const correct = scored.filter((s) => s.ranked[0]?.intent === s.expected).length;
  out(`\n=== validation croisée (${folds} plis) sur locales/fr/training.json ===`);
  out(`exactitude : ${pct(correct / scored.length)} (${correct}/${scored.length})`);
  if (!table) return;
  out('\nseuil  marge  non confiantes  erreurs parmi les confiantes  erreurs dans la tranche');
  // « tranche »: the answers that this threshold turns into questions compared with the previous one.
  // Where they are wrong about half the time, a clarifying question is worth more than a guess.
  for (const margin of [0, 0.05, 0.1, 0.15, 0.2]) {
    let previous: { unsure: number; wrong: number } | undefined;
    for (const threshold of [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7]) {
      let unsure = 0;
      let wrong = 0;
      for (const s of scored) {
        const [first, second] = s.ranked;
        const sure = (first?.score ?? 0) >= threshold && (first?.score ?? 0) - (second?.score ?? 0) >= margin;
        if (!sure) unsure += 1;
        else if (first?.intent !== s.expected) wrong += 1;
      }
      const confident = scored.length - unsure;
      const band = previous ? unsure - previous.unsure : 0;
      const bandWrong = previous ? previous.wrong - wrong : 0;
      out(
        `${threshold.toFixed(2).padStart(5)}  ${margin.toFixed(2).padStart(5)}  ${pct(unsure / scored.length).padStart(14)}  ${pct(confident === 0 ? 0 : wrong / confident).padStart(27)}  ${band === 0 ? '' : `${bandWrong}/${band}`.padStart(10)}`,
      );
      previous = { unsure, wrong };
    }
  }
}

function main(): void {
  const training = loadTrainingSet();
  const phrases = Object.values(training).reduce((n, list) => n + (list?.length ?? 0), 0);
  const start = process.hrtime.bigint();
  const recognizer = createRecognizer(training);
  const trainMs = Number(process.hrtime.bigint() - start) / 1e6;
  out(
    `entraînement : ${trainMs.toFixed(0)} ms pour ${phrases} phrases, ${recognizer.intents.length} intentions`,
  );

  report('corpus de développement', devPath, recognizer);
  report('phrases jamais vues', unseenPath, recognizer);
  report('nouvel ensemble jamais vu (issue 14, écrit avant l’élargissement)', freshPath, recognizer, true);

  const texts = [devPath, unseenPath, freshPath]
    .filter((f) => fs.existsSync(f))
    .flatMap((f) => readLabelledTsv(f).map((p) => p.text));
  out();
  timings(recognizer, texts);
  // The cross-validation figure stands beside the unseen sets: a high one with a low unseen one means the
  // training phrases resemble each other more than they resemble teachers.
  crossValidate(training, tune);
}

main();
