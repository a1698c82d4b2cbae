import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, it } from 'mocha';
import { MemoryTranscriptStore } from '../../../src/infra/memory-transcript-store';
import { RedisTranscriptStore } from '../../../src/infra/redis/transcript-store';
import { type TestRedis, testRedis } from '../../support/redis';
import { entry, message, testClock, transcriptStoreContract } from './transcript-store.contract';

transcriptStoreContract('Redis', async (clock, bounds) => {
  const t = await testRedis();
  return {
    store: new RedisTranscriptStore(t.redis, { prefix: t.prefix, clock, ...(bounds ? { bounds } : {}) }),
    cleanup: () => t.cleanup(),
  };
});

transcriptStoreContract('memory', async (clock, bounds) => ({
  store: new MemoryTranscriptStore({ clock, ...(bounds ? { bounds } : {}) }),
  cleanup: async () => undefined,
}));

describe('RedisTranscriptStore: keys and retention', () => {
  let t: TestRedis;
  let store: RedisTranscriptStore;
  const clock = testClock();

  beforeEach(async () => {
    t = await testRedis();
    store = new RedisTranscriptStore(t.redis, { prefix: t.prefix, clock, ttlDays: 90 });
  });
  afterEach(async () => t.cleanup());

  it('writes the documented keys, all under the prefix and all with the retention TTL', async () => {
    await store.append(entry('c1', [message(1)], 'jean.martin@ac-paris.fr'));
    const keys = (await t.keys()).sort();
    assert.deepEqual(
      keys,
      [
        'tr:meta:{webchat:c1}',
        'tr:{index}:by-address:jean.martin@ac-paris.fr',
        'tr:{index}:by-channel:webchat',
        'tr:{index}:by-day:2014-11-20',
        'tr:{webchat:c1}',
      ].map((k) => `${t.prefix}${k}`),
    );
    for (const key of keys) {
      const ttl = await t.redis.ttl(key);
      assert.ok(ttl > 89 * 86_400 && ttl <= 90 * 86_400, `${key}: TTL ${ttl}`);
    }
    assert.deepEqual(await t.redis.zrange(`${t.prefix}tr:{index}:by-day:2014-11-20`, '0', '-1'), [
      'webchat/c1',
    ]);
    const meta = await t.redis.hgetall(`${t.prefix}tr:meta:{webchat:c1}`);
    assert.equal(meta.created, '2014-11-20T09:00:00.000Z');
    assert.equal(meta.email, 'jean.martin@ac-paris.fr');
  });

  it('refreshes the TTL on every write', async () => {
    await store.append(entry('c1', [message(1)]));
    await t.redis.expire(`${t.prefix}tr:{webchat:c1}`, 10);
    await store.append(entry('c1', [message(2)]));
    assert.ok((await t.redis.ttl(`${t.prefix}tr:{webchat:c1}`)) > 89 * 86_400);
  });

  it('hashes long conversation ids in keys, and keeps the real id in the meta', async () => {
    const long = 'y'.repeat(10_000);
    await store.append(entry(long, [message(1)]));
    for (const key of await t.keys()) assert.ok(key.length < 400, key.slice(0, 80));
    assert.equal((await store.findByDay('2014-11-20'))[0]?.conversationId, long);
  });

  it('skips index entries whose transcript expired, and prunes them', async () => {
    await store.append(entry('old', [message(1)], 'jean.martin@ac-paris.fr'));
    await t.redis.del(`${t.prefix}tr:meta:{webchat:old}`, `${t.prefix}tr:{webchat:old}`);
    assert.deepEqual(await store.findByEmail('jean.martin@ac-paris.fr'), []);
    clock.set('2015-06-01T09:00:00Z'); // beyond 90 days: the next write prunes the old members
    await store.append(entry('new', [message(2)], 'jean.martin@ac-paris.fr'));
    assert.deepEqual(
      await t.redis.zrange(`${t.prefix}tr:{index}:by-address:jean.martin@ac-paris.fr`, '0', '-1'),
      ['webchat/new'],
    );
    assert.deepEqual(await t.redis.zrange(`${t.prefix}tr:{index}:by-channel:webchat`, '0', '-1'), [
      'webchat/new',
    ]);
    clock.set('2014-11-20T09:00:00Z');
  });

  it('counts the bytes kept and the lines dropped in the meta, and the marker only once', async () => {
    const small = new RedisTranscriptStore(t.redis, { prefix: t.prefix, clock, bounds: { maxLines: 3 } });
    await small.append(entry('c1', [message(0), message(1)]));
    const meta = `${t.prefix}tr:meta:{webchat:c1}`;
    const list = `${t.prefix}tr:{webchat:c1}`;
    const stored = await t.redis.lrange(list, 0, -1);
    assert.equal(Number(await t.redis.hget(meta, 'bytes')), stored.join('').length);
    for (let i = 2; i < 10; i++) await small.append(entry('c1', [message(i)]));
    assert.equal(await t.redis.llen(list), 4, 'three lines and the marker');
    assert.equal(await t.redis.hget(meta, 'dropped'), '7');
    for (const key of [meta, list]) assert.ok((await t.redis.ttl(key)) > 89 * 86_400, key);
  });

  it('reads a transcript written before lines were compact (whole redacted activities)', async () => {
    await store.append(entry('old', [message(0)]));
    const list = `${t.prefix}tr:{webchat:old}`;
    await t.redis.rpush(
      list,
      JSON.stringify({
        type: 'message',
        id: 'legacy',
        from: { id: 'assistant-electeur', role: 'bot' },
        timestamp: '2014-11-20T09:00:05.000Z',
        text: 'Bonjour !',
        channelData: { filler: 'x'.repeat(1_000) },
      }),
    );
    const [, legacy] = await store.activities('webchat', 'old');
    assert.equal(legacy?.text, 'Bonjour !');
    assert.equal(legacy?.id, 'legacy');
    assert.deepEqual(legacy?.from, { id: 'bot', role: 'bot' });
    assert.equal(legacy?.timestamp, '2014-11-20T09:00:05.000Z');
    assert.equal(legacy?.channelData, undefined);
  });

  it('turns a Redis failure into STORE_UNAVAILABLE', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    const offline = new RedisTranscriptStore(dead, { prefix: t.prefix, clock });
    await assert.rejects(offline.append(entry('c1', [message(1)])), { code: 'STORE_UNAVAILABLE' });
    dead.disconnect();
    assert.deepEqual(await t.keys(), []);
  });
});
