import { diffConfigSets, type ResourceChange } from "../diff/diff-config-sets.ts";
import type { SourceFile } from "../mesh/parse-documents.ts";
import { planRollout, type RolloutOptions, type RolloutPlan } from "../rollout/plan-rollout.ts";
import { collectProbes, diffAuthorization, simulateAuthorization, type AccessChange } from "../simulation/simulate-authorization.ts";
import { diffMtls, type MtlsChange, simulateMtls } from "../simulation/simulate-mtls.ts";
import { diffTraffic, type TrafficChange } from "../simulation/diff-traffic.ts";
import { simulateTraffic } from "../simulation/simulate-traffic.ts";
import { type CheckOptions, checkConfig } from "./check-config.ts";
import type { Finding } from "./finding.ts";

export interface ChangeReview {
  /** Findings on the head, each marked whether the base already had it. */
  readonly findings: readonly (Finding & { readonly isNew: boolean })[];
  readonly changes: readonly ResourceChange[];
  readonly traffic: readonly TrafficChange[];
  readonly mtls: readonly MtlsChange[];
  readonly access: readonly AccessChange[];
  readonly rollout: RolloutPlan;
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
  const before = checkConfig(base, options);
  const after = checkConfig(head, options);
  const known = new Set(before.findings.map(findingIdentity));
  const changes = diffConfigSets(before.set.resources, after.set.resources);
  const probes = collectProbes([before.set, after.set]);
  return {
    findings: after.findings.map((f) => ({ ...f, isNew: !known.has(findingIdentity(f)) })),
    changes,
    traffic: diffTraffic(simulateTraffic(before.set), simulateTraffic(after.set)),
    mtls: diffMtls(simulateMtls(before.set), simulateMtls(after.set)),
    access: diffAuthorization(simulateAuthorization(before.set, probes), simulateAuthorization(after.set, probes)),
    rollout: planRollout(changes, options.rollout ?? DEFAULT_ROLLOUT),
    files: head.length,
    resources: after.set.resources.filter((r) => !r.synthetic).length,
  };
}
