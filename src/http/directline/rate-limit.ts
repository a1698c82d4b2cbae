/**
 * A token bucket per key (the client's IP), in this process's memory. Enough for one instance: with
 * several instances behind a load balancer each one counts alone, so the effective limit is multiplied by
 * their number (a shared limiter in Redis would be the next step if that ever matters).
 */
export interface RateLimiter {
  /** Takes one token for `key`; when refused, says in how many seconds one will be available. */
  take(key: string, nowMs?: number): { allowed: true } | { allowed: false; retryAfterSeconds: number };
}

export interface RateLimitOptions {
  /** Burst: how many requests in a row. */
  readonly capacity: number;
  /** Sustained rate. */
  readonly refillPerSecond: number;
  /** Keys remembered at most (the oldest idle buckets are forgotten first). */
  readonly maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const { capacity, refillPerSecond } = options;
  const maxKeys = options.maxKeys ?? 10_000;
  // Insertion order is recency order (a bucket is re-inserted on every use): the first one is the stalest.
  const buckets = new Map<string, Bucket>();

  return {
    take(key, nowMs = Date.now()) {
      const bucket = buckets.get(key) ?? { tokens: capacity, updatedMs: nowMs };
      buckets.delete(key);
      bucket.tokens = Math.min(
        capacity,
        bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * refillPerSecond,
      );
      bucket.updatedMs = nowMs;
      buckets.set(key, bucket);
      // An attacker cycling addresses can only push out idle buckets, which are full anyway.
      while (buckets.size > maxKeys) {
        const oldest = buckets.keys().next().value as string;
        buckets.delete(oldest);
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / refillPerSecond) };
    },
  };
}
