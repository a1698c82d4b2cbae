import type { Redis } from 'ioredis';

/** Every value under the keys given, as text, whatever the Redis type: to look for something in clear. */
export async function dumpRedis(redis: Redis, keys: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    let value: unknown;
    if (type === 'string') value = await redis.get(key);
    else if (type === 'hash') value = await redis.hgetall(key);
    else if (type === 'zset') value = await redis.zrange(key, '0', '-1');
    else if (type === 'list') value = await redis.lrange(key, 0, -1);
    else if (type === 'set') value = await redis.smembers(key);
    parts.push(`${key} ${JSON.stringify(value)}`);
  }
  return parts.join('\n');
}
