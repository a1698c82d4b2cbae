import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { evaluate } from '../../../src/domain/understanding/evaluation';
import { readLabelledTsv } from '../../../src/infra/files/labelled-tsv';
import { itWithShared } from '../../support/shared';
import { DEV_CORPUS, recognizer, UNSEEN } from './support';

/** The figures themselves, per intent and with the confusions: `npm run eval:nlu`. */
function summary(e: ReturnType<typeof evaluate>): string {
  const misread = e.misread.map((m) => `  ${m.expected} → ${m.got}: « ${m.text} »`).join('\n');
  return `${(100 * e.accuracy).toFixed(1)} % (${e.correct}/${e.total})\n${misread}`;
}

describe('understanding: accuracy', () => {
  // The acceptance figure: pending, and saying so, only where ../shared is absent (a user's clone).
  itWithShared('reaches 95 % on the dev corpus (../shared/corpus/utterances-dev.tsv)', DEV_CORPUS, () => {
    assert.ok(fs.existsSync(DEV_CORPUS), `corpus introuvable : ${DEV_CORPUS}`);
    const corpus = readLabelledTsv(DEV_CORPUS);
    assert.ok(corpus.length >= 50, `${corpus.length} phrases`);
    const e = evaluate(recognizer(), corpus);
    assert.ok(e.accuracy >= 0.95, summary(e));
  });

  it('keeps the same quality on phrasings it has never seen (test/fixtures/nlu-unseen.tsv)', () => {
    const unseen = readLabelledTsv(UNSEEN);
    assert.ok(unseen.length >= 150, `${unseen.length} phrases`);
    const e = evaluate(recognizer(), unseen);
    // Target 95 % (measured 96.4 % when written); the test fails below 93 % so that one new phrase of
    // training does not break the build, while a real regression does.
    assert.ok(e.accuracy >= 0.93, summary(e));
    assert.ok(
      e.notConfidentShare <= 0.15,
      `clarifying questions: ${(100 * e.notConfidentShare).toFixed(1)} %`,
    );
  });

  it('holds its level on the fresh unseen set of issue 14 (test/fixtures/nlu-fresh.tsv)', () => {
    const fresh = readLabelledTsv(path.join(path.dirname(UNSEEN), 'nlu-fresh.tsv'));
    assert.ok(fresh.length >= 350, `${fresh.length} phrases`);
    const e = evaluate(recognizer(), fresh);
    // Measured 93.9 % (82.2 % before the widening); a margin of one or two phrasings. The failure shows the
    // figure and the confusion counts only: the set's phrases are never printed (nlu-fresh.README.md).
    const counts = new Map<string, number>();
    for (const m of e.misread)
      counts.set(`${m.expected} → ${m.got}`, (counts.get(`${m.expected} → ${m.got}`) ?? 0) + 1);
    const detail = [...counts].map(([pair, n]) => `  ${pair} × ${n}`).join('\n');
    assert.ok(e.accuracy >= 0.93, `${(100 * e.accuracy).toFixed(1)} % (${e.correct}/${e.total})\n${detail}`);
  });
});
