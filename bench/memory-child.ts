// Run in a fresh process by measure-memory.ts, so each size's peak RSS is its own and not the previous run's.
import { getHeapStatistics } from "node:v8";
import { checkConfig } from "../src/review/check-config.ts";
import { generateMeshRepo } from "./generate-mesh-repo.ts";

const [size, seed] = process.argv.slice(2).map(Number);
const repo = generateMeshRepo({ resources: size ?? 1000, seed: seed ?? 1 });
globalThis.gc?.();
const before = process.memoryUsage();
const result = checkConfig(repo.files);
const heapCommitted = getHeapStatistics().total_heap_size;
const heapAfter = process.memoryUsage().heapUsed;
globalThis.gc?.();
const retained = process.memoryUsage().heapUsed;
process.stdout.write(JSON.stringify({
  findings: result.findings.length,
  rssBefore: before.rss,
  // resourceUsage().maxRSS is the kernel's high-water mark of this process, in KiB.
  peakRss: process.resourceUsage().maxRSS * 1024,
  heapBefore: before.heapUsed,
  heapCommitted,
  heapAfter,
  heapRetained: retained,
}));
