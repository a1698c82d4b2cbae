import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { after, before, describe, it } from 'mocha';
import sinon from 'sinon';
import { t } from '../../src/i18n';
import { createRedisClient } from '../../src/infra/redis/client';
import type { RedisStorage } from '../../src/infra/redis/storage';
import { RedisTurnGuard } from '../../src/infra/redis/turn-guard';
import { silentLogger } from '../../src/log';
import { type BotHarness, confirmByLink, linkIn, textOf } from '../support/bot-harness';
import { type FaultBot, startFaultBot } from '../support/fault-bot';
import { passwordCard, type RoamingConversation, roamingConversation } from '../support/fault-chat';
import { eventually } from '../support/poll';
import { type PrivateRedis, startPrivateRedis } from '../support/redis-server';
import { storeProblems } from '../support/store-invariants';
import { withLock } from '../support/turns';
import { SENT, walkToPassword } from '../support/walk';

const UNAVAILABLE = t('bot.errors.storeUnavailable');
const PASSWORD = 'Electeur2014';

async function health(url: string): Promise<number> {
  const response = await fetch(`${url}/healthz`);
  await response.arrayBuffer();
  return response.status;
}

/**
 * Redis is the only state of the bot. It runs here with an append-only file fsynced on every write (as a
 * production Redis should), so that a SIGKILL then a restart loses nothing acknowledged: the conversation
 * must then resume at its step. Without persistence the data would be gone; that case is the last test.
 */
describe('fault: Redis stopped mid-conversation', function () {
  this.timeout(60_000);
  let redis: PrivateRedis;
  let bot: BotHarness;
  let client: Redis;
  let storage: RedisStorage;
  let crashes: unknown[];
  let fault: FaultBot;

  before(async () => {
    fault = await startFaultBot({ persistent: true });
    ({ redis, bot, client, crashes } = fault);
    storage = fault.storage;
  });
  after(async () => fault?.close());

  const state = async (chat: RoamingConversation) => {
    const items = await storage.read([chat.stateKey]);
    const item = items[chat.stateKey];
    assert.ok(item, 'the conversation state is in Redis');
    return item;
  };

  const bringBack = async () => {
    await redis.start();
    assert.ok(
      await eventually(async () => (await health(bot.url)) === 200, 20_000, 200),
      '/healthz still 503',
    );
  };

  let chat: RoamingConversation;
  let beforeOutage: Record<string, unknown>;

  it('answers the French « momentanément indisponible » with a 200 and turns /healthz 503', async () => {
    chat = roamingConversation(bot.connector.serviceUrl);
    await walkToPassword(chat.on(bot.url), 'claire.dupont@ac-paris.fr');
    beforeOutage = await state(chat);

    await redis.stop();
    const delivery = await chat.post(
      bot.url,
      chat.activity({ type: 'message', value: passwordCard(PASSWORD) }),
    );
    assert.equal(delivery.status, 200);
    assert.equal(textOf(delivery.replies), UNAVAILABLE);
    assert.ok(await eventually(async () => (await health(bot.url)) === 503, 5_000), '/healthz still 200');
    // A second turn while Redis is down: same answer, the process still serves.
    assert.equal(textOf(await chat.say(bot.url, 'aide')), UNAVAILABLE);
    assert.deepEqual(crashes, []);
  });

  it('resumes at the password step once Redis is back, and creates the account once', async () => {
    await bringBack();
    assert.deepEqual(await state(chat), beforeOutage, 'the failed turns wrote nothing');

    const sent = await chat.submit(bot.url, passwordCard(PASSWORD));
    assert.match(textOf(sent), SENT);
    assert.match(textOf(sent), /claire\.dupont@ac-paris\.fr/);

    const [mail] = await bot.smtp.waitForMessages(1, 15_000);
    assert.deepEqual(mail?.to, ['claire.dupont@ac-paris.fr']);
    assert.ok(
      await eventually(
        async () => (await storeProblems(client, bot.redis.prefix)).snapshot.queued === 0,
        5_000,
      ),
    );
    const { problems, snapshot } = await storeProblems(client, bot.redis.prefix);
    assert.deepEqual(problems, []);
    assert.deepEqual([...snapshot.accounts.keys()], ['claire.dupont@ac-paris.fr']);
    assert.equal(snapshot.accounts.get('claire.dupont@ac-paris.fr')?.status, 'pending');
    assert.equal(snapshot.tokens.size, 1);
    assert.equal(bot.smtp.messages.length, 1);
    assert.deepEqual(crashes, []);
  });

  it('leaves no half-created account nor orphan token when Redis dies during account requests', async () => {
    const addresses = ['a.martin', 'b.bernard', 'c.thomas', 'd.petit'].map((n) => `${n}@ac-paris.fr`);
    const chats = addresses.map(() => roamingConversation(bot.connector.serviceUrl));
    for (const [i, c] of chats.entries()) await walkToPassword(c.on(bot.url), addresses[i] as string);
    const mailsBefore = bot.smtp.messages.length;

    // Hashing takes a while off the event loop: Redis dies while some requests hash, some run their
    // script, some wait for its answer. Which is which is left to chance; the invariants hold whatever.
    const submits = chats.map((c) =>
      c.post(bot.url, c.activity({ type: 'message', value: passwordCard(PASSWORD) })),
    );
    await sleep(60);
    await redis.stop();
    const first = await Promise.all(submits);
    for (const delivery of first) {
      assert.equal(delivery.status, 200);
      const text = textOf(delivery.replies);
      assert.ok(SENT.test(text) || text === UNAVAILABLE, `unexpected answer: ${text}`);
    }

    await bringBack();
    const afterRestart = await storeProblems(client, bot.redis.prefix);
    assert.deepEqual(afterRestart.problems, [], 'consistent right after the restart');

    // The teachers who were told to retry do so: the step was kept.
    for (const [i, c] of chats.entries()) {
      if (SENT.test(textOf(first[i]?.replies ?? []))) continue;
      assert.match(textOf(await c.submit(bot.url, passwordCard(PASSWORD))), SENT);
    }

    // A mail being sent when Redis died may have left without being recorded as sent: its claim hides it
    // for the claim lease (5 minutes of application time), after which it is sent again (at least once,
    // never lost). Application time is moved past that lease rather than waited for.
    const real = bot.app.clock.now.bind(bot.app.clock);
    const later = sinon.stub(bot.app.clock, 'now').callsFake(() => new Date(real().getTime() + 10 * 60_000));
    try {
      await bot.app.worker.drain();
      assert.ok(
        await eventually(
          async () => (await storeProblems(client, bot.redis.prefix)).snapshot.queued === 0,
          20_000,
        ),
        'the outbox did not drain',
      );
    } finally {
      later.restore();
    }
    const { problems, snapshot } = await storeProblems(client, bot.redis.prefix);
    assert.deepEqual(problems, []);
    for (const address of addresses) assert.equal(snapshot.accounts.get(address)?.status, 'pending', address);

    // At most two mails per address (a request repeated after its answer was lost, or a mail re-sent
    // because its sending was not recorded), and of their links exactly one confirms: the others say
    // « remplacé ».
    const received = bot.smtp.messages.slice(mailsBefore);
    for (const address of addresses) {
      const mails = received.filter((m) => m.to.includes(address));
      assert.ok(mails.length >= 1 && mails.length <= 2, `${address}: ${mails.length} mails`);
      const statuses: number[] = [];
      for (const link of new Set(mails.map((m) => linkIn(m.text))))
        statuses.push((await confirmByLink(link, PASSWORD)).status);
      assert.equal(statuses.filter((s) => s === 200).length, 1, `${address}: ${statuses}`);
      assert.equal(statuses.filter((s) => s === 410).length, statuses.length - 1, `${address}: ${statuses}`);
    }
    assert.deepEqual(crashes, []);
  });

  it('starts the conversation afresh, in French, when Redis comes back without its data', async () => {
    const lost = roamingConversation(bot.connector.serviceUrl);
    const walked = lost.on(bot.url);
    await walked.join();
    assert.match(textOf(await walked.say('Créer mon compte électeur')), /Avez-vous déjà activé/);
    assert.match(textOf(await walked.say('oui')), /adresse de messagerie professionnelle/);

    await client.flushall();
    await redis.stop();
    await bringBack();
    // The teacher answers the question they saw; the bot no longer knows it was asked.
    const reply = textOf(await walked.say('e.durand@ac-paris.fr'));
    assert.notEqual(reply, UNAVAILABLE);
    assert.notEqual(reply, t('bot.errors.internal'));
    // An address typed out of the blue starts the activation at that address: the teacher goes on.
    assert.match(reply, /Est-ce bien votre adresse professionnelle/);
    assert.match(textOf(await walked.say('oui')), /mot de passe électeur/);
    assert.deepEqual(crashes, []);
  });
});

