import type { ConfigSet } from "../../../mesh/config-set.ts";
import { resourceNameFromHost } from "../../../mesh/hosts.ts";
import { isObject, readArray } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { dedupeIstioMessages, type IstioMessage, istioLineOf } from "./istio-messages.ts";
import {
  type AnnotatedDestination,
  destinationHost,
  destinationSubset,
  istioDestinationHostPath,
  istioMirrorHostPath,
  mirrorDestinations,
  routeDestinations,
} from "./route-destinations.ts";

const RULE = "virtualservice.DestinationRuleAnalyzer";

/**
 * `virtualservice.DestinationRuleAnalyzer` (analyzers/virtualservice/destinationrules.go): a destination
 * or mirror `subset` that no DestinationRule defines for that host (IST0101). Hosts are keyed with
 * `util.GetResourceNameFromHost`, so `reviews` and `reviews.default.svc.cluster.local` meet, while any
 * other spelling (e.g. `reviews.default`) stays literal; DestinationRule exportTo is not considered.
 */
export const destinationRuleAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const known = collectHostSubsets(set.ofKind("DestinationRule.networking.istio.io"));
    const messages: IstioMessage[] = [];
    for (const vs of set.ofKind("VirtualService.networking.istio.io")) {
      for (const d of routeDestinations(vs)) {
        if (!subsetDefined(vs, d, known)) messages.push(missing(vs, d, "host+subset in destinationrule", istioDestinationHostPath(d)));
      }
      for (const d of mirrorDestinations(vs)) {
        if (!subsetDefined(vs, d, known)) messages.push(missing(vs, d, "mirror+subset in destinationrule", istioMirrorHostPath(d)));
      }
    }
    return dedupeIstioMessages(messages);
  },
};

function keyOf(namespace: string, host: string, subset: string): string {
  const n = resourceNameFromHost(namespace, host);
  return `${n.namespace}\u0000${n.name}\u0000${subset}`;
}

/** `initDestHostsAndSubsets`. */
function collectHostSubsets(drs: readonly Resource[]): Set<string> {
  const out = new Set<string>();
  for (const dr of drs) {
    const host = typeof dr.spec.host === "string" ? dr.spec.host : "";
    for (const s of readArray(dr.spec.subsets)) {
      const name = isObject(s) && typeof s.name === "string" ? s.name : "";
      out.add(keyOf(dr.namespace, host, name));
    }
  }
  return out;
}

function subsetDefined(vs: Resource, d: AnnotatedDestination, known: ReadonlySet<string>): boolean {
  const subset = destinationSubset(d);
  return subset === "" || known.has(keyOf(vs.namespace, destinationHost(d), subset));
}

function missing(vs: Resource, d: AnnotatedDestination, refType: string, istioPath: readonly (string | number)[] | undefined): IstioMessage {
  const finding = istioFinding("IST0101", RULE, vs, [...d.path, "subset"], refType, `${destinationHost(d)}+${destinationSubset(d)}`);
  return { finding, istioLine: istioLineOf(vs, istioPath) };
}
