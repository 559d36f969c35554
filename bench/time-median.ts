export interface Timing {
  /** Milliseconds, the median of the timed runs. */
  readonly median: number;
  readonly runs: readonly number[];
}

/** Runs `fn` `warmup` times untimed (JIT, caches), then `runs` times timed; the median resists a noisy shared machine. */
export function timeMedian(fn: () => unknown, runs: number, warmup = 1): Timing {
  return timeMedians([fn], runs, warmup)[0] as Timing;
}

/**
 * Times functions meant to be compared as a ratio, interleaved run by run: both see the same machine
 * (another process, a GC of the other's garbage, CPU frequency), so the ratio holds up better than
 * two medians taken minutes apart.
 */
export function timeMedians(fns: readonly (() => unknown)[], runs: number, warmup = 1): Timing[] {
  for (let i = 0; i < warmup; i++) for (const fn of fns) fn();
  const times = fns.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, fn] of fns.entries()) {
      globalThis.gc?.();
      const start = performance.now();
      fn();
      times[k]?.push(performance.now() - start);
    }
  }
  return times.map((t) => ({ median: median(t), runs: t }));
}

function median(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
