import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'mocha';
import type { AccountRequest } from '../../../src/domain/accounts/ports';
import { t } from '../../../src/i18n';
import { RedisAccountStore, RedisOutbox } from '../../../src/infra/redis/account-store';
import { RedisAuditLog } from '../../../src/infra/redis/audit';
import { createRedisClient, pingRedis, type RedisClient } from '../../../src/infra/redis/client';
import { accountKeys } from '../../../src/infra/redis/keys';
import { RedisPasswordEntryStore } from '../../../src/infra/redis/password-entry-store';
import { RedisRateLimiter } from '../../../src/infra/redis/rate-limiter';
import { RedisStats } from '../../../src/infra/redis/stats';
import { RedisStorage } from '../../../src/infra/redis/storage';
import { RedisTranscriptStore } from '../../../src/infra/redis/transcript-store';
import { RedisTurnGuard } from '../../../src/infra/redis/turn-guard';
import { silentLogger } from '../../../src/log';
import { accountStoreContract } from '../../domain/accounts/account-repository.contract';
import { passwordEntryStoreContract } from '../../domain/accounts/password-entry-store.contract';
import { type BotHarness, confirmByLink, linkIn, startBot, textOf } from '../../support/bot-harness';
import { eventually } from '../../support/poll';
import { startRedisCluster, type TestCluster } from '../../support/redis-cluster';
import { isDuplicate, withLock } from '../../support/turns';
import { SENT, walkToPassword } from '../../support/walk';
import { rateLimiterContract } from '../rate-limiter.contract';
import { NOW, statsContract } from './stats.contract';
import { entry, message, testClock, transcriptStoreContract } from './transcript-store.contract';

const T0 = Date.UTC(2014, 10, 20, 8, 0, 0);
const UNAVAILABLE = t('bot.errors.storeUnavailable');

/**
 * Every store on a real 3-master Redis Cluster (started on free ports for this file): the same contracts
 * as on one node, then the keys' slots, then one whole activation through /api/messages with the app
 * configured by REDIS_CLUSTER_NODES.
 */
