/**
 * One budget: `burst` actions in a row, then one more every `intervalMs` (GCRA, the « generic cell rate
 * algorithm », i.e. a token bucket kept as one timestamp). A sustained rate of one per `intervalMs`, with
 * room for a few quick retries. Unlike a fixed window, a refused client is told the precise wait, never
 * more than `intervalMs` once it stops insisting, and nothing needs to be swept: one small value per
 * subject, which expires by itself once the bucket is full again.
 */
export interface RateRule {
  /** Stable, short, ASCII: part of the Redis key (`rl:<name>:<subject>`). */
  readonly name: string;
  readonly burst: number;
  readonly intervalMs: number;
  /**
   * What to do when the shared store cannot answer: `allow` (the action is cheap and useful without the
   * store) or `refuse` (the action needs the store anyway, or an open door would be an attack surface).
   */
  readonly whenStoreDown: 'allow' | 'refuse';
  /** The subject is personal (an address, a login): only its sha256 may reach a key name. */
  readonly hashSubject: boolean;
}

export type RateVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * A limiter shared by every instance (Redis) or local to one process (embedded mode). Times are the
 * application clock's milliseconds, passed in, so that tests move time instead of sleeping.
 */
export interface RateLimiter {
  /** Counts one action of `subject` under `rule` if the budget allows it; a refusal counts nothing. */
  consume(rule: RateRule, subject: string, nowMs: number): Promise<RateVerdict>;
  /** Whether one action would be allowed now, counting nothing (limits on failures only). */
  peek(rule: RateRule, subject: string, nowMs: number): Promise<RateVerdict>;
  /**
   * Gives back one action that `consume` allowed (a login that turned out valid): one interval off the
   * bucket, never more, so what other actions counted before or meanwhile stays counted. Nothing else
   * empties a bucket: a success must not wipe the failures a stranger left.
   */
  refund(rule: RateRule, subject: string, nowMs: number): Promise<void>;
}

/** How far ahead of now the theoretical arrival time may run: the whole burst. */
export function burstSpanMs(rule: RateRule): number {
  return rule.burst * rule.intervalMs;
}

export interface GcraStep {
  readonly verdict: RateVerdict;
  /** The theoretical arrival time to store (unchanged on a refusal); it may be forgotten once past. */
  readonly tat: number;
}

/**
 * One GCRA decision. `tat` is the stored theoretical arrival time (undefined: never seen, or forgotten).
 * The Lua script (src/infra/redis/lua/rate-limit.lua) computes exactly this; the contract suite holds
 * both to it.
 */
export function gcra(rule: RateRule, tat: number | undefined, nowMs: number): GcraStep {
  const base = Math.max(tat ?? nowMs, nowMs);
  const next = base + rule.intervalMs;
  const allowAt = next - burstSpanMs(rule);
  if (allowAt <= nowMs) return { verdict: { allowed: true }, tat: next };
  return { verdict: { allowed: false, retryAfterMs: allowAt - nowMs }, tat: tat ?? nowMs };
}

/**
 * The theoretical arrival time after one refund: one interval earlier, and undefined (a full bucket, the
 * key may go) once that is not in the future. The Lua script's `refund` mode computes exactly this.
 * Since every allowed action moved the TAT forward by one interval from max(TAT, now), taking one
 * interval back undoes exactly one action: never below what the earlier ones left.
 */
export function gcraRefund(rule: RateRule, tat: number | undefined, nowMs: number): number | undefined {
  if (tat === undefined) return undefined;
  const back = tat - rule.intervalMs;
  return back > nowMs ? back : undefined;
}

/** Seconds for a Retry-After header: at least 1, rounded up. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
