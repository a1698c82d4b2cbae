import { createHash } from 'node:crypto';
import type { RateLimiter, RateRule, RateVerdict } from '../../domain/limits/rate-limiter';
import type { Logger } from '../../log';
import type { RedisClient } from './client';
import { storeCall } from './errors';
import { keyPart } from './keys';
import { defineScript, type RunScript } from './scripts';

export interface RedisRateLimiterOptions {
  prefix?: string;
  /** Told when a rule lets an action through because Redis did not answer. */
  logger?: Logger;
}

/**
 * The limiter shared by every instance: one key `rl:<rule>:<subject>` per bucket, read and written by
 * one script (so two instances never both take the last token), expiring as soon as the bucket is full
 * again. Personal subjects (addresses, logins) only reach the key as a sha256; others go through
 * keyPart(), so that a hostile IP header or conversation id cannot make a long key.
 *
 * One key per script call, so it runs unchanged on a Redis Cluster (no hash tag needed).
 *
 * Times come from the application clock of the caller, not Redis TIME: instances are NTP-synchronised
 * and tests move the clock instead of sleeping. A skew of a few seconds shifts a wait by as much.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly prefix: string;
  private readonly run: RunScript;

  constructor(
    redis: RedisClient,
    private readonly options: RedisRateLimiterOptions = {},
  ) {
    this.prefix = options.prefix ?? '';
    this.run = defineScript(redis, 'rate-limit');
  }

  consume(rule: RateRule, subject: string, nowMs: number): Promise<RateVerdict> {
    return this.decide(rule, subject, nowMs, 'consume');
  }

  peek(rule: RateRule, subject: string, nowMs: number): Promise<RateVerdict> {
    return this.decide(rule, subject, nowMs, 'peek');
  }

  /**
   * In the same script as consume, so a refund and a stranger's concurrent failure on the same bucket
   * never lose one another. A refund that cannot reach Redis is only logged: the agent it was owed to
   * is already in, and the interval comes back by itself.
   */
  async refund(rule: RateRule, subject: string, nowMs: number): Promise<void> {
    try {
      await storeCall(`rate refund ${rule.name}`, () =>
        this.run([this.key(rule, subject)], [Math.floor(nowMs), rule.intervalMs, rule.burst, 'refund']),
      );
    } catch {
      this.options.logger?.warn({ rule: rule.name }, 'rate limit refund skipped: store unavailable');
    }
  }

  key(rule: RateRule, subject: string): string {
    const part = rule.hashSubject
      ? createHash('sha256').update(subject, 'utf8').digest('hex')
      : keyPart(subject);
    return `${this.prefix}rl:${rule.name}:${part}`;
  }

  private async decide(
    rule: RateRule,
    subject: string,
    nowMs: number,
    mode: 'consume' | 'peek',
  ): Promise<RateVerdict> {
    const args = [Math.floor(nowMs), rule.intervalMs, rule.burst, mode];
    let reply: unknown;
    try {
      reply = await storeCall(`rate limit ${rule.name}`, () => this.run([this.key(rule, subject)], args));
    } catch (error) {
      if (rule.whenStoreDown === 'refuse') throw error;
      this.options.logger?.warn({ rule: rule.name }, 'rate limit skipped: store unavailable');
      return { allowed: true };
    }
    const [allowed, retryAfterMs] = reply as [number, number];
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs: Number(retryAfterMs) };
  }
}
