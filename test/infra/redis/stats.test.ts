import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { after, afterEach, before, describe, it } from 'mocha';
import sinon from 'sinon';
import type { Clock } from '../../../src/clock';
import { MAX_MISUNDERSTOOD, MAX_MISUNDERSTOOD_LENGTH, type Stats } from '../../../src/domain/stats/ports';
import { MemoryStats } from '../../../src/infra/memory-stats';
import { RedisStats } from '../../../src/infra/redis/stats';
import { silentLogger } from '../../../src/log';
import { type TestRedis, testRedis } from '../../support/redis';

const NOW = new Date('2014-11-20T10:00:00Z');
const HOUR = 3_600_000;
const clock: Clock = { now: () => NOW };
const at = (iso: string) => new Date(iso);

/** The same contract for the Redis store and the embedded one: the console cannot tell them apart. */
function contract(name: string, make: () => Promise<Stats>) {
  describe(`${name} (contract)`, () => {
    it('counts accounts and mails per Paris day, zeros included', async () => {
      const stats = await make();
      await stats.accountRequested('created', 'a@ac-paris.fr', at('2014-11-19T09:00:00Z'));
      // 23 h 30 UTC is 0 h 30 on the 20th in Paris (UTC+1 in November).
      await stats.accountRequested('created', 'b@ac-paris.fr', at('2014-11-19T23:30:00Z'));
      await stats.accountRequested('replaced', 'b@ac-paris.fr', at('2014-11-20T08:00:00Z'));
      await stats.accountRequested('already-confirmed', 'c@ac-paris.fr', at('2014-11-20T08:00:00Z'));
      await stats.accountConfirmed('a@ac-paris.fr', at('2014-11-20T09:00:00Z'));
      await stats.mailSent(at('2014-11-19T09:00:01Z'));
      await stats.mailSent(at('2014-11-20T08:00:01Z'));
      await stats.mailFailed(at('2014-11-20T08:00:02Z'));
      assert.deepEqual(await stats.daily('2014-11-18', '2014-11-20'), [
        { day: '2014-11-18', accountsCreated: 0, accountsConfirmed: 0, mailsSent: 0, mailsFailed: 0 },
        { day: '2014-11-19', accountsCreated: 1, accountsConfirmed: 0, mailsSent: 1, mailsFailed: 0 },
        { day: '2014-11-20', accountsCreated: 1, accountsConfirmed: 1, mailsSent: 1, mailsFailed: 1 },
      ]);
    });

    it('answers no rows for a reversed or malformed range', async () => {
      const stats = await make();
      assert.deepEqual(await stats.daily('2014-11-20', '2014-11-19'), []);
      assert.deepEqual(await stats.daily('2014-02-30', '2014-03-01'), []);
      assert.deepEqual(await stats.daily('hier', '2014-11-19'), []);
    });

    it('counts accounts pending for more than 24 h; confirmation and a fresh link take them out', async () => {
      const stats = await make();
      await stats.accountRequested('created', 'old@ac-paris.fr', new Date(NOW.getTime() - 30 * HOUR));
      await stats.accountRequested('created', 'Confirmed@ac-paris.fr', new Date(NOW.getTime() - 40 * HOUR));
      await stats.accountRequested('created', 'renewed@ac-paris.fr', new Date(NOW.getTime() - 50 * HOUR));
      await stats.accountRequested('created', 'recent@ac-paris.fr', new Date(NOW.getTime() - 2 * HOUR));
      await stats.accountConfirmed('confirmed@ac-paris.fr', new Date(NOW.getTime() - HOUR));
      await stats.accountRequested('replaced', 'renewed@ac-paris.fr', new Date(NOW.getTime() - HOUR));
      assert.equal(await stats.pendingOlderThan(24 * HOUR, NOW), 1);
      assert.equal(await stats.pendingOlderThan(0, NOW), 3);
    });

    it('ranks intents over the last days, with the unsure ones, older days left out', async () => {
      const stats = await make();
      await stats.recognised('statut', true, at('2014-11-20T08:00:00Z'));
      await stats.recognised('statut', false, at('2014-11-19T08:00:00Z'));
      await stats.recognised('statut', true, at('2014-11-19T08:01:00Z'));
      await stats.recognised('aide', false, at('2014-11-20T08:00:00Z'));
      await stats.recognised('aide', true, at('2014-11-20T08:01:00Z'));
      await stats.recognised('creer', true, at('2014-11-20T08:02:00Z'));
      await stats.recognised('vieux', true, at('2014-11-01T08:00:00Z'));
      assert.deepEqual(await stats.topIntents(7, 10), [
        { intent: 'statut', count: 3, unsure: 1 },
        { intent: 'aide', count: 2, unsure: 1 },
        { intent: 'creer', count: 1, unsure: 0 },
      ]);
      assert.deepEqual(await stats.topIntents(1, 1), [{ intent: 'aide', count: 2, unsure: 1 }]);
    });

    it('keeps the last misunderstood messages, newest first, clipped and capped', async () => {
      const stats = await make();
      for (let i = 0; i < MAX_MISUNDERSTOOD + 5; i++)
        await stats.misunderstood(`message ${i}`, new Date(NOW.getTime() - (1000 - i) * 1000));
      await stats.misunderstood('   ', NOW);
      await stats.misunderstood(`<b>${'x'.repeat(MAX_MISUNDERSTOOD_LENGTH)}</b>`, NOW);
      const recent = await stats.recentMisunderstood(1000);
      assert.equal(recent.length, MAX_MISUNDERSTOOD);
      assert.deepEqual(recent[0], {
        at: NOW.toISOString(),
        text: `<b>${'x'.repeat(MAX_MISUNDERSTOOD_LENGTH - 3)}`,
      });
      assert.equal(recent[1]?.text, `message ${MAX_MISUNDERSTOOD + 4}`);
      assert.deepEqual(await stats.recentMisunderstood(0), []);
    });
  });
}