describe('fault: the conversation lock, with Redis restarting and turns dying', function () {
  this.timeout(30_000);
  let redis: PrivateRedis;
  let client: ReturnType<typeof createRedisClient>;

  before(async () => {
    redis = await startPrivateRedis({ persistent: true });
    client = createRedisClient(redis.url, silentLogger());
  });
  after(async () => {
    client?.disconnect();
    await redis?.destroy();
  });

  it('frees the conversation of a turn that failed with Redis once Redis is back, before its lease ends', async () => {
    // A lease far longer than the wait: only an actual release can let the next turn in.
    const guard = new RedisTurnGuard(client, { prefix: 'fault:', leaseMs: 60_000, waitMs: 8_000 });
    await assert.rejects(
      withLock(guard, 'webchat:conv-1', async () => {
        await redis.stop();
        throw new Error('the turn failed with Redis');
      }),
      /the turn failed with Redis/,
    );
    await redis.start();
    assert.equal(await withLock(guard, 'webchat:conv-1', async () => 'next turn'), 'next turn');
  });

  it('keeps a turn longer than its lease exclusive, by renewing the lease', async () => {
    const guard = new RedisTurnGuard(client, { prefix: 'fault:', leaseMs: 300, waitMs: 5_000 });
    const events: string[] = [];
    const slow = withLock(guard, 'webchat:conv-2', async () => {
      events.push('slow starts');
      await sleep(1_200);
      events.push('slow ends');
    });
    await sleep(50);
    await withLock(guard, 'webchat:conv-2', async () => {
      events.push('next runs');
    });
    await slow;
    assert.deepEqual(events, ['slow starts', 'slow ends', 'next runs']);
  });
});
