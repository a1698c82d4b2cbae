import { AppError } from '../errors';

/**
 * Two protections around a turn: channels resend an activity they think was lost (after about 15 s), and
 * a teacher can type twice before the first answer; both must not run the dialog twice nor concurrently.
 */
export interface TurnGuard {
  /** True when this activity was already seen recently; records it otherwise. */
  isDuplicate(channelId: string, activityId: string): Promise<boolean>;
  /** Forgets an activity whose turn failed, so that the channel's retry is processed. */
  forget(channelId: string, activityId: string): Promise<void>;
  /** Runs `fn` while no other turn of the same conversation runs; throws STORE_UNAVAILABLE after a bounded wait. */
  withLock<T>(conversationKey: string, fn: () => Promise<T>): Promise<T>;
}

export const DEFAULT_DUPLICATE_TTL_MS = 120_000;
export const DEFAULT_LOCK_WAIT_MS = 10_000;

export function lockTimeout(): AppError {
  return new AppError('STORE_UNAVAILABLE', 'lock timeout');
}

export interface MemoryTurnGuardOptions {
  duplicateTtlMs?: number;
  waitMs?: number;
  /** Real elapsed time, not the application clock (which may be frozen in a demo). */
  now?: () => number;
}

/** For the embedded mode and tests: one process, so a promise chain per conversation is the lock. */
export class MemoryTurnGuard implements TurnGuard {
  private readonly seen = new Map<string, number>();
  private readonly tails = new Map<string, Promise<void>>();
  private readonly duplicateTtlMs: number;
  private readonly waitMs: number;
  private readonly now: () => number;

  constructor(options: MemoryTurnGuardOptions = {}) {
    this.duplicateTtlMs = options.duplicateTtlMs ?? DEFAULT_DUPLICATE_TTL_MS;
    this.waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.now = options.now ?? (() => performance.now());
  }

  async isDuplicate(channelId: string, activityId: string): Promise<boolean> {
    if (!activityId) return false;
    const now = this.now();
    if (this.seen.size > 10_000) this.prune(now);
    const key = `${channelId}\u0000${activityId}`;
    const expiresAt = this.seen.get(key);
    if (expiresAt !== undefined && expiresAt > now) return true;
    this.seen.set(key, now + this.duplicateTtlMs);
    return false;
  }

  async forget(channelId: string, activityId: string): Promise<void> {
    this.seen.delete(`${channelId}\u0000${activityId}`);
  }

  async withLock<T>(conversationKey: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(conversationKey) ?? Promise.resolve();
    let release: () => void = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The next turn waits for the previous one and for us, even if we give up waiting.
    const tail = previous.then(() => mine);
    this.tails.set(conversationKey, tail);
    try {
      await waitAtMost(previous, this.waitMs);
      return await fn();
    } finally {
      release();
      if (this.tails.get(conversationKey) === tail) this.tails.delete(conversationKey);
    }
  }

  private prune(now: number): void {
    for (const [key, expiresAt] of this.seen) if (expiresAt <= now) this.seen.delete(key);
  }
}

async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(lockTimeout()), ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