describe('statistics', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  const opened: TestRedis[] = [];

  before(async () => {
    redis = await testRedis();
  });

  afterEach(() => sinon.restore());

  after(async () => {
    await Promise.all([redis, ...opened].map((r) => r?.cleanup()));
  });

  /** A fresh prefix per test, so the contract tests start from empty stores. */
  contract('RedisStats', async () => {
    const own = await testRedis();
    opened.push(own);
    return new RedisStats(own.redis, { prefix: own.prefix, clock, logger: silentLogger() });
  });
  contract('MemoryStats', async () => new MemoryStats(clock));

  describe('RedisStats (keys, retention, failures)', () => {
    it('writes Paris-day hashes with a TTL, and keeps no address in Redis', async () => {
      const stats = new RedisStats(redis.redis, { prefix: redis.prefix, clock });
      await stats.accountRequested('created', 'claire.martin@ac-paris.fr', at('2014-11-19T23:30:00Z'));
      await stats.recognised('statut', true, at('2014-11-19T23:30:00Z'));
      await stats.misunderstood('je sais pas', at('2014-11-19T23:30:00Z'));
      const keys = (await redis.keys()).sort();
      assert.deepEqual(keys, [
        `${redis.prefix}stats:2014-11-20`,
        `${redis.prefix}stats:2014-11-20:intents`,
        `${redis.prefix}stats:misunderstood`,
        `${redis.prefix}stats:pending`,
      ]);
      const dayTtl = await redis.redis.ttl(`${redis.prefix}stats:2014-11-20`);
      assert.ok(dayTtl > 399 * 86_400 && dayTtl <= 400 * 86_400, String(dayTtl));
      const listTtl = await redis.redis.ttl(`${redis.prefix}stats:misunderstood`);
      assert.ok(listTtl > 89 * 86_400 && listTtl <= 90 * 86_400, String(listTtl));
      assert.ok((await redis.redis.ttl(`${redis.prefix}stats:pending`)) > 0);
      const members = await redis.redis.zrange(`${redis.prefix}stats:pending`, '0', '-1');
      assert.equal(members.length, 1);
      assert.doesNotMatch(members[0] ?? '', /claire|ac-paris/);
    });

    it('leaves out misunderstood messages older than their retention', async () => {
      const own = await testRedis();
      opened.push(own);
      const stats = new RedisStats(own.redis, { prefix: own.prefix, clock, misunderstoodTtlSeconds: 3600 });
      await stats.misunderstood('ancien', new Date(NOW.getTime() - 2 * HOUR));
      await stats.misunderstood('récent', new Date(NOW.getTime() - 60_000));
      assert.deepEqual(
        (await stats.recentMisunderstood(10)).map((m) => m.text),
        ['récent'],
      );
    });

    it('never throws into the caller when Redis is unreachable, and logs the lost write', async () => {
      const offline = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false });
      const logger = silentLogger();
      const warn = sinon.spy(logger, 'warn');
      const stats = new RedisStats(offline, { clock, logger });
      try {
        await stats.accountRequested('created', 'a@ac-paris.fr', NOW);
        await stats.accountConfirmed('a@ac-paris.fr', NOW);
        await stats.mailSent(NOW);
        await stats.mailFailed(NOW);
        await stats.recognised('aide', true, NOW);
        await stats.misunderstood('quoi', NOW);
        assert.equal(warn.callCount, 6);
        const logged = JSON.stringify(warn.args);
        assert.doesNotMatch(logged, /a@ac-paris\.fr|quoi/);
      } finally {
        offline.disconnect();
      }
    });

    it('swallows a synchronous failure too (a driver bug must not reach the turn)', async () => {
      const stats = new RedisStats(redis.redis, { prefix: redis.prefix, clock });
      sinon.stub(redis.redis, 'multi').throws(new Error('boom'));
      await stats.mailSent(NOW);
    });

    it('lets read failures surface, as a store error the console answers with 503', async () => {
      const offline = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false });
      try {
        const stats = new RedisStats(offline, { clock });
        await assert.rejects(stats.pendingOlderThan(0, NOW), { code: 'STORE_UNAVAILABLE' });
        await assert.rejects(stats.daily('2014-11-20', '2014-11-20'), { code: 'STORE_UNAVAILABLE' });
      } finally {
        offline.disconnect();
      }
    });
  });
});
