import {
  gcra,
  gcraRefund,
  type RateLimiter,
  type RateRule,
  type RateVerdict,
} from '../domain/limits/rate-limiter';

/**
 * The limiter of embedded mode (one process, no Redis): the same GCRA as the Redis script, in a Map.
 * Bounded: past `maxKeys` subjects the stalest are forgotten, and an attacker cycling subjects can only
 * push out buckets that were idle longest (a forgotten bucket starts full, as an expired Redis key does).
 */
export class MemoryRateLimiter implements RateLimiter {
  // Insertion order is recency order (an entry is re-inserted on every write): the first is the stalest.
  private readonly tats = new Map<string, number>();

  constructor(private readonly maxKeys = 50_000) {}

  async consume(rule: RateRule, subject: string, nowMs: number): Promise<RateVerdict> {
    const key = this.key(rule, subject);
    const step = gcra(rule, this.current(key, nowMs), nowMs);
    if (step.verdict.allowed) {
      this.tats.delete(key);
      this.tats.set(key, step.tat);
      while (this.tats.size > this.maxKeys) this.tats.delete(this.tats.keys().next().value as string);
    }
    return step.verdict;
  }

  async peek(rule: RateRule, subject: string, nowMs: number): Promise<RateVerdict> {
    return gcra(rule, this.current(this.key(rule, subject), nowMs), nowMs).verdict;
  }

  async refund(rule: RateRule, subject: string, nowMs: number): Promise<void> {
    const key = this.key(rule, subject);
    const tat = gcraRefund(rule, this.current(key, nowMs), nowMs);
    if (tat === undefined) this.tats.delete(key);
    else this.tats.set(key, tat);
  }

  private current(key: string, nowMs: number): number | undefined {
    const tat = this.tats.get(key);
    if (tat !== undefined && tat <= nowMs) {
      this.tats.delete(key);
      return undefined;
    }
    return tat;
  }

  private key(rule: RateRule, subject: string): string {
    return `${rule.name}\u0000${subject}`;
  }
}