describe('Redis Cluster (3 masters, real servers)', function () {
  this.timeout(30_000);
  let cluster: TestCluster;
  let redis: RedisClient;
  /** A private prefix per store under test; the cluster itself, without persistence, goes at the end. */
  const newPrefix = () => `test:${randomBytes(6).toString('hex')}:`;
  const slotOf = async (key: string) => Number(await cluster.client.cluster('KEYSLOT', key));

  before(async () => {
    cluster = await startRedisCluster();
    // The client the app builds, not the test's own one.
    redis = createRedisClient(
      {
        mode: 'cluster',
        nodes: cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
      },
      silentLogger(),
    );
  });
  after(async () => {
    redis?.disconnect();
    await cluster?.stop();
  });

  accountStoreContract('RedisAccountStore on a Cluster', async () => {
    const prefix = newPrefix();
    return {
      repo: new RedisAccountStore(redis, { prefix }),
      outbox: new RedisOutbox(redis, { prefix }),
      cleanup: async () => undefined,
    };
  });

  transcriptStoreContract('Redis on a Cluster', async (clock, bounds) => ({
    store: new RedisTranscriptStore(redis, { prefix: newPrefix(), clock, ...(bounds ? { bounds } : {}) }),
    cleanup: async () => undefined,
  }));

  describe('RedisRateLimiter on a Cluster', () => {
    rateLimiterContract(async () => new RedisRateLimiter(redis, { prefix: newPrefix() }));
  });

  describe('RedisPasswordEntryStore on a Cluster', () => {
    passwordEntryStoreContract(() => new RedisPasswordEntryStore(redis, { prefix: newPrefix() }));
  });

  statsContract(
    'RedisStats on a Cluster',
    async () =>
      new RedisStats(redis, { prefix: newPrefix(), clock: { now: () => NOW }, logger: silentLogger() }),
  );

  it('answers /healthz pings from every master', async () => {
    assert.equal(cluster.client.nodes('master').length, 3);
    assert.equal(await pingRedis(redis, 1_000), true);
  });

  it('keeps accounts, tokens and the outbox in one slot, whatever the address', async () => {
    const prefix = newPrefix();
    const repo = new RedisAccountStore(redis, { prefix });
    const outbox = new RedisOutbox(redis, { prefix });
    const emails = Array.from({ length: 6 }, (_, i) => `prof${i}.${randomUUID()}@ac-paris.fr`);
    for (const email of emails) {
      const request: AccountRequest = {
        email,
        passwordHash: '$argon2id$fake',
        tokenHash: randomBytes(32).toString('hex'),
        sealedToken: 'sealed',
        tokenExpiresAt: T0 + 48 * 3_600_000,
        now: T0,
      };
      assert.equal(await repo.requestAccount(request), 'created');
      // Resending goes through the retire-then-issue script with the previous link's keys.
      assert.equal(
        await repo.resendConfirmation({
          ...request,
          tokenHash: randomBytes(32).toString('hex'),
          now: T0 + 1,
        }),
        'resent',
      );
    }
    const keys = await cluster.keys(`${prefix}*`);
    assert.equal(
      keys.length,
      6 * 4 + 1,
      'per address: the account, two token records and the mail of the second link; one due set',
    );
    const slots = new Set(await Promise.all(keys.map(slotOf)));
    assert.equal(slots.size, 1, 'one slot for the whole account store');
    assert.deepEqual(
      new Set(keys.map((k) => k.slice(prefix.length, prefix.length + 10))),
      new Set(['{accounts}']),
    );
    const claimed = await outbox.claimDue(T0 + 2, 100, 60_000);
    assert.deepEqual(claimed.map((c) => c.mail.to).sort(), [...emails].sort(), 'one mail per address');
    assert.equal((await outbox.counts()).queued, 6);
  });

  it('spreads transcripts over the masters, each one in the slot of its meta', async () => {
    const prefix = newPrefix();
    const store = new RedisTranscriptStore(redis, { prefix, clock: testClock() });
    const ids = Array.from({ length: 12 }, (_, i) => `conv-${i}-${randomUUID()}`);
    await Promise.all(ids.map((id) => store.append(entry(id, [message(1)], 'jean.martin@ac-paris.fr'))));
    const listSlots = new Set<number>();
    for (const id of ids) {
      const list = `${prefix}tr:{webchat:${id}}`;
      const slot = await slotOf(list);
      assert.equal(await slotOf(`${prefix}tr:meta:{webchat:${id}}`), slot);
      assert.equal(await cluster.client.llen(list), 1);
      listSlots.add(slot);
    }
    assert.ok(listSlots.size > 1, 'conversations are not all in one slot');
    const found = await store.findByEmail('jean.martin@ac-paris.fr');
    assert.deepEqual(found.map((s) => s.conversationId).sort(), [...ids].sort());
    assert.equal(await store.deleteByEmail('jean.martin@ac-paris.fr'), 12);
    assert.deepEqual(await cluster.keys(`${prefix}*`), []);
  });

  it('reads, writes and deletes conversation states of several slots', async () => {
    const storage = new RedisStorage(redis, { prefix: newPrefix() });
    const keys = Array.from({ length: 8 }, (_, i) => `webchat/conversations/c${i}-${randomUUID()}/`);
    const slots = new Set(await Promise.all(keys.map((k) => slotOf(storage.redisKey(k)))));
    assert.ok(slots.size > 1, 'the items span several slots');
    await storage.write(Object.fromEntries(keys.map((k, i) => [k, { step: i }])));
    const read = await storage.read(keys);
    assert.deepEqual(
      keys.map((k) => (read[k] as { step: number }).step),
      keys.map((_, i) => i),
    );
    const first = keys[0] as string;
    await assert.rejects(
      storage.write({ [first]: { step: 99, eTag: 'stale' } }),
      /eTag conflict/,
      'compare-and-set still holds per item',
    );
    await storage.delete(keys);
    assert.deepEqual(await storage.read(keys), {});
  });

  it('serialises the turns of one conversation and drops retries, across two clients', async () => {
    const prefix = newPrefix();
    const other = createRedisClient(
      { mode: 'cluster', nodes: [{ host: '127.0.0.1', port: cluster.ports[1] as number }] },
      silentLogger(),
    );
    try {
      const guards = [new RedisTurnGuard(redis, { prefix }), new RedisTurnGuard(other, { prefix })];
      assert.equal(await isDuplicate(guards[0] as RedisTurnGuard, 'webchat', 'a1'), false);
      assert.equal(await isDuplicate(guards[1] as RedisTurnGuard, 'webchat', 'a1'), true);
      const order: string[] = [];
      await Promise.all(
        guards.map((guard, i) =>
          withLock(guard, 'webchat:c1', async () => {
            order.push(`start ${i}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
            order.push(`end ${i}`);
          }),
        ),
      );
      assert.deepEqual(
        order.map((o) => o.split(' ')[0]),
        ['start', 'end', 'start', 'end'],
      );
    } finally {
      other.disconnect();
    }
  });

  it('runs whole turns on conversations of many slots: one script before, one after, each in one slot', async () => {
    const prefix = newPrefix();
    const clock = testClock();
    const transcripts = new RedisTranscriptStore(redis, { prefix, clock });
    const guard = new RedisTurnGuard(redis, { prefix, transcripts, clock });
    const ids = Array.from({ length: 12 }, (_, i) => `conv-${i}-${randomUUID()}`);
    const slots = new Set<number>();
    for (const id of ids) {
      const first = await guard.begin({ channelId: 'webchat', conversationId: id, activityId: 'a1' });
      assert.ok(first !== 'duplicate' && first.state === undefined);
      // The first turn of the day also writes the index ({index}, another slot), beside the end script.
      await first.end({
        failed: false,
        state: '{"step":1}',
        transcript: entry(id, [message(1)], 'ada@ac-paris.fr'),
      });
      const second = await guard.begin({ channelId: 'webchat', conversationId: id, activityId: 'a2' });
      assert.ok(second !== 'duplicate');
      assert.equal(second.state?.json, '{"step":1}');
      await second.end({ failed: false, state: '{"step":2}', transcript: entry(id, [message(2)]) });
      const keys = guard.keysOf('webchat', id);
      const slot = await slotOf(keys.state);
      for (const key of [keys.lock, keys.seen('a1'), keys.transcript, keys.transcriptMeta])
        assert.equal(await slotOf(key), slot, key);
      assert.equal(await cluster.client.llen(keys.transcript), 2);
      slots.add(slot);
    }
    assert.ok(slots.size > 1, 'conversations are not all in one slot');
    assert.deepEqual(
      (await transcripts.findByDay('2014-11-20')).map((s) => s.conversationId).sort(),
      [...ids].sort(),
    );
    assert.equal((await transcripts.findByEmail('ada@ac-paris.fr')).length, ids.length);
  });

  it('keeps the audit log and its failed-login counts in one slot', async () => {
    const audit = new RedisAuditLog(redis, { prefix: newPrefix() });
    for (const target of ['a', 'b', 'c']) {
      await audit.record({ at: '2014-11-20T09:00:00Z', login: 'agent', action: 'search', target });
    }
    await audit.countFailedLogin('192.0.2.3', 'failed', Date.parse('2014-11-20T09:30:00Z'));
    assert.deepEqual((await audit.recent(10)).map((e) => e.target).sort(), ['a', 'b', 'c']);
    const { records } = await audit.page({ limit: 10 });
    assert.ok(records.some((r) => r.action === 'login.failed' && r.failed === 1));
  });

  describe('the app with REDIS_CLUSTER_NODES', () => {
    let bot: BotHarness;

    before(async () => {
      bot = await startBot({ REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodesEnv });
    });
    after(async () => {
      await bot?.close();
    });

    it('activates an account through /api/messages, its state and account on the Cluster', async () => {
      assert.equal(bot.app.config.redis?.mode, 'cluster');
      assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
      const email = 'irene.joliot@ac-paris.fr';
      const chat = bot.conversation('webchat');
      await walkToPassword(chat, email);
      assert.match(
        textOf(
          await chat.submit({ action: 'password', password: 'Polonium1934', confirmation: 'Polonium1934' }),
        ),
        SENT,
      );
      const [mail] = await bot.smtp.waitForMessages(1);
      assert.ok(mail);
      const page = await confirmByLink(linkIn(mail.text), 'Polonium1934');
      assert.equal(page.status, 200);
      assert.match(page.html, /Votre compte électeur est confirmé/);
      const proactive = await bot.connector.waitFor((p) => p.conversationId === chat.id);
      assert.match(proactive.activity.text ?? '', /Votre compte électeur est confirmé/);

      const { prefix } = bot.redis;
      const account = accountKeys(prefix).account(email);
      assert.equal(await cluster.client.hget(account, 'status'), 'confirmed');
      const keys = await cluster.keys(`${prefix}*`);
      assert.ok(
        keys.some((k) => k.startsWith(`${prefix}state:`)),
        'the conversation state is on the Cluster',
      );
      assert.ok(
        keys.some((k) => k.startsWith(`${prefix}tr:{webchat:`)),
        'and its transcript',
      );
      // Nothing reached the single-node Redis the harness also opened.
      assert.deepEqual(await bot.redis.keys(), []);
    });

    // Last: it takes one master away for good.
    it('turns /healthz 503 once a master is down, and answers turns with the French message', async () => {
      await cluster.killNode(cluster.ports[2] as number);
      assert.ok(
        await eventually(async () => (await fetch(`${bot.url}/healthz`)).status === 503, 15_000, 200),
        '/healthz still 200',
      );
      // Conversations whose slot the dead master held fail clearly; the others may go on.
      const answers = await Promise.all(
        // Each turn touches keys of several random slots (seen, lock, state): with 10 turns, at least one
        // meets the dead master's third of the slots (all miss it with a probability of about 10⁻⁵).
        Array.from({ length: 10 }, async () => textOf(await bot.conversation('webchat').join())),
      );
      assert.ok(answers.includes(UNAVAILABLE), answers.join(' | '));
      for (const answer of answers)
        assert.ok(answer === UNAVAILABLE || /Assistant électeur/.test(answer), answer);
    });
  });
});
