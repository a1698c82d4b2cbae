/**
 * Counts failures per key in a fixed window, in this process's memory. Enough for one instance; with
 * several instances each counts alone, so an attacker gets the limit times the number of instances (a
 * shared counter in Redis would be the next step).
 */
export interface FailureLimiter {
  /** Seconds until `key` may try again, or 0 when it may try now. */
  blockedFor(key: string, nowMs: number): number;
  fail(key: string, nowMs: number): void;
  clear(key: string): void;
}

interface Window {
  failures: number;
  resetAtMs: number;
}

export function createFailureLimiter(
  maxFailures: number,
  windowMs: number,
  maxKeys = 10_000,
): FailureLimiter {
  // Insertion order is recency order: the first key is the stalest one, forgotten first.
  const windows = new Map<string, Window>();
  const current = (key: string, nowMs: number): Window | undefined => {
    const window = windows.get(key);
    if (window && window.resetAtMs <= nowMs) {
      windows.delete(key);
      return undefined;
    }
    return window;
  };
  return {
    blockedFor(key, nowMs) {
      const window = current(key, nowMs);
      if (!window || window.failures < maxFailures) return 0;
      return Math.max(1, Math.ceil((window.resetAtMs - nowMs) / 1000));
    },
    fail(key, nowMs) {
      const window = current(key, nowMs) ?? { failures: 0, resetAtMs: nowMs + windowMs };
      window.failures += 1;
      windows.delete(key);
      windows.set(key, window);
      while (windows.size > maxKeys) windows.delete(windows.keys().next().value as string);
    },
    clear(key) {
      windows.delete(key);
    },
  };
}
