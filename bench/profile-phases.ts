import { buildConfigSet } from "../src/mesh/config-set.ts";
import { defaultResources } from "../src/mesh/default-resources.ts";
import { DEFAULT_MESH_CONFIG } from "../src/mesh/mesh-config.ts";
import { parseDocuments, type SourceFile } from "../src/mesh/parse-documents.ts";
import type { Resource } from "../src/mesh/resource.ts";
import { ALL_ANALYZERS } from "../src/review/check-config.ts";
import type { Finding } from "../src/review/finding.ts";
import { sortFindings } from "../src/review/sort-findings.ts";
import { suppressFindings } from "../src/review/suppress-findings.ts";
import { validateSchema } from "../src/validation/schema/validate-schema.ts";
import { validateWebhook } from "../src/validation/webhook/validate-webhook.ts";

export interface PhaseTimes {
  /** Milliseconds per stage of the engine, in pipeline order. */
  readonly phases: readonly { readonly name: string; readonly ms: number }[];
  /** Each analyzer's own time, slowest first. */
  readonly analyzers: readonly { readonly name: string; readonly ms: number }[];
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

/**
 * Where `checkConfig`'s time goes: the same stages, run one by one with a clock around each, so a slow
 * (or non-linear) stage or analyzer shows by name. Uses Istio's default MeshConfig, as the generated repos carry none.
 */
export function profilePhases(files: readonly SourceFile[]): PhaseTimes {
  const findings: Finding[] = [];
  const [resources, parseMs] = timed(() => {
    const out: Resource[] = [];
    for (const file of files) {
      const parsed = parseDocuments(file);
      out.push(...parsed.resources);
      findings.push(...parsed.findings);
    }
    return out;
  });
  const [set, indexMs] = timed(() => buildConfigSet([...resources, ...defaultResources(DEFAULT_MESH_CONFIG)], DEFAULT_MESH_CONFIG));
  const user = set.resources.filter((r) => !r.synthetic);
  const [, schemaMs] = timed(() => { for (const r of user) findings.push(...validateSchema(r)); });
  const [, webhookMs] = timed(() => { for (const r of user) findings.push(...validateWebhook(r)); });
  const analyzers = ALL_ANALYZERS.map((analyzer) => {
    const [out, ms] = timed(() => analyzer.analyze(set));
    findings.push(...out);
    return { name: analyzer.name, ms };
  });
  const [, finishMs] = timed(() => sortFindings(suppressFindings(findings, set)));
  return {
    phases: [
      { name: "parse (parseDocuments)", ms: parseMs },
      { name: "index (buildConfigSet)", ms: indexMs },
      { name: "schema (validateSchema)", ms: schemaMs },
      { name: "webhook rules (validateWebhook)", ms: webhookMs },
      { name: `analyzers (${analyzers.length})`, ms: analyzers.reduce((n, a) => n + a.ms, 0) },
      { name: "suppress + sort", ms: finishMs },
    ],
    analyzers: [...analyzers].sort((a, b) => b.ms - a.ms),
  };
}
