import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { Cluster } from 'ioredis';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { conversationKeys, keyPart } from './keys';
import { defineScript, type RunScript } from './scripts';

export interface RedisStorageOptions {
  prefix?: string;
  /** Refreshed on every write; 0 keeps items forever. Default 30 days, so abandoned conversations expire. */
  ttlSeconds?: number;
}

export const DEFAULT_STATE_TTL_SECONDS = 30 * 24 * 3600;

/** ConversationState's storage key without namespace; the channel is the text before the first marker. */
const CONVERSATION_KEY = /^(.+?)\/conversations\/(.+)\/$/s;

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
    private readonly redis: RedisClient,
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
    // One command per item, sent together: items live in different slots of a Cluster, where a pipeline
    // spanning several nodes is refused.
    const replies = await storeCall('state read', () =>
      Promise.all(keys.map((key) => this.redis.hmget(this.redisKey(key), 'e', 'v'))),
    );
    const items: StoreItems = {};
    keys.forEach((key, i) => {
      const [eTag, json] = replies[i] ?? [];
      if (json == null || eTag == null) return;
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
    if (keys.length > 1 && this.redis instanceof Cluster) {
      // Items of different conversations live in different slots: on a Cluster each is written by its own
      // script, atomic with its own eTag check but not with the others (a conflict stops the items after
      // it). BotState writes one item per call, so turns never depend on this.
      for (const [i, key] of keys.entries()) {
        await this.writeItems([key], [String(this.ttlSeconds), ...args.slice(1 + i * 3, 4 + i * 3)]);
      }
      return;
    }
    await this.writeItems(keys, args);
  }

  private async writeItems(keys: readonly string[], args: readonly string[]): Promise<void> {
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
    // One DEL per key: a multi-key DEL would span slots on a Cluster.
    await storeCall('state delete', () => Promise.all(keys.map((key) => this.redis.del(this.redisKey(key)))));
  }

  /**
   * The Redis key of a storage key (exposed for tests and operations). A conversation's state
   * (ConversationState's `<channel>/conversations/<id>/`) is `state:{<channel>:<id>}`, under the hash tag
   * its lock, duplicate filter and transcript share (keys.ts): the turn guard reads and writes it in the
   * scripts before and after a turn. Other keys are `state:<key>`.
   */
  redisKey(key: string): string {
    const conversation = CONVERSATION_KEY.exec(key);
    if (conversation)
      return conversationKeys(this.prefix, conversation[1] ?? '', conversation[2] ?? '').state;
    return `${this.prefix}state:${keyPart(key)}`;
  }
}
