import { diffConfigSets, type ResourceChange } from "../diff/diff-config-sets.ts";
import { isObject } from "../mesh/json.ts";
import type { ParsedFile, SourceFile } from "../mesh/parse-documents.ts";
import { planRollout, type RolloutOptions, type RolloutPlan } from "../rollout/plan-rollout.ts";
import { collectProbes, diffAuthorization, simulateAuthorization, type AccessChange, workloadsWithChangedPolicies } from "../simulation/simulate-authorization.ts";
import { diffMtls, type MtlsChange, simulateMtls } from "../simulation/simulate-mtls.ts";
import { diffTraffic, type TrafficChange } from "../simulation/diff-traffic.ts";
import { simulateTraffic } from "../simulation/simulate-traffic.ts";
import type { PolicyResult } from "../policy/evaluate-policies.ts";
import type { MeshgateConfig } from "../policy/read-meshgate-config.ts";
import { type CheckOptions, checkParsed, parseFile } from "./check-config.ts";
import type { Finding } from "./finding.ts";

export interface ChangeReview {
  /** Findings on the head, each marked whether the base already had it. */
  readonly findings: readonly (Finding & { readonly isNew: boolean })[];
  readonly changes: readonly ResourceChange[];
  readonly traffic: readonly TrafficChange[];
  readonly mtls: readonly MtlsChange[];
  readonly access: readonly AccessChange[];
  readonly rollout: RolloutPlan;
  readonly policies: readonly PolicyResult[];
  readonly files: number;
  readonly resources: number;
}

export const DEFAULT_ROLLOUT: RolloutOptions = { maxStep: 20, intervalSeconds: 300, gates: [] };

function findingIdentity(f: Finding): string {
  return `${f.code}\u0000${f.resource ? `${f.resource.kind}/${f.resource.namespace}/${f.resource.name}` : f.file}\u0000${f.message}`;
}

/**
 * Reviews a change: checks the head, tells new findings from ones the base already had, and simulates
 * what the change does to traffic, mTLS and access, and the rollout merging it would start.
 */
export function reviewChange(base: readonly SourceFile[], head: readonly SourceFile[], options: CheckOptions & { rollout?: RolloutOptions } = {}): ChangeReview {
  const [parsedBase, parsedHead] = parseBothSides(base, head, options);
  const before = checkParsed(parsedBase, options);
  const after = checkParsed(parsedHead, options.policy ? { ...options, policy: { ...options.policy, base: before.set } } : options);
  const known = new Set(before.findings.map(findingIdentity));
  const changes = diffConfigSets(before.set.resources, after.set.resources);
  const probes = collectProbes([before.set, after.set]);
  const affected = workloadsWithChangedPolicies(before.set, after.set);
  return {
    findings: after.findings.map((f) => ({ ...f, isNew: !known.has(findingIdentity(f)) })),
    changes,
    traffic: diffTraffic(simulateTraffic(before.set), simulateTraffic(after.set)),
    mtls: diffMtls(simulateMtls(before.set), simulateMtls(after.set)),
    access: diffAuthorization(simulateAuthorization(before.set, probes, affected), simulateAuthorization(after.set, probes, affected)),
    rollout: planRollout(changes, options.rollout ?? (options.policy ? rolloutOptions(options.policy.config) : DEFAULT_ROLLOUT)),
    policies: after.policies,
    files: head.length,
    resources: after.set.resources.filter((r) => !r.synthetic).length,
  };
}

/**
 * Parses each side; a file the change leaves as it was is parsed once and shared, so the files a review
 * only needs as context (the repo around the change) cost once, not twice. Resources are never mutated.
 */
function parseBothSides(base: readonly SourceFile[], head: readonly SourceFile[], options: CheckOptions): [ParsedFile[], ParsedFile[]] {
  const parsedBase = base.map((file) => parseFile(file, options));
  const byPath = new Map(base.map((file, i) => [file.path, { content: file.content, parsed: parsedBase[i] as ParsedFile }]));
  const parsedHead = head.map((file) => {
    const same = byPath.get(file.path);
    return same && typeof same.content === "string" && same.content === file.content ? same.parsed : parseFile(file, options);
  });
  return [parsedBase, parsedHead];
}

/** Step size from `max-canary-step`; mode, bake time, gates and failure limit from the repo's rollout settings. */
export function rolloutOptions(config: MeshgateConfig): RolloutOptions {
  const step = config.policies.get("max-canary-step")?.params?.maxStep;
  const a = config.rollout.analysis;
  const rate = isObject(a.successRate) ? a.successRate.min : undefined;
  const p99 = isObject(a.latencyP99) ? a.latencyP99.maxMs : undefined;
  return {
    maxStep: typeof step === "number" ? step : DEFAULT_ROLLOUT.maxStep,
    intervalSeconds: config.rollout.intervalSeconds,
    gates: [...(typeof rate === "number" ? [`success rate ≥ ${rate}%`] : []), ...(typeof p99 === "number" ? [`p99 latency ≤ ${p99} ms`] : [])],
    mode: config.rollout.mode,
    ...(typeof a.failureLimit === "number" ? { failureLimit: a.failureLimit } : {}),
  };
}
