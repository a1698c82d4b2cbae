import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Redis } from 'ioredis';
import { storeCall } from './errors';
import { keyPart } from './keys';
import { defineScript, type RunScript } from './scripts';

export interface RedisStorageOptions {
  prefix?: string;
  /** Refreshed on every write; 0 keeps items forever. Default 30 days, so abandoned conversations expire. */
  ttlSeconds?: number;
}

export const DEFAULT_STATE_TTL_SECONDS = 30 * 24 * 3600;

/**
 * botbuilder Storage on Redis. Each item is a hash { e: eTag, v: JSON without the eTag }.
 *
 * Writes follow botbuilder's eTag contract in one Lua script, all items or none: no eTag or '*' writes
 * unconditionally, any other eTag must equal the stored one, otherwise nothing is written and the error
 * message contains « eTag conflict ». Unlike MemoryStorage, a stale eTag on a missing item is a conflict
 * too (the item was deleted since it was read). Note that BotState itself always writes with '*': the
 * conversation lock, not the eTag, is what serialises turns.
 */
export class RedisStorage implements Storage {
  private readonly prefix: string;
  private readonly ttlSeconds: number;
  private readonly writeScript: RunScript;

  constructor(
    private readonly redis: Redis,
    options: RedisStorageOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_STATE_TTL_SECONDS;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds < 0) {
      throw new RangeError('ttlSeconds must be a non-negative integer');
    }
    this.writeScript = defineScript(redis, 'storage-write');
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when reading.');
    if (keys.length === 0) return {};
    const replies = await storeCall('state read', async () => {
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.hmget(this.redisKey(key), 'e', 'v');
      const results = (await pipeline.exec()) ?? [];
      return keys.map((_, i) => {
        const [error, reply] = results[i] ?? [new Error('missing pipeline reply')];
        if (error) throw error;
        return reply as [string | null, string | null];
      });
    });
    const items: StoreItems = {};
    keys.forEach((key, i) => {
      const [eTag, json] = replies[i] ?? [null, null];
      if (json === null || eTag === null) return;
      items[key] = { ...(JSON.parse(json) as Record<string, unknown>), eTag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object')
      throw new ReferenceError('Changes are required when writing.');
    const keys = Object.keys(changes);
    if (keys.length === 0) return;
    const args: string[] = [String(this.ttlSeconds)];
    for (const key of keys) {
      const { eTag, ...value } = (changes[key] ?? {}) as { eTag?: unknown } & Record<string, unknown>;
      const expected = typeof eTag === 'string' && eTag !== '*' ? eTag : '';
      args.push(expected, randomUUID(), JSON.stringify(value));
    }
    const written = (await storeCall('state write', () =>
      this.writeScript(
        keys.map((key) => this.redisKey(key)),
        args,
      ),
    )) as number;
    if (written < 0) {
      throw new Error(`Storage: error writing "${keys[-written - 1]}" due to eTag conflict.`);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys) || keys.length === 0) return;
    await storeCall('state delete', () => this.redis.del(...keys.map((key) => this.redisKey(key))));
  }

  /** The Redis key of a storage key (exposed for tests and operations). */
  redisKey(key: string): string {
    return `${this.prefix}state:${keyPart(key)}`;
  }
}
