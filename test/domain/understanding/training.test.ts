import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isClassToken, tokenize } from '../../../src/domain/understanding/features';
import { INTENTS } from '../../../src/domain/understanding/intents';
import { parseTrainingSet } from '../../../src/domain/understanding/training';
import { readLabelledTsv } from '../../../src/infra/files/labelled-tsv';
import { loadTrainingSet } from '../../../src/infra/files/training-file';
import { itWithShared } from '../../support/shared';
import { DEV_CORPUS, UNSEEN } from './support';

const words = (text: string) => new Set(tokenize(text).filter((t) => !isClassToken(t) && t !== '?'));
function jaccard(a: Set<string>, b: Set<string>): number {
  let common = 0;
  for (const w of a) if (b.has(w)) common += 1;
  return common / (a.size + b.size - common || 1);
}

describe('understanding: training phrases (locales/fr/training.json)', () => {
  const training = loadTrainingSet();
  const phrases = INTENTS.flatMap((intent) => (training[intent] ?? []).map((text) => ({ text, intent })));

  it('has at least 30 phrases for every intent, more for the confusable ones', () => {
    for (const intent of INTENTS)
      assert.ok((training[intent]?.length ?? 0) >= 30, `${intent}: ${training[intent]?.length}`);
    for (const intent of ['ask_now_status', 'ask_deadline_account', 'webmail_help', 'off_topic'] as const)
      assert.ok((training[intent]?.length ?? 0) >= 50, intent);
  });

  it('refuses an unknown intent, an empty phrase, a missing intent, and one phrase under two intents', () => {
    assert.throws(() => parseTrainingSet({ greeting: ['bonjour'], guess: ['?'] }), /inconnue « guess »/);
    assert.throws(() => parseTrainingSet({ greeting: ['  '] }), /vide/);
    assert.throws(() => parseTrainingSet({ greeting: [] }), /aucune phrase/);
    assert.throws(() => parseTrainingSet({ greeting: 'bonjour' }));
    assert.throws(() => parseTrainingSet({ greeting: ['bonjour'] }, { complete: true }), /sans phrases/);
    assert.throws(
      () => parseTrainingSet({ greeting: ['Bonjour !'], smalltalk: ['bonjour'] }),
      /aussi une phrase/,
    );
    assert.deepEqual(parseTrainingSet({ greeting: ['bonjour'] }), { greeting: ['bonjour'] });
  });

  it('reads a file and reports which one is wrong', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nlu-')), 'training.json');
    fs.writeFileSync(file, JSON.stringify({ greeting: ['bonjour'], unknown: ['x'] }));
    assert.throws(() => loadTrainingSet(file), /unknown/);
  });

  itWithShared('holds no sentence of the dev corpus, nor a near-copy of one', DEV_CORPUS, () => {
    // The dev corpus measures; it must not teach. Short phrases (« bonjour ») are bound to share words.
    const folded = (text: string) => tokenize(text).join(' ');
    const dev = readLabelledTsv(DEV_CORPUS).map((d) => ({
      ...d,
      words: words(d.text),
      folded: folded(d.text),
    }));
    const copies = phrases.flatMap((p) => {
      const mine = words(p.text);
      const same = folded(p.text);
      return dev
        .filter((d) => d.folded === same || (mine.size >= 3 && jaccard(mine, d.words) >= 0.75))
        .map((d) => `${p.text} ≈ ${d.text}`);
    });
    assert.deepEqual(copies, []);
  });

  it('shares no phrasing with the never-seen set', () => {
    const mine = new Set(phrases.map((p) => tokenize(p.text).join(' ')));
    const shared = readLabelledTsv(UNSEEN).filter((u) => mine.has(tokenize(u.text).join(' ')));
    assert.deepEqual(shared, []);
  });
});
