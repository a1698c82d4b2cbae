import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { incomingActivitySchema, MAX_TEXT_LENGTH } from '../../src/http/activity-schema';

const activity = (text: string) => ({
  type: 'message',
  channelId: 'webchat',
  serviceUrl: 'http://127.0.0.1:9/',
  conversation: { id: 'c' },
  text,
});

describe('incoming activity schema: the text ceiling', () => {
  it('takes a text up to MAX_TEXT_LENGTH (32,000), for the bot to answer « trop long » itself', () => {
    assert.equal(MAX_TEXT_LENGTH, 32_000);
    assert.equal(incomingActivitySchema.safeParse(activity('a'.repeat(MAX_TEXT_LENGTH))).success, true);
  });

  it('refuses a longer text outright: a 100 KB text never reaches a turn', () => {
    for (const length of [MAX_TEXT_LENGTH + 1, 100_000]) {
      const parsed = incomingActivitySchema.safeParse(activity('a'.repeat(length)));
      assert.equal(parsed.success, false);
      assert.deepEqual(
        parsed.error?.issues.map((i) => i.path.join('.')),
        ['text'],
      );
    }
  });
});
