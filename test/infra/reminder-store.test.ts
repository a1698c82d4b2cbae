import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { MemoryReminderStore } from '../../src/infra/memory-reminder-store';
import { RedisReminderStore } from '../../src/infra/redis/reminder-store';
import { testRedis } from '../support/redis';
import { reminderStoreContract } from './reminder-store.contract';

reminderStoreContract('memory', async () => ({ store: new MemoryReminderStore(), cleanup: async () => {} }));

reminderStoreContract('Redis', async () => {
  const redis = await testRedis();
  return {
    store: new RedisReminderStore(redis.redis, { prefix: redis.prefix }),
    cleanup: () => redis.cleanup(),
  };
});

describe('RedisReminderStore keys', () => {
  it('gives every key it writes an expiry', async () => {
    const redis = await testRedis();
    try {
      const store = new RedisReminderStore(redis.redis, { prefix: redis.prefix });
      const now = Date.parse('2014-11-20T09:00:00+01:00');
      await store.schedule(
        {
          id: 'tag:voteOpens',
          kind: 'voteOpens',
          conversationTag: 'tag',
          conversation: {},
          dueAt: now + 1000,
        },
        now,
      );
      const keys = await redis.keys();
      assert.equal(keys.length, 2);
      for (const key of keys) assert.ok((await redis.redis.pttl(key)) > 0, key);
    } finally {
      await redis.cleanup();
    }
  });
});
