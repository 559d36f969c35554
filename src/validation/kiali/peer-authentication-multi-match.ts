import type { ConfigSet } from "../../mesh/config-set.ts";
import type { Resource } from "../../mesh/resource.ts";
import { groupByNamespace, listWorkloads, selectorMatches } from "../../mesh/workloads.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";
import { presentPath } from "./present-path.ts";
import { selectorLabels } from "./selector-labels.ts";

const RULE = "kiali.PeerAuthenticationMultiMatchChecker";

/**
 * `common/multi_match_selector_checker.go` for PeerAuthentication (Istio applies just one per workload,
 * unspecified which):
 * - KIA0002: two or more PeerAuthentications without a selector (or with empty `matchLabels`) in one
 *   namespace.
 * - KIA0003: two or more PeerAuthentications of one namespace select the same workload of it.
 * Sidecars get the same two checks from istioctl (IST0111, IST0110), so only PeerAuthentication is
 * checked here; RequestAuthentications combine, so Kiali exempts them.
 */
export const peerAuthenticationMultiMatch: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const byNamespace = groupByNamespace(set.ofKind("PeerAuthentication.security.istio.io"));
    const workloads = groupByNamespace(listWorkloads(set));
    const findings: Finding[] = [];
    for (const [namespace, pas] of byNamespace) {
      const selectorLess = pas.filter((pa) => Object.keys(selectorLabels(pa)).length === 0);
      if (selectorLess.length > 1) {
        for (const pa of selectorLess) findings.push(kialiFinding("MG4002", RULE, pa, presentPath(pa.body, ["spec", "selector"])));
      }
      const selecting = pas.filter((pa) => !selectorLess.includes(pa));
      const overlapping = new Set<Resource>();
      for (const w of workloads.get(namespace) ?? []) {
        const matching = selecting.filter((pa) => selectorMatches(selectorLabels(pa), w.labels));
        if (matching.length > 1) for (const pa of matching) overlapping.add(pa);
      }
      for (const pa of overlapping) findings.push(kialiFinding("MG4003", RULE, pa, ["spec", "selector"]));
    }
    return findings;
  },
};
