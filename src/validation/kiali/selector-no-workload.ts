import type { ConfigSet } from "../../mesh/config-set.ts";
import { groupByNamespace, hasWorkloadInventory, listWorkloads, selectorMatches } from "../../mesh/workloads.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";
import { selectorLabels } from "./selector-labels.ts";

const RULE = "kiali.SelectorNoWorkloadFoundChecker";
const KINDS = ["PeerAuthentication.security.istio.io", "RequestAuthentication.security.istio.io"] as const;

/**
 * KIA0004 (`common/workload_selector_checker.go`) for PeerAuthentication and RequestAuthentication: a
 * non-empty `selector.matchLabels` matches no workload of the policy's namespace, so the policy does
 * nothing. istioctl has this for Sidecar (IST0101) and AuthorizationPolicy (IST0127), which are left to
 * it.
 *
 * Only judged when the set describes workloads at all (a Pod or a Deployment/StatefulSet/DaemonSet): a
 * policy repository without the applications says nothing about which workloads exist.
 */
export const selectorNoWorkload: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    if (!hasWorkloadInventory(set)) return [];
    const workloads = groupByNamespace(listWorkloads(set));
    const findings: Finding[] = [];
    for (const key of KINDS) {
      for (const policy of set.ofKind(key)) {
        const selector = selectorLabels(policy);
        if (Object.keys(selector).length === 0) continue;
        if ((workloads.get(policy.namespace) ?? []).some((w) => selectorMatches(selector, w.labels))) continue;
        findings.push(kialiFinding("MG4004", RULE, policy, ["spec", "selector", "matchLabels"]));
      }
    }
    return findings;
  },
};
