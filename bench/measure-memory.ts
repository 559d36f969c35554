import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface MemoryFigures {
  /** RSS and heap after generating the repo, before the check (after a GC). */
  readonly rssBefore: number;
  readonly heapBefore: number;
  /** The process's RSS high-water mark over the whole run. */
  readonly peakRss: number;
  /** V8's committed heap right after the check: it grows to hold the peak and is not yet given back. */
  readonly heapCommitted: number;
  /** Heap in use right after the check (live data and not-yet-collected garbage). */
  readonly heapAfter: number;
  /** Heap still in use after a GC with the result kept alive: what the findings and the indexed set cost. */
  readonly heapRetained: number;
  readonly findings: number;
}

const CHILD = fileURLToPath(new URL("./memory-child.ts", import.meta.url));

/** Measures one `checkConfig` of a `size`-resource repo in a fresh Node process. */
export function measureMemory(size: number, seed: number): MemoryFigures {
  const out = execFileSync(process.execPath, ["--expose-gc", CHILD, String(size), String(seed)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as MemoryFigures;
}
