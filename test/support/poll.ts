import { setTimeout as sleep } from 'node:timers/promises';

/** Calls `probe` until it returns true or `timeoutMs` of real time has passed; returns the last answer. */
export async function eventually(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (performance.now() > deadline) return false;
    await sleep(everyMs);
  }
}
