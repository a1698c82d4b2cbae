import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestRedis {
  redis: Redis;
  /** `test:<random>:` — every key a test writes must start with it. */
  prefix: string;
  /** Every key under the prefix. */
  keys(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** A real Redis with a private prefix, so that tests can run in parallel and leave nothing behind. */
export async function testRedis(): Promise<TestRedis> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const keys = async (): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return [...new Set(found)];
  };
  return {
    redis,
    prefix,
    keys,
    async cleanup() {
      const found = await keys();
      if (found.length > 0) await redis.del(...found);
      await redis.quit();
    },
  };
}
