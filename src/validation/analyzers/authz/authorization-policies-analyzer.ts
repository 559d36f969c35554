import type { ConfigSet } from "../../../mesh/config-set.ts";
import type { FieldPath } from "../../../mesh/field-path.ts";
import { isObject, readArray, readStringMap } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import {
  formatSelector,
  groupByNamespace,
  hasWorkloadInventory,
  indexNamespaces,
  listWorkloads,
  selectorMatches,
  workloadInAmbientMode,
  workloadInMesh,
} from "../../../mesh/workloads.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { dedupeIstioMessages, type IstioMessage, istioLineOf } from "../virtualservice/istio-messages.ts";

const RULE = "auth.AuthorizationPoliciesAnalyzer";

/**
 * `auth.AuthorizationPoliciesAnalyzer` (analyzers/authz/authorizationpolicies.go):
 * - IST0127: the policy applies to no in-mesh (sidecar-injected or ambient) workload: its
 *   `selector.matchLabels` matches none in its namespace (anywhere, for a root-namespace policy), or, for
 *   a namespace-wide policy outside the root namespace, the namespace has no in-mesh workload at all.
 * - IST0101: an entry of `from[].source.namespaces` / `notNamespaces` (`*`, `prefix*`, `*suffix` allowed)
 *   matches no Namespace.
 *
 * Istio skips the analyzer without Pods and Namespaces in the snapshot. Here IST0127 needs the user to
 * have given workloads and IST0101 to have given Namespaces, so a repository holding only policies is
 * not told that nothing matches.
 */
export const authorizationPoliciesAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const policies = set.ofKind("AuthorizationPolicy.security.istio.io");
    const out: Finding[] = [];
    if (hasWorkloadInventory(set)) {
      const inMesh = inMeshLabelsByNamespace(set);
      for (const ap of policies) out.push(...checkWorkloads(ap, inMesh, set.meshConfig.rootNamespace));
    }
    if (set.has("Namespace")) {
      const names = set.ofKind("Namespace").map((ns) => ns.name);
      out.push(...dedupeIstioMessages(policies.flatMap((ap) => checkNamespaces(ap, names))));
    }
    return out;
  },
};

/** Labels of the in-mesh workloads, by namespace (`initPodLabelsMap`). */
function inMeshLabelsByNamespace(set: ConfigSet): Map<string, Readonly<Record<string, string>>[]> {
  const namespaces = indexNamespaces(set);
  const inMesh = listWorkloads(set).filter((w) => workloadInMesh(w, namespaces) || workloadInAmbientMode(w, namespaces));
  return new Map([...groupByNamespace(inMesh)].map(([ns, list]) => [ns, list.map((w) => w.labels)]));
}

function checkWorkloads(ap: Resource, inMesh: ReadonlyMap<string, readonly Readonly<Record<string, string>>[]>, rootNamespace: string): Finding[] {
  const selectorField = ap.spec.selector;
  const hasSelector = selectorField !== undefined && selectorField !== null;
  const selector = readStringMap(isObject(selectorField) ? selectorField.matchLabels : undefined);
  const matches = (list: readonly Readonly<Record<string, string>>[] | undefined) => (list ?? []).some((l) => selectorMatches(selector, l));
  if (ap.namespace === rootNamespace) {
    // Mesh-wide: a selector may match in any namespace; without one it applies everywhere.
    if (!hasSelector || [...inMesh.values()].some(matches)) return [];
    return [istioFinding("IST0127", RULE, ap, ["spec", "selector", "matchLabels"], formatSelector(selector))];
  }
  if (!hasSelector) {
    if ((inMesh.get(ap.namespace) ?? []).length > 0) return [];
    return [istioFinding("IST0127", RULE, ap, ["metadata", "namespace"], "")];
  }
  if (matches(inMesh.get(ap.namespace))) return [];
  return [istioFinding("IST0127", RULE, ap, ["spec", "selector", "matchLabels"], formatSelector(selector))];
}

function checkNamespaces(ap: Resource, namespaces: readonly string[]): IstioMessage[] {
  const out: IstioMessage[] = [];
  for (const [i, rule] of readArray(ap.spec.rules).entries()) {
    if (!isObject(rule)) continue;
    for (const [j, from] of readArray(rule.from).entries()) {
      const source = isObject(from) && isObject(from.source) ? from.source : {};
      const sourcePath: FieldPath = ["spec", "rules", i, "from", j, "source"];
      for (const field of ["namespaces", "notNamespaces"] as const) {
        for (const [k, exp] of readArray(source[field]).entries()) {
          if (typeof exp !== "string" || namespaces.some((ns) => namespaceMatches(ns, exp))) continue;
          const finding = istioFinding("IST0101", RULE, ap, [...sourcePath, field, k], "namespace", exp);
          // Istio looks up `namespaces[k]` for both lists, which decides how it de-duplicates.
          out.push({ finding, istioLine: istioLineOf(ap, [...sourcePath, "namespaces", k]) });
        }
      }
    }
  }
  return out;
}

/** `namespaceMatch`: `*`, `*suffix`, `prefix*`, or the name itself (case-insensitive). */
function namespaceMatches(ns: string, exp: string): boolean {
  if (exp === "*") return true;
  if (exp.startsWith("*")) return ns.endsWith(exp.slice(1));
  if (exp.endsWith("*")) return ns.startsWith(exp.slice(0, -1));
  return ns.toLowerCase() === exp.toLowerCase();
}
