import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { after, before, describe, it } from 'mocha';
import type { RedisStorage } from '../../src/infra/redis/storage';
import { type BotHarness, textOf } from '../support/bot-harness';
import { type FaultBot, startFaultBot } from '../support/fault-bot';
import { passwordCard, type RoamingConversation, roamingConversation } from '../support/fault-chat';
import { eventually } from '../support/poll';
import { storeProblems } from '../support/store-invariants';
import { SENT, walkToPassword } from '../support/walk';

const PASSWORD = 'Electeur2014';

/**
 * A channel that did not get our HTTP answer in time posts the same activity again (same id). The turn
 * must run once: one reply set, the state advanced once, one account request, one mail.
 */
describe('fault: the same activity delivered twice (channel retry)', function () {
  this.timeout(60_000);
  let bot: BotHarness;
  let client: Redis;
  let storage: RedisStorage;
  let crashes: unknown[];
  let fault: FaultBot;

  before(async () => {
    fault = await startFaultBot();
    ({ bot, client, crashes } = fault);
    storage = fault.storage;
  });
  after(async () => fault?.close());

  const state = async (chat: RoamingConversation) => (await storage.read([chat.stateKey]))[chat.stateKey];
  const mailsTo = (address: string) => bot.smtp.messages.filter((m) => m.to.includes(address)).length;
  const drained = async () => {
    assert.ok(
      await eventually(
        async () => (await storeProblems(client, bot.redis.prefix)).snapshot.queued === 0,
        10_000,
      ),
      'the outbox did not drain',
    );
  };

  it('answers a retried activity once: one reply set, state written once, one account and one mail', async () => {
    const address = 'paul.leroy@ac-paris.fr';
    const chat = roamingConversation(bot.connector.serviceUrl);
    await walkToPassword(chat.on(bot.url), address);
    const submit = chat.activity({ type: 'message', value: passwordCard(PASSWORD) });

    const first = await chat.post(bot.url, submit);
    assert.equal(first.status, 200);
    assert.match(textOf(first.replies), SENT);
    const written = await state(chat);
    assert.ok(written?.eTag, 'the turn saved the state');

    const retry = await chat.post(bot.url, submit);
    assert.equal(retry.status, 200, 'the channel must not retry again');
    assert.deepEqual(retry.replies, [], 'no second reply set');
    assert.deepEqual(await state(chat), written, 'the retry wrote nothing (same eTag)');

    await bot.smtp.waitForMessages(1, 10_000);
    await drained();
    const { problems, snapshot } = await storeProblems(client, bot.redis.prefix);
    assert.deepEqual(problems, []);
    assert.equal(snapshot.tokens.size, 1, 'a second request would have replaced the token');
    assert.equal(mailsTo(address), 1);

    // The conversation goes on after the retry.
    assert.match(textOf(await chat.say(bot.url, 'aide')), /À tout moment/);
    assert.deepEqual(crashes, []);
  });

  it('runs one turn when retries of one activity race each other', async () => {
    const address = 'lucie.moreau@ac-paris.fr';
    const chat = roamingConversation(bot.connector.serviceUrl);
    await walkToPassword(chat.on(bot.url), address);
    const tokensBefore = (await storeProblems(client, bot.redis.prefix)).snapshot.tokens.size;
    const submit = chat.activity({ type: 'message', value: passwordCard(PASSWORD) });

    const deliveries = await Promise.all([1, 2, 3, 4].map(() => chat.post(bot.url, submit)));
    assert.deepEqual(
      deliveries.map((d) => d.status),
      [200, 200, 200, 200],
    );
    const answered = deliveries.filter((d) => d.replies.length > 0);
    assert.equal(answered.length, 1, 'exactly one reply set');
    assert.match(textOf(answered[0]?.replies ?? []), SENT);

    await bot.smtp.waitForMessages(2, 10_000);
    await drained();
    const { problems, snapshot } = await storeProblems(client, bot.redis.prefix);
    assert.deepEqual(problems, []);
    assert.equal(snapshot.tokens.size, tokensBefore + 1, 'one account request');
    assert.equal(snapshot.accounts.get(address)?.status, 'pending');
    assert.equal(mailsTo(address), 1);
    assert.deepEqual(crashes, []);
  });

  it('drops the retry of an ordinary step too: the step advances once', async () => {
    const roaming = roamingConversation(bot.connector.serviceUrl);
    await roaming.join(bot.url);
    const create = roaming.activity({ type: 'message', text: 'Créer mon compte électeur' });
    const [a, b] = await Promise.all([roaming.post(bot.url, create), roaming.post(bot.url, create)]);
    const texts = [textOf(a?.replies ?? []), textOf(b?.replies ?? [])].filter(Boolean);
    assert.equal(texts.length, 1);
    assert.match(texts[0] ?? '', /Avez-vous déjà activé/);
    const saved = await state(roaming);
    assert.deepEqual((await roaming.post(bot.url, create)).replies, []);
    assert.deepEqual(await state(roaming), saved);
    // One step further, not two: the webmail question is still the one waiting.
    assert.match(textOf(await roaming.say(bot.url, 'oui')), /adresse de messagerie professionnelle/);
  });
});
