import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { t } from '../../src/i18n';
import { type BotHarness, startBot, textOf } from '../support/bot-harness';
import { dumpRedis } from '../support/redis-dump';

/** The names Object.prototype answers to: a dictionary read with `map[word]` finds them all. */
const PROTOTYPE_WORDS = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];

/**
 * Found by the fuzz test: « constructor » in a message made the SMS dictionary return Object's
 * constructor, and every such turn failed (« Une erreur est survenue de mon côté »).
 */
describe('words that are Object.prototype keys, typed in the chat', function () {
  this.timeout(30_000);
  let bot: BotHarness;

  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot?.close();
  });

  for (const word of PROTOTYPE_WORDS) {
    it(`« ${word} » gets an ordinary answer, not a failed turn`, async () => {
      const chat = bot.conversation('webchat');
      for (const text of [word, `c quand la date limite ${word} ?`, `${word} décembre`]) {
        const reply = textOf(await chat.say(text));
        assert.ok(reply.length > 0, `an answer to « ${text} »`);
        assert.ok(!reply.includes(t('bot.errors.internal')), `« ${text} » failed the turn: ${reply}`);
      }
    });
  }

  it('a NUMEN under « __proto__ » or « constructor » keys of a card value is masked, and stored nowhere', async () => {
    const chat = bot.conversation('msteams');
    await chat.join();
    const numen = '12 AB 345 678 QRS';
    // Raw JSON: JSON.parse makes these own keys, as any body parser would.
    const body = JSON.stringify({
      type: 'message',
      id: `proto-${Date.now()}`,
      channelId: 'msteams',
      serviceUrl: bot.connector.serviceUrl,
      conversation: { id: chat.id },
      from: chat.user,
      recipient: { id: 'assistant-electeur' },
      deliveryMode: 'expectReplies',
      value: { KEY1: `mon numen ${numen}`, nested: { KEY2: `numen ${numen}` }, KEY3: { note: numen } },
    })
      .replace('"KEY1"', '"__proto__"')
      .replace('"KEY2"', '"constructor"')
      .replace('"KEY3"', '"__proto__x"');
    const response = await bot.post(body);
    assert.equal(response.status, 200);
    const reply = await response.text();
    assert.match(reply, /Ne le tapez jamais dans cette conversation/);
    assert.ok(!reply.includes('345 678'), 'not echoed');
    const dump = await dumpRedis(bot.redis.redis, await bot.redis.keys());
    assert.ok(dump.length > 100, 'the dump read the keys');
    assert.ok(!dump.includes('345 678'), 'the NUMEN is nowhere in Redis');
  });
});
