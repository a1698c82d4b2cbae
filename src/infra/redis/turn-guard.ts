import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_DUPLICATE_TTL_MS, DEFAULT_LOCK_WAIT_MS, lockTimeout, type TurnGuard } from '../turn-guard';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { keyPart } from './keys';
import { defineScript, type RunScript } from './scripts';

export interface RedisTurnGuardOptions {
  prefix?: string;
  /** How long an activity id is remembered. Channels retry after about 15 s; 120 s covers several retries. */
  duplicateTtlSeconds?: number;
  /**
   * Lease of the lock, renewed while the turn runs: if the process dies mid-turn, the conversation is free
   * again after this. Shorter than `waitMs`, so that the teacher's next message gets through instead of
   * waiting for a dead turn and failing.
   */
  leaseMs?: number;
  /** Longest wait for the lock before giving up with STORE_UNAVAILABLE. */
  waitMs?: number;
}

/** Renewed every third of it: a dead process holds a conversation 5 s at most, less than a turn waits. */
export const DEFAULT_LEASE_MS = 5_000;

/**
 * The same guard across several bot processes. The lease is renewed while the turn runs (compare-and-
 * extend); a turn whose renewals fail (Redis gone, event loop stalled) loses exclusivity but never
 * deletes a lock taken after it (compare-and-delete on an owner token). Waiting uses real elapsed time,
 * never the application clock.
 */
export class RedisTurnGuard implements TurnGuard {
  private readonly prefix: string;
  private readonly duplicateTtlSeconds: number;
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly release: RunScript;
  private readonly extend: RunScript;

  constructor(
    private readonly redis: RedisClient,
    options: RedisTurnGuardOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.duplicateTtlSeconds = options.duplicateTtlSeconds ?? DEFAULT_DUPLICATE_TTL_MS / 1000;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.release = defineScript(redis, 'lock-release');
    this.extend = defineScript(redis, 'lock-extend');
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
    let leaseEnd = performance.now() + this.leaseMs;
    // A failed renewal is not fatal: the turn goes on, at worst without exclusivity once the lease ends.
    const renewal = setInterval(() => {
      const renewedAt = performance.now();
      this.extend([key], [owner, this.leaseMs]).then(
        (extended) => {
          if (extended === 1) leaseEnd = renewedAt + this.leaseMs;
        },
        () => undefined,
      );
    }, this.leaseMs / 3);
    renewal.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renewal);
      // If Redis is unreachable now, do not hide fn's outcome. The lock survives in a persistent Redis:
      // keep releasing in the background so that the conversation is free as soon as Redis is back, not
      // only when the lease runs out (the teacher's retry would wait for it, then fail again).
      await this.release([key], [owner]).catch(() => this.releaseLater(key, owner, leaseEnd));
    }
  }

  private releaseLater(key: string, owner: string, leaseEnd: number): void {
    void (async () => {
      for (let delay = 250; performance.now() + delay < leaseEnd; delay = Math.min(2_000, delay * 2)) {
        await sleep(delay, undefined, { ref: false });
        try {
          await this.release([key], [owner]);
          return;
        } catch {
          // Still unreachable: try again, until the lease would have freed it anyway.
        }
      }
    })();
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
