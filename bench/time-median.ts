export interface Timing {
  /** Milliseconds, the median of the timed runs. */
  readonly median: number;
  readonly runs: readonly number[];
}

/** Runs `fn` `warmup` times untimed (JIT, caches), then `runs` times timed; the median resists a noisy shared machine. */
export function timeMedian(fn: () => unknown, runs: number, warmup = 1): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, runs: times };
}
