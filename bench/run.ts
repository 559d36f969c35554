// `npm run bench`: the speed figures of issue 2 §6, from one run. It only reports; nothing here fails a build.
import { parseAllDocuments } from "yaml";
import { parseDocuments } from "../src/mesh/parse-documents.ts";
import type { Finding } from "../src/review/finding.ts";
import { checkConfig } from "../src/review/check-config.ts";
import { compareSchemaValidators, type SchemaRow } from "./compare-schema-validators.ts";
import { generateMeshRepo, type MeshRepo } from "./generate-mesh-repo.ts";
import { measureAppReview } from "./measure-app-review.ts";
import { measureBundle } from "./measure-bundle.ts";
import { GITHUB_COMMENT_LIMIT, measureChangeReview } from "./measure-change-review.ts";
import { measureMemory, type MemoryFigures } from "./measure-memory.ts";
import { probeEngine } from "./probe-engine.ts";
import { profilePhases, type PhaseTimes } from "./profile-phases.ts";
import { timeMedians, type Timing } from "./time-median.ts";

const SEED = 42;
const SIZES = [1_000, 10_000] as const;
const RUNS: Record<number, number> = { 1_000: 9, 10_000: 5 };
const TARGET = { checkOverParse: 2, scaling: 12, bundleGzip: 1024 * 1024, changeInRepo: 3 };

interface SizeResult {
  readonly size: number;
  readonly repo: MeshRepo;
  readonly bytes: number;
  readonly findings: readonly Finding[];
  readonly check: Timing;
  readonly parse: Timing;
  readonly memory: MemoryFigures;
  readonly profile: PhaseTimes;
}

/** What a bare YAML read of the same bytes costs: the floor any checker has to pay. */
function parseYamlOnly(repo: MeshRepo): number {
  let docs = 0;
  for (const file of repo.files) {
    for (const doc of parseAllDocuments(file.content)) {
      doc.toJS();
      docs++;
    }
  }
  return docs;
}

