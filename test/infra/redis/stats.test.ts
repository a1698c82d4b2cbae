import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { after, afterEach, before, describe, it } from 'mocha';
import sinon from 'sinon';
import type { Clock } from '../../../src/clock';
import { MemoryStats } from '../../../src/infra/memory-stats';
import { RedisStats } from '../../../src/infra/redis/stats';
import { silentLogger } from '../../../src/log';
import { type TestRedis, testRedis } from '../../support/redis';
import { statsContract } from './stats.contract';

const NOW = new Date('2014-11-20T10:00:00Z');
const HOUR = 3_600_000;
const clock: Clock = { now: () => NOW };
const at = (iso: string) => new Date(iso);

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
  statsContract('RedisStats', async () => {
    const own = await testRedis();
    opened.push(own);
    return new RedisStats(own.redis, { prefix: own.prefix, clock, logger: silentLogger() });
  });
  statsContract('MemoryStats', async () => new MemoryStats(clock));
  // As the app runs it: events summed in memory, written by a timer (never here) or before a read.
  statsContract('RedisStats, batched', async () => {
    const own = await testRedis();
    opened.push(own);
    return new RedisStats(own.redis, { prefix: own.prefix, clock, logger: silentLogger(), batchMs: 60_000 });
  });

  describe('RedisStats, batched', () => {
    it('writes nothing per event, then one transaction with one HINCRBY per counter', async () => {
      const own = await testRedis();
      opened.push(own);
      const stats = new RedisStats(own.redis, { prefix: own.prefix, clock, batchMs: 60_000 });
      const multi = sinon.spy(own.redis, 'multi');
      for (let i = 0; i < 100; i++) await stats.recognised('aide', i % 4 !== 0, NOW);
      for (let i = 0; i < 50; i++) await stats.mailSent(NOW);
      await stats.accountRequested('created', 'a@ac-paris.fr', NOW);
      await stats.accountConfirmed('a@ac-paris.fr', NOW);
      assert.deepEqual(await own.keys(), [], 'nothing written before the batch is due');
      assert.equal(multi.callCount, 0);
      await stats.flush();
      assert.equal(multi.callCount, 1);
      const queued = (multi.returnValues[0] as unknown as { _queue: Array<{ name: string }> })._queue.map(
        (c) => c.name,
      );
      // Five counters, and the account's two by its mail domain (created, confirmed: issue 14's scoped agents).
      assert.equal(queued.filter((name) => name === 'hincrby').length, 7, queued.join(' '));
      const intents = await own.redis.hgetall(`${own.prefix}{stats}:2014-11-20:intents`);
      assert.deepEqual(intents, { 'n:aide': '100', 'u:aide': '25' });
      const day = await own.redis.hgetall(`${own.prefix}{stats}:2014-11-20`);
      assert.deepEqual(day, { mailsSent: '50', accountsCreated: '1', accountsConfirmed: '1' });
      assert.equal(await stats.pendingOlderThan(0, NOW), 0, 'requested then confirmed, in that order');
    });

    it('writes a batch by itself once its time has come', async () => {
      const own = await testRedis();
      opened.push(own);
      const stats = new RedisStats(own.redis, { prefix: own.prefix, clock, batchMs: 50 });
      await stats.mailSent(NOW);
      assert.deepEqual(await own.keys(), []);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await own.redis.hget(`${own.prefix}{stats}:2014-11-20`, 'mailsSent'), '1');
    });
  });

  describe('RedisStats (keys, retention, failures)', () => {
    it('writes Paris-day hashes with a TTL, and keeps no address in Redis', async () => {
      const stats = new RedisStats(redis.redis, { prefix: redis.prefix, clock });
      await stats.accountRequested('created', 'claire.martin@ac-paris.fr', at('2014-11-19T23:30:00Z'));
      await stats.recognised('statut', true, at('2014-11-19T23:30:00Z'));
      await stats.misunderstood('je sais pas', at('2014-11-19T23:30:00Z'));
      const keys = (await redis.keys()).sort();
      // The académie filter's keys name a mail domain, never an address.
      assert.deepEqual(keys, [
        `${redis.prefix}{stats}:2014-11-20`,
        `${redis.prefix}{stats}:2014-11-20:domains`,
        `${redis.prefix}{stats}:2014-11-20:intents`,
        `${redis.prefix}{stats}:misunderstood`,
        `${redis.prefix}{stats}:pending`,
        `${redis.prefix}{stats}:pending:ac-paris.fr`,
      ]);
      for (const key of keys) assert.ok((await redis.redis.ttl(key)) > 0, `${key} expires`);
      const dayTtl = await redis.redis.ttl(`${redis.prefix}{stats}:2014-11-20`);
      assert.ok(dayTtl > 399 * 86_400 && dayTtl <= 400 * 86_400, String(dayTtl));
      const listTtl = await redis.redis.ttl(`${redis.prefix}{stats}:misunderstood`);
      assert.ok(listTtl > 89 * 86_400 && listTtl <= 90 * 86_400, String(listTtl));
      assert.ok((await redis.redis.ttl(`${redis.prefix}{stats}:pending`)) > 0);
      for (const set of ['pending', 'pending:ac-paris.fr']) {
        const members = await redis.redis.zrange(`${redis.prefix}{stats}:${set}`, '0', '-1');
        assert.equal(members.length, 1);
        assert.doesNotMatch(members[0] ?? '', /claire|ac-paris/);
      }
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
