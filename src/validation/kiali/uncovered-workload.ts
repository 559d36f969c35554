import type { ConfigSet } from "../../mesh/config-set.ts";
import { groupByNamespace, listWorkloads, selectorMatches } from "../../mesh/workloads.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";
import { selectorLabels } from "./selector-labels.ts";

const RULE = "kiali.UncoveredWorkloadChecker";

/**
 * KIA1301 (`workloads/uncovered_workload_checker.go`): no AuthorizationPolicy of the workload's
 * namespace or of the root namespace applies to it (no selector, or a selector matching its labels), so
 * every caller may reach it. Reported on the Pod or controller the workload comes from; Istio's
 * synthetic ingress Pod is not the user's and is skipped.
 */
export const uncoveredWorkload: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const byNamespace = groupByNamespace(set.ofKind("AuthorizationPolicy.security.istio.io"));
    const meshWide = byNamespace.get(set.meshConfig.rootNamespace) ?? [];
    const findings: Finding[] = [];
    for (const w of listWorkloads(set)) {
      if (w.resource.synthetic) continue;
      const policies = [...meshWide, ...(byNamespace.get(w.namespace) ?? [])];
      const covered = policies.some((ap) => selectorMatches(selectorLabels(ap), w.labels));
      if (!covered) findings.push(kialiFinding("MG4881", RULE, w.resource, ["metadata", "name"]));
    }
    return findings;
  },
};
