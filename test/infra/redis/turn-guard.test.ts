import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisTurnGuard } from '../../../src/infra/redis/turn-guard';
import { type TestRedis, testRedis } from '../../support/redis';
import { turnGuardBehaviour } from '../turn-guard.behaviour';

describe('RedisTurnGuard', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await testRedis();
  });
  afterEach(async () => t.cleanup());

  turnGuardBehaviour(async ({ waitMs }) => new RedisTurnGuard(t.redis, { prefix: t.prefix, waitMs }));

  it('serialises turns across two guards, as across two processes', async () => {
    const other = t.redis.duplicate();
    try {
      const one = new RedisTurnGuard(t.redis, { prefix: t.prefix });
      const two = new RedisTurnGuard(other, { prefix: t.prefix });
      let running = 0;
      let overlaps = 0;
      const turn = (guard: RedisTurnGuard) =>
        guard.withLock('conv', async () => {
          running += 1;
          if (running > 1) overlaps += 1;
          await sleep(10);
          running -= 1;
        });
      await Promise.all(Array.from({ length: 8 }, (_, i) => turn(i % 2 ? one : two)));
      assert.equal(overlaps, 0);
    } finally {
      await other.quit();
    }
  });

  it('remembers activity ids for 120 s by default', async () => {
    const guard = new RedisTurnGuard(t.redis, { prefix: t.prefix });
    await guard.isDuplicate('msteams', 'act-1');
    const [key] = await t.keys();
    assert.equal(key, `${t.prefix}seen:msteams:act-1`);
    const ttl = await t.redis.ttl(key as string);
    assert.ok(ttl > 110 && ttl <= 120, `ttl ${ttl}`);
  });

  it('takes the lock with a lease and an owner token, and removes it after the turn', async () => {
    const guard = new RedisTurnGuard(t.redis, { prefix: t.prefix, leaseMs: 15_000 });
    const key = guard.lockKey('conv');
    await guard.withLock('conv', async () => {
      const pttl = await t.redis.pttl(key);
      assert.ok(pttl > 14_000 && pttl <= 15_000, `pttl ${pttl}`);
      assert.match((await t.redis.get(key)) ?? '', /^[0-9a-f-]{36}$/);
    });
    assert.equal(await t.redis.exists(key), 0);
  });

  it('frees a conversation whose turn died, once the lease expires', async () => {
    const guard = new RedisTurnGuard(t.redis, { prefix: t.prefix, leaseMs: 100, waitMs: 2000 });
    await t.redis.set(guard.lockKey('conv'), 'a dead process', 'PX', 100);
    assert.equal(await guard.withLock('conv', async () => 'took over'), 'took over');
  });

  it('never releases a lock that another turn took after its lease expired', async () => {
    const guard = new RedisTurnGuard(t.redis, { prefix: t.prefix, leaseMs: 50, waitMs: 2000 });
    const key = guard.lockKey('conv');
    await guard.withLock('conv', async () => {
      await sleep(80);
      await t.redis.set(key, 'someone else', 'PX', 10_000);
    });
    assert.equal(await t.redis.get(key), 'someone else');
  });

  it('hashes hostile long ids into short keys', async () => {
    const guard = new RedisTurnGuard(t.redis, { prefix: t.prefix });
    await guard.isDuplicate('webchat', 'z'.repeat(10_000));
    await guard.withLock('c'.repeat(10_000), async () => {
      for (const key of await t.keys()) assert.ok(key.length < 200, key.slice(0, 80));
    });
    assert.equal(await guard.isDuplicate('webchat', 'z'.repeat(10_000)), true);
  });
});
