import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { bounded, boundedJson, MAX_LINE_BYTES } from '../../../src/domain/transcripts/lines';
import type { TranscriptLine } from '../../../src/domain/transcripts/ports';

describe('boundedJson: a line as the stores write it', () => {
  const line = (text: string): TranscriptLine => ({
    type: 'message',
    at: '2014-11-20T08:00:00.000Z',
    role: 'user',
    text,
  });

  it('is the line’s own JSON when it fits', () => {
    const short = line('Quand a lieu le vote ?');
    assert.equal(boundedJson(short), JSON.stringify(short));
  });

  it('is the bounded line’s JSON, within MAX_LINE_BYTES, when it does not', () => {
    const long = line('é'.repeat(MAX_LINE_BYTES));
    const json = boundedJson(long);
    assert.equal(json, JSON.stringify(bounded(long)));
    assert.ok(Buffer.byteLength(json, 'utf8') <= MAX_LINE_BYTES);
    assert.equal((JSON.parse(json) as TranscriptLine).truncated, true);
  });
});
