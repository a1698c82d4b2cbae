import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { DEFAULT_DUPLICATE_TTL_MS, DEFAULT_LOCK_WAIT_MS, lockTimeout, type TurnGuard } from '../turn-guard';
import { storeCall } from './errors';
import { keyPart } from './keys';
import { defineScript, type RunScript } from './scripts';

export interface RedisTurnGuardOptions {
  prefix?: string;
  /** How long an activity id is remembered. Channels retry after about 15 s; 120 s covers several retries. */
  duplicateTtlSeconds?: number;
  /** Lease of the lock: if the process dies mid-turn, the conversation is free again after this. */
  leaseMs?: number;
  /** Longest wait for the lock before giving up with STORE_UNAVAILABLE. */
  waitMs?: number;
}

/**
 * The same guard across several bot processes. A turn that outlives its lease loses exclusivity but never
 * deletes a lock taken after it (compare-and-delete on an owner token). Waiting uses real elapsed time,
 * never the application clock.
 */
export class RedisTurnGuard implements TurnGuard {
  private readonly prefix: string;
  private readonly duplicateTtlSeconds: number;
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly release: RunScript;

  constructor(
    private readonly redis: Redis,
    options: RedisTurnGuardOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.duplicateTtlSeconds = options.duplicateTtlSeconds ?? DEFAULT_DUPLICATE_TTL_MS / 1000;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.release = defineScript(redis, 'lock-release');
  }

  async isDuplicate(channelId: string, activityId: string): Promise<boolean> {
    if (!activityId) return false;
    const key = this.seenKey(channelId, activityId);
    const set = await storeCall('duplicate check', () =>
      this.redis.set(key, '1', 'EX', this.duplicateTtlSeconds, 'NX'),
    );
    return set !== 'OK';
  }

  async forget(channelId: string, activityId: string): Promise<void> {
    await storeCall('duplicate forget', () => this.redis.del(this.seenKey(channelId, activityId)));
  }

  private seenKey(channelId: string, activityId: string): string {
    return `${this.prefix}seen:${keyPart(channelId)}:${keyPart(activityId)}`;
  }

  async withLock<T>(conversationKey: string, fn: () => Promise<T>): Promise<T> {
    const key = this.lockKey(conversationKey);
    const owner = randomUUID();
    await this.acquire(key, owner);
    try {
      return await fn();
    } finally {
      // If Redis is unreachable now, the lease frees the conversation anyway: do not hide fn's outcome.
      await this.release([key], [owner]).catch(() => undefined);
    }
  }

  lockKey(conversationKey: string): string {
    return `${this.prefix}lock:conv:${keyPart(conversationKey)}`;
  }

  private async acquire(key: string, owner: string): Promise<void> {
    const deadline = performance.now() + this.waitMs;
    let delay = 20;
    for (;;) {
      const taken = await storeCall('lock', () => this.redis.set(key, owner, 'PX', this.leaseMs, 'NX'));
      if (taken === 'OK') return;
      const remaining = deadline - performance.now();
      if (remaining <= 0) throw lockTimeout();
      // Jitter keeps two waiting turns from polling in lockstep.
      await sleep(Math.min(remaining, delay * (0.5 + Math.random())));
      delay = Math.min(250, delay * 2);
    }
  }
}
