import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { MemoryHandoffStore } from '../../src/infra/memory-handoff-store';
import { RedisHandoffStore } from '../../src/infra/redis/handoff-store';
import { testRedis } from '../support/redis';
import { handoffStoreContract } from './handoff-store.contract';

handoffStoreContract('memory', async () => ({ store: new MemoryHandoffStore(), cleanup: async () => {} }));

handoffStoreContract('Redis', async () => {
  const redis = await testRedis();
  return {
    store: new RedisHandoffStore(redis.redis, { prefix: redis.prefix }),
    cleanup: () => redis.cleanup(),
  };
});

describe('RedisHandoffStore keys', () => {
  it('gives every key an expiry', async () => {
    const redis = await testRedis();
    try {
      const store = new RedisHandoffStore(redis.redis, { prefix: redis.prefix });
      await store.request({ channelId: 'webchat', conversationId: 'c', conversation: {} }, Date.now());
      await store.append('webchat', 'c', { at: Date.now(), from: 'teacher', text: 'bonjour' });
      const keys = await redis.keys();
      assert.equal(keys.length, 3);
      for (const key of keys) assert.ok((await redis.redis.pttl(key)) > 0, key);
    } finally {
      await redis.cleanup();
    }
  });
});
