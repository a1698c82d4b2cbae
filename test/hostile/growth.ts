/**
 * How the cost of something grows when its input doubles, measured so that the answer holds on a busy
 * 2-core machine: a warm-up, then small and large samples interleaved (a burst of load hits both), the
 * ratio of their medians; a ratio past the bound is measured once more and the lower one kept, since load
 * can only add time while a quadratic cost is 4× every time.
 */
export interface Growth {
  /** Median cost of the large input ÷ median cost of the small one. */
  readonly ratio: number;
  readonly smallMs: number;
  readonly largeMs: number;
}

/** Doubling the input may cost at most this factor: linear is 2 (less with fixed costs), quadratic 4. */
export const MAX_GROWTH = 3;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** `sample(input)` returns the milliseconds one sample took. */
export async function growth(
  sample: (input: string) => Promise<number> | number,
  small: string,
  large: string,
  rounds = 7,
): Promise<Growth> {
  const once = async (): Promise<Growth> => {
    await sample(small);
    await sample(large);
    const smallMs: number[] = [];
    const largeMs: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      smallMs.push(await sample(small));
      largeMs.push(await sample(large));
    }
    const s = median(smallMs);
    const l = median(largeMs);
    return { ratio: l / Math.max(s, 1e-3), smallMs: s, largeMs: l };
  };
  const first = await once();
  if (first.ratio <= MAX_GROWTH) return first;
  const second = await once();
  return second.ratio < first.ratio ? second : first;
}

/**
 * A sampler for a synchronous function: enough calls per sample that the small input takes a few
 * milliseconds (timer resolution and a stray collection then matter little), the same count for both.
 */
export function callsSampler(
  run: (input: string) => unknown,
  small: string,
  targetMs = 4,
): (input: string) => number {
  run(small);
  let calls = 1;
  for (;;) {
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) run(small);
    const took = performance.now() - started;
    if (took >= targetMs || calls >= 4096) break;
    calls *= 2;
  }
  return (input) => {
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) run(input);
    return performance.now() - started;
  };
}
