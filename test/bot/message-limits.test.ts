import assert from 'node:assert/strict';
import { type Activity, TestAdapter } from 'botbuilder';
import { describe, it } from 'mocha';
import { exceedsLimits, messageLimitsMiddleware } from '../../src/bot/middleware/message-limits';
import { t } from '../../src/i18n';

const CAP = 100;
const long = 'x'.repeat(CAP + 1);
const atCap = 'x'.repeat(CAP);

/** A turn through the cap: what the bot answered, and whether the logic behind it ran. */
async function turn(activity: Partial<Activity>): Promise<{ reached: boolean; replies: string[] }> {
  let reached = false;
  const adapter = new TestAdapter(async (context) => {
    reached = true;
    await context.sendActivity('suite');
  }).use(messageLimitsMiddleware(CAP));
  await adapter.processActivity(activity);
  const replies = adapter.activeQueue.map((a) => a.text ?? '');
  return { reached, replies };
}

describe('message limits middleware: one cap for every activity type', () => {
  const tooLong: Array<[string, Partial<Activity>]> = [
    ['a message text', { type: 'message', text: long }],
    ['an event text (the page’s passwordEntered)', { type: 'event', name: 'passwordEntered', text: long }],
    ['an event name', { type: 'event', name: long }],
    [
      'an invoke value, nested (Teams Action.Execute)',
      { type: 'invoke', value: { action: { data: { x: long } } } },
    ],
    ['a card value string', { type: 'message', value: { password: long } }],
    ['a string deep in arrays', { type: 'message', value: [[[{ a: [long] }]]] }],
    ['a key of the value', { type: 'message', value: { [long]: 1 } }],
    ['a conversation update text', { type: 'conversationUpdate', text: long }],
    [
      'many short strings, more than twice the cap in all',
      { type: 'message', value: { a: atCap, b: atCap, c: 'x' } },
    ],
  ];
  for (const [what, activity] of tooLong) {
    it(`refuses ${what} in French, and the turn goes no further`, async () => {
      const { reached, replies } = await turn(activity);
      assert.equal(reached, false);
      assert.deepEqual(replies, [t('bot.tooLong')]);
    });
  }

  const fine: Array<[string, Partial<Activity>]> = [
    ['a text at the cap', { type: 'message', text: atCap }],
    ['a card value with strings at the cap', { type: 'message', value: { password: atCap, note: 'x' } }],
    ['an event with a short value', { type: 'event', name: 'passwordEntered', value: { entryId: 'abc' } }],
    [
      'a Teams message whose text/html copy is longer than the cap',
      {
        type: 'message',
        text: atCap,
        attachments: [
          { contentType: 'text/html', content: `<p><strong>${atCap}</strong>&nbsp;${atCap}</p>` },
        ],
      },
    ],
    [
      'a value with null, numbers and booleans',
      { type: 'message', value: { a: null, b: 1, c: [true, false] } },
    ],
  ];
  for (const [what, activity] of fine) {
    it(`lets ${what} through`, async () => {
      const { reached, replies } = await turn(activity);
      assert.equal(reached, true);
      assert.deepEqual(replies, ['suite']);
    });
  }

  it('walks a value far deeper than a stack would allow, without throwing', () => {
    let deep: unknown = long;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    assert.equal(exceedsLimits({ type: 'message', value: deep }, CAP), true);
    let shallow: unknown = 'x';
    for (let i = 0; i < 100_000; i += 1) shallow = { a: shallow };
    assert.equal(exceedsLimits({ type: 'message', value: shallow }, CAP), true, 'the walk counts nodes');
  });
});
