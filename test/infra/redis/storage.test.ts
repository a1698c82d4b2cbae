import assert from 'node:assert/strict';
import { MemoryStorage } from 'botbuilder';
import { RedisStorage } from '../../../src/infra/redis/storage';
import { type TestRedis, testRedis } from '../../support/redis';

describe('RedisStorage', () => {
  let t: TestRedis;
  let storage: RedisStorage;

  beforeEach(async () => {
    t = await testRedis();
    storage = new RedisStorage(t.redis, { prefix: t.prefix });
  });
  afterEach(async () => t.cleanup());

  it('reads nothing for missing keys', async () => {
    assert.deepEqual(await storage.read(['absent', 'other']), {});
    assert.deepEqual(await storage.read([]), {});
  });

  it('reads back what it wrote, with a new eTag on every write', async () => {
    await storage.write({ a: { step: 1, nested: { texte: 'élève' } }, b: { n: 2 } });
    const first = await storage.read(['a', 'b', 'absent']);
    assert.deepEqual(Object.keys(first).sort(), ['a', 'b']);
    assert.equal(first.a.step, 1);
    assert.equal(first.a.nested.texte, 'élève');
    assert.equal(typeof first.a.eTag, 'string');
    assert.notEqual(first.a.eTag, first.b.eTag);

    await storage.write({ a: { ...first.a, step: 2 } });
    const second = await storage.read(['a']);
    assert.equal(second.a.step, 2);
    assert.notEqual(second.a.eTag, first.a.eTag);
  });

  it("writes unconditionally with eTag '*' or without eTag", async () => {
    await storage.write({ a: { v: 1 } });
    await storage.write({ a: { v: 2, eTag: '*' } });
    await storage.write({ a: { v: 3 } });
    assert.equal((await storage.read(['a'])).a.v, 3);
  });

  it('compares and sets: a stale eTag is refused and writes nothing, not even the other items', async () => {
    await storage.write({ a: { v: 1 }, b: { v: 1 } });
    const read = await storage.read(['a', 'b']);
    await storage.write({ a: { ...read.a, v: 2 } });

    await assert.rejects(
      storage.write({ b: { ...read.b, v: 'b2' }, a: { ...read.a, v: 'stale' } }),
      /eTag conflict/,
    );
    const after = await storage.read(['a', 'b']);
    assert.equal(after.a.v, 2);
    assert.equal(after.b.v, 1, 'the valid item of a refused batch must not be written');
    assert.equal(after.b.eTag, read.b.eTag);
  });

  it('lets exactly one of ten concurrent writers with the same eTag win', async () => {
    await storage.write({ conv: { turn: 0 } });
    const { conv } = await storage.read(['conv']);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => storage.write({ conv: { ...conv, turn: i + 1 } })),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r) => r.status === 'rejected');
    assert.equal(fulfilled.length, 1);
    assert.equal(rejected.length, 9);
    for (const r of rejected) assert.match(String((r as PromiseRejectedResult).reason), /eTag conflict/);
    assert.notEqual((await storage.read(['conv'])).conv.turn, 0);
  });

  it('refuses a stale eTag on an item deleted since it was read', async () => {
    await storage.write({ a: { v: 1 } });
    const { a } = await storage.read(['a']);
    await storage.delete(['a']);
    await assert.rejects(storage.write({ a: { ...a, v: 2 } }), /eTag conflict/);
    assert.deepEqual(await storage.read(['a']), {});
  });

  it('agrees with MemoryStorage on the common eTag cases', async () => {
    for (const candidate of [new MemoryStorage(), storage]) {
      await candidate.write({ k: { v: 1 } });
      const { k } = await candidate.read(['k']);
      await candidate.write({ k: { ...k, v: 2 } });
      await assert.rejects(candidate.write({ k: { ...k, v: 3 } }), /eTag conflict/);
      await candidate.write({ k: { ...k, v: 4, eTag: '*' } });
      assert.equal((await candidate.read(['k'])).k.v, 4);
    }
  });

  it('deletes', async () => {
    await storage.write({ a: { v: 1 }, b: { v: 2 } });
    await storage.delete(['a', 'absent']);
    assert.deepEqual(Object.keys(await storage.read(['a', 'b'])), ['b']);
    await storage.delete([]);
  });

  it('keeps items for 30 days by default and refreshes the TTL on write', async () => {
    await storage.write({ a: { v: 1 } });
    const key = storage.redisKey('a');
    await t.redis.expire(key, 60);
    await storage.write({ a: { v: 2 } });
    const ttl = await t.redis.ttl(key);
    assert.ok(ttl > 30 * 24 * 3600 - 10 && ttl <= 30 * 24 * 3600, `ttl ${ttl}`);
  });

  it('honours a custom TTL, and 0 keeps items forever', async () => {
    const short = new RedisStorage(t.redis, { prefix: `${t.prefix}short:`, ttlSeconds: 90 });
    await short.write({ a: { v: 1 } });
    const ttl = await t.redis.ttl(short.redisKey('a'));
    assert.ok(ttl > 80 && ttl <= 90, `ttl ${ttl}`);

    const forever = new RedisStorage(t.redis, { prefix: `${t.prefix}forever:`, ttlSeconds: 0 });
    await forever.write({ a: { v: 1 } });
    assert.equal(await t.redis.ttl(forever.redisKey('a')), -1);
  });

  it('stores keys under the prefix and hashes hostile long keys', async () => {
    const longKey = `msteams/conversations/${'x'.repeat(5000)}/`;
    await storage.write({ [longKey]: { v: 'long' }, 'webchat/conversations/abc/': { v: 'short' } });
    const keys = await t.keys();
    // A conversation's state is under the hash tag its lock and transcript share (keys.ts).
    assert.ok(keys.includes(`${t.prefix}state:{webchat:abc}`), keys.join(' '));
    assert.ok(
      keys.every((k) => k.length < 300),
      'no huge key',
    );
    assert.equal((await storage.read([longKey]))[longKey].v, 'long');
  });

  it('stores values as JSON without the eTag inside', async () => {
    await storage.write({ a: { v: 1, eTag: '*' } });
    const stored = await t.redis.hget(storage.redisKey('a'), 'v');
    assert.deepEqual(JSON.parse(stored ?? 'null'), { v: 1 });
  });
});