function measureSize(size: number): SizeResult {
  const repo = generateMeshRepo({ resources: size, seed: SEED });
  const bytes = repo.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  const findings = checkConfig(repo.files).findings;
  globalThis.gc?.();
  const runs = RUNS[size] ?? 5;
  const [check, parse] = timeMedians([() => checkConfig(repo.files), () => parseYamlOnly(repo)], runs) as [Timing, Timing];
  const profile = medianProfile(repo, 5);
  globalThis.gc?.();
  return { size, repo, bytes, findings, check, parse, profile, memory: measureMemory(size, SEED) };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Each stage's and analyzer's median over `runs` profiled runs. */
function medianProfile(repo: MeshRepo, runs: number): PhaseTimes {
  const profiles = Array.from({ length: runs }, () => {
    globalThis.gc?.();
    return profilePhases(repo.files);
  });
  const merge = (pick: (p: PhaseTimes) => readonly { name: string; ms: number }[]): { name: string; ms: number }[] =>
    pick(profiles[0] as PhaseTimes).map(({ name }) => ({
      name,
      ms: median(profiles.map((p) => pick(p).find((x) => x.name === name)?.ms ?? 0)),
    }));
  return { phases: merge((p) => p.phases), analyzers: merge((p) => p.analyzers).sort((a, b) => b.ms - a.ms) };
}

const num = (n: number, digits = 0): string => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (t: number): string => `${num(t, t < 100 ? 1 : 0)} ms`;
const mib = (b: number): string => `${num(b / 1024 / 1024, 1)} MiB`;
const kib = (b: number): string => `${num(b / 1024, 1)} KiB`;
const mark = (ok: boolean): string => (ok ? "✓" : "✗");

function row(label: string, cells: readonly string[], note = ""): string {
  return `  ${label.padEnd(56)}${cells.map((c) => c.padStart(14)).join("")}${note === "" ? "" : `   ${note}`}`;
}

function countBySeverity(findings: readonly Finding[]): string {
  const by = (s: Finding["severity"]): number => findings.filter((f) => f.severity === s).length;
  return `${by("error")}/${by("warning")}/${by("info")}`;
}

function topCodes(findings: readonly Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(`${f.code} ${f.severity}`, (counts.get(`${f.code} ${f.severity}`) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([c, n]) => `${c} ×${n}`).join(", ");
}

function printRepos(results: readonly SizeResult[]): void {
  console.log(row("repo (resources)", results.map((r) => num(r.size))));
  console.log(row("files", results.map((r) => num(r.repo.files.length))));
  console.log(row("bytes", results.map((r) => mib(r.bytes))));
  console.log(row("namespaces / services", results.map((r) => `${num(r.repo.namespaces)} / ${num(r.repo.services)}`)));
  console.log(row("findings error/warning/info", results.map((r) => countBySeverity(r.findings)), "valid config: expect 0 errors"));
  for (const r of results) if (r.findings.length > 0) console.log(`    ${num(r.size)}: ${topCodes(r.findings)}`);
}

function printTimes(results: readonly SizeResult[]): void {
  const [small, large] = results as [SizeResult, SizeResult];
  const ratio = large.check.median / large.parse.median;
  const scaling = large.check.median / small.check.median;
  console.log(`\ntime (median of ${results.map((r) => r.check.runs.length).join(" / ")} runs after a warm-up)`);
  console.log(row("checkConfig", results.map((r) => ms(r.check.median))));
  console.log(row("yaml parseAllDocuments + toJS", results.map((r) => ms(r.parse.median))));
  console.log(row("check / parse", results.map((r) => `${num(r.check.median / r.parse.median, 2)}×`),
    `target ≤ ${TARGET.checkOverParse}× at 10,000  ${mark(ratio <= TARGET.checkOverParse)}`));
  console.log(row("scaling check(10,000) / check(1,000)", ["", `${num(scaling, 2)}×`],
    `target ≤ ${TARGET.scaling}×  ${mark(scaling <= TARGET.scaling)}`));
  console.log(row("checkConfig per resource", results.map((r) => `${num((r.check.median * 1000) / r.size, 1)} µs`)));
}

function printPhases(results: readonly SizeResult[]): void {
  const [small, large] = results as [SizeResult, SizeResult];
  const ratio = (a: number, b: number): string => (a > 0.05 ? `${num(b / a, 1)}×` : "");
  console.log("\nwhere the time goes (median of 5 profiled runs, each on a fresh set; last column: 10,000 / 1,000)");
  for (const phase of large.profile.phases) {
    const before = small.profile.phases.find((p) => p.name === phase.name)?.ms ?? 0;
    console.log(row(phase.name, [ms(before), ms(phase.ms), ratio(before, phase.ms)]));
  }
  for (const analyzer of large.profile.analyzers.slice(0, 10)) {
    const before = small.profile.analyzers.find((a) => a.name === analyzer.name)?.ms ?? 0;
    console.log(row(`  ${analyzer.name}`, [ms(before), ms(analyzer.ms), ratio(before, analyzer.ms)]));
  }
}

function printMemory(results: readonly SizeResult[]): void {
  console.log("\nmemory (one checkConfig in a fresh process per size)");
  console.log(row("RSS before check (repo in memory)", results.map((r) => mib(r.memory.rssBefore))));
  console.log(row("peak RSS (maxRSS)", results.map((r) => mib(r.memory.peakRss))));
  console.log(row("heap before check", results.map((r) => mib(r.memory.heapBefore))));
  console.log(row("heap committed after check (≈ peak)", results.map((r) => mib(r.memory.heapCommitted))));
  console.log(row("heap retained by result (after gc)", results.map((r) => mib(r.memory.heapRetained - r.memory.heapBefore))));
}

function printSchema(rows: readonly SchemaRow[], all: SchemaRow, live: boolean): void {
  console.log(`\nschema validation per document (${num(SIZES[1])}-resource repo, µs/document, median of 7 runs after warm-up)`);
  const header = ["docs", "meshgate", "k-m validate", "k-m new+val.", "rejected m/k"];
  console.log(row("kind", header));
  for (const r of [...rows, all]) {
    console.log(row(r.kind, [num(r.documents), num(r.meshgate, 2), num(r.models, 2), num(r.modelsWithConstruct, 2), `${r.meshgateRejected}/${r.modelsRejected}`]));
  }
  console.log("  (k-m = @kubernetes-models/istio 3.0.1: validate() on models built beforehand, or new Model(obj).validate();" +
    " rejected = documents with errors, meshgate/k-m)");
  const ok = all.meshgate <= all.models;
  console.log(`  target: meshgate ≤ @kubernetes-models/istio validate() per document  ${mark(ok)}` +
    (live ? "" : "   (meshgate's validateSchema is still a stub: this figure measures nothing yet)"));
}

async function main(): Promise<void> {
  const engine = probeEngine();
  console.log(`meshgate bench · seed ${SEED} · node ${process.version} · ${process.platform}/${process.arch}`);
  console.log(`engine: schema validator ${engine.schema ? "live" : "STUB"}, webhook rules ${engine.webhook ? "live" : "STUB"}, ` +
    `${engine.istioAnalyzers} istioctl analyzers, ${engine.kialiChecks} Kiali checks` +
    (globalThis.gc ? "" : "  (run with --expose-gc for steadier figures)"));
  console.log("");
  const results = SIZES.map(measureSize);
  printRepos(results);
  printTimes(results);
  printPhases(results);
  printMemory(results);

  const large = results[1] as SizeResult;
  const resources = large.repo.files.flatMap((file) => parseDocuments(file).resources);
  const schema = compareSchemaValidators(resources);
  printSchema(schema.rows, schema.all, engine.schema);

  const change = measureChangeReview(large.repo);
  console.log(`\nchange review in the ${num(SIZES[1])}-resource repo (issue 3 §5; median of ${change.alone.runs.length} interleaved runs)`);
  console.log(row(`${change.changed} changed files alone`, [ms(change.alone.median)]));
  console.log(row(`the same with the ${change.related} files the mesh index relates`, [ms(change.inRepo.median)]));
  const changeRatio = change.inRepo.median / change.alone.median;
  console.log(row("in repo / alone", [`${num(changeRatio, 2)}×`], `target ≤ ${TARGET.changeInRepo}×  ${mark(changeRatio <= TARGET.changeInRepo)}`));
  console.log(row(`largest change (${num(change.largest.files)} files, ${num(change.largest.resources)} resources): comment`, [`${num(change.largest.commentChars)} ch`],
    `limit ${num(GITHUB_COMMENT_LIMIT)}  ${mark(change.largest.commentChars <= GITHUB_COMMENT_LIMIT)}`));

  console.log("\nworker bundle (wrangler deploy --dry-run)");
  try {
    const bundle = measureBundle();
    console.log(row(`raw / gzip (${bundle.files.join(", ")})`, [kib(bundle.raw), kib(bundle.gzip)],
      `target < 1 MiB gzip  ${mark(bundle.gzip < TARGET.bundleGzip)}`));
  } catch (error) {
    console.log(`  could not build the bundle: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }

  const small = results[0] as SizeResult;
  console.log(`\nthe GitHub App on a pull request (issue 4 §2): the Worker bundle in workerd, GitHub simulated; ${num(small.size)}-resource repo`);
  try {
    const figures = await measureAppReview(small.repo);
    const budget = 10;
    for (const [label, f] of [["opened (mesh index built)", figures.opened], ["pushed (index reused)", figures.pushed]] as const) {
      console.log(row(`${figures.changedFiles} changed files, ${label}: API calls / webhook → comment`, [num(f.calls), ms(f.ms)], `target ≤ ${budget} calls  ${mark(f.calls <= budget)}`));
      console.log(`    ${f.endpoints.join(", ")}`);
    }
  } catch (error) {
    console.log(`  could not run the App: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
}

await main();
