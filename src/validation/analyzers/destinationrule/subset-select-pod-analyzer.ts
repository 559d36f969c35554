import type { ConfigSet } from "../../../mesh/config-set.ts";
import { isObject, readArray, readString, readStringMap } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import { buildServiceRegistry } from "../../../mesh/service-registry.ts";
import { endpointLabels, hasWorkloadInventory, indexByLabels, type LabelIndex, listWorkloads } from "../../../mesh/workloads.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";

const RULE = "destinationrule.SubsetSelectPodAnalyzer";

/** The (augmented) pod label sets subsets are matched against. */
type PodLabels = LabelIndex<Record<string, string>>;

/**
 * `destinationrule.SubsetSelectPodAnalyzer` (analyzers/destinationrule/subset.go): a DestinationRule
 * `host` that matches no visible Service or ServiceEntry (IST0174), and a subset whose labels, merged
 * with the ServiceEntry's `workloadSelector`, select no pod in any namespace (IST0173). Pod labels are
 * augmented with their node's non-empty locality labels, as endpoints are.
 *
 * Istio skips it without Pods and Services in the snapshot. IST0174 is checked only when the user gave
 * Services (else every Kubernetes host would be "unknown"), IST0173 only when they gave workloads.
 */
export const subsetSelectPodAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const registry = buildServiceRegistry(set);
    const knowsServices = set.has("Service");
    const workloads = hasWorkloadInventory(set) ? indexByLabels(listWorkloads(set).map((w) => endpointLabels(set, w)), (labels) => labels) : undefined;
    const out: Finding[] = [];
    for (const dr of set.ofKind("DestinationRule.networking.istio.io")) {
      const host = readString(dr.spec.host) ?? "";
      const exportTo = readArray(dr.spec.exportTo).filter((e): e is string => typeof e === "string");
      const entry = registry.lookup(dr.namespace, exportTo, host);
      if (!entry) {
        if (knowsServices) out.push(istioFinding("IST0174", RULE, dr, ["spec", "host"], host));
        continue;
      }
      if (workloads) out.push(...checkSubsets(dr, entry.workloadSelector, workloads));
    }
    return out;
  },
};

function checkSubsets(dr: Resource, seSelector: Readonly<Record<string, string>>, pods: PodLabels): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of readArray(dr.spec.subsets).entries()) {
    const subset = isObject(raw) ? raw : {};
    const name = readString(subset.name) ?? "";
    // Istio keys subsets by name, so a repeated name is checked (and reported) once, with its last labels.
    if (seen.has(name)) continue;
    seen.add(name);
    const selector = { ...seSelector, ...readStringMap(lastSubsetNamed(dr, name)?.labels) };
    if (pods.matchesAny(selector)) continue;
    out.push(istioFinding("IST0173", RULE, dr, ["spec", "subsets", i, "name"], name));
  }
  return out;
}

function lastSubsetNamed(dr: Resource, name: string): Record<string, unknown> | undefined {
  const subsets = readArray(dr.spec.subsets).filter(isObject);
  return subsets.filter((s) => (readString(s.name) ?? "") === name).at(-1);
}
