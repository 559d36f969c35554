import type { ConfigSet } from "../../../mesh/config-set.ts";
import { formatFullName } from "../../../mesh/hosts.ts";
import { isObject, readStringMap } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import {
  firstSelectorKey,
  formatSelector,
  groupByNamespace,
  hasWorkloadInventory,
  indexNamespaces,
  listWorkloads,
  namespaceInAmbientMode,
  selectorMatches,
  type Workload,
  workloadInAmbientMode,
} from "../../../mesh/workloads.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";

const RULE = "sidecar.SelectorAnalyzer";
const SIDECAR = "Sidecar.networking.istio.io";
const POD_AMBIENT = "selected workload is in ambient mode, the policy has no impact";
const NAMESPACE_AMBIENT = "namespace is in ambient mode, the policy has no impact";

/**
 * `sidecar.SelectorAnalyzer` (analyzers/sidecar/selector.go), per namespace: a `workloadSelector` that
 * matches no pod (IST0101), a pod selected by several Sidecars (IST0110), several Sidecars without
 * selector (IST0111), and Sidecars that only touch ambient workloads or namespaces (IST0167).
 *
 * Istio skips the whole analyzer without Pods and Namespaces in the snapshot. Here the parts that need
 * pods run only when the user gave workloads (else every selector would "match nothing"); IST0111 and
 * the namespace-level IST0167 need only the Sidecars and whatever Namespaces are given.
 */
export const sidecarSelectorAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const namespaces = indexNamespaces(set);
    const sidecars = set.ofKind(SIDECAR);
    const scoped = sidecars.filter((s) => Object.keys(selectorOf(s)).length === 0);
    const reported = new Set<string>();
    const out: Finding[] = [];
    if (hasWorkloadInventory(set)) {
      const selecting = sidecars.filter((s) => Object.keys(selectorOf(s)).length > 0);
      out.push(...checkSelectors(selecting, listWorkloads(set), namespaces, reported));
    }
    out.push(...checkNamespaceScoped(scoped, namespaces, reported));
    return out;
  },
};

/** `workloadSelector.labels`; absent or empty both mean "whole namespace". */
function selectorOf(sidecar: Resource): Record<string, string> {
  const ws = sidecar.spec.workloadSelector;
  return readStringMap(isObject(ws) ? ws.labels : undefined);
}

function checkSelectors(sidecars: readonly Resource[], workloads: readonly Workload[], namespaces: ReadonlyMap<string, Resource>, reported: Set<string>): Finding[] {
  const out: Finding[] = [];
  const byPod = new Map<Workload, Resource[]>();
  for (const sidecar of sidecars) {
    const selector = selectorOf(sidecar);
    const pods = workloads.filter((w) => w.namespace === sidecar.namespace && selectorMatches(selector, w.labels));
    for (const pod of pods) {
      const list = byPod.get(pod);
      if (list) list.push(sidecar);
      else byPod.set(pod, [sidecar]);
    }
    if (pods.length > 0) continue;
    const key = firstSelectorKey(selector) ?? "";
    out.push(istioFinding("IST0101", RULE, sidecar, ["spec", "workloadSelector", "labels", key], "selector", formatSelector(selector)));
  }
  for (const [pod, list] of byPod) {
    const ambient = workloadInAmbientMode(pod, namespaces);
    if (list.length === 1 && !ambient) continue;
    const names = list.map((s) => s.name);
    for (const sidecar of list) {
      if (ambient) {
        // Without a sidecar the policy does nothing; that, not the overlap, is worth saying (once).
        if (reportOnce(reported, sidecar)) out.push(istioFinding("IST0167", RULE, sidecar, ["spec", "workloadSelector"], POD_AMBIENT));
        continue;
      }
      out.push(istioFinding("IST0110", RULE, sidecar, ["spec", "workloadSelector"], names, pod.namespace, pod.name));
    }
  }
  return out;
}

function checkNamespaceScoped(sidecars: readonly Resource[], namespaces: ReadonlyMap<string, Resource>, reported: Set<string>): Finding[] {
  const byNamespace = groupByNamespace(sidecars);
  const out: Finding[] = [];
  for (const [ns, list] of byNamespace) {
    if (namespaceInAmbientMode(namespaces.get(ns))) {
      for (const sidecar of list) {
        if (reportOnce(reported, sidecar)) out.push(istioFinding("IST0167", RULE, sidecar, ["metadata", "namespace"], NAMESPACE_AMBIENT));
      }
      continue;
    }
    if (list.length < 2) continue;
    const names = list.map((s) => s.name);
    for (const sidecar of list) out.push(istioFinding("IST0111", RULE, sidecar, ["metadata", "name"], names, ns));
  }
  return out;
}

function reportOnce(reported: Set<string>, sidecar: Resource): boolean {
  const id = formatFullName(sidecar);
  if (reported.has(id)) return false;
  reported.add(id);
  return true;
}
