import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';
import { dumpRedis } from '../support/redis-dump';

describe('hostile activity fields', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot.close();
  });

  const activity = (extra: Record<string, unknown>) => ({
    type: 'message',
    text: 'bonjour',
    channelId: 'webchat',
    serviceUrl: bot.connector.serviceUrl,
    conversation: { id: 'conv-hostile' },
    from: { id: 'user-hostile' },
    deliveryMode: 'expectReplies',
    ...extra,
  });

  for (const [name, extra] of [
    ['entities that are not an array', { entities: { a: 1 } }],
    ['an entity without type', { entities: [{ timezone: 'Europe/Paris' }] }],
    ['attachments that are not an array', { attachments: 'x' }],
  ] as const) {
    it(`answers ${name} with a French 400, not a failed turn`, async () => {
      const response = await bot.post(activity(extra));
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'BAD_REQUEST');
      assert.match(body.error.message, /mal formée/);
    });
  }

  it('masks a NUMEN nested deep in a card value, and warns', async () => {
    const chat = bot.conversation('msteams');
    const replies = await chat.submit({ action: { data: { note: 'mon numen 12 AB 123 456 XYZ' } } });
    assert.match(textOf(replies), /Ne le tapez jamais dans cette conversation/);
    const dump = await dumpRedis(bot.redis.redis, await bot.redis.keys());
    assert.ok(dump.length > 100, 'the dump read the keys');
    assert.ok(!dump.includes('123 456 XYZ'), 'the NUMEN is nowhere in Redis');
  });
});
