import type { ConfigSet } from "../../mesh/config-set.ts";
import { isObject, type JsonObject, readArray, readString, readStringMap } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { GATEWAY_API_GROUP, K8S_ROUTE_KINDS } from "./k8s-route-kinds.ts";
import { kialiFinding } from "./kiali-codes.ts";
import { selectorMatches } from "../../mesh/workloads.ts";
import { namespaceLabels } from "./namespace-labels.ts";

const RULE = "kiali.NoK8sGatewayChecker";

/**
 * KIA1401 (`k8shttproutes/no_k8sgateway_checker.go`, and the GRPCRoute twin): a `parentRefs[]` entry of
 * kind Gateway names a Gateway API Gateway that does not exist, or one in another namespace none of
 * whose listeners admits routes from the route's namespace (`allowedRoutes.namespaces.from` All, or
 * Selector matching the namespace's labels). Omitted `kind`/`group` take the CRD defaults (Gateway,
 * gateway.networking.k8s.io), as the API server stores them.
 */
export const k8sRouteGatewayRef: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const findings: Finding[] = [];
    for (const key of K8S_ROUTE_KINDS) {
      for (const route of set.ofKind(key)) {
        for (const [i, ref] of readArray(route.spec.parentRefs).entries()) {
          if (!isObject(ref)) continue;
          const name = readString(ref.name) ?? "";
          if (name === "" || (readString(ref.kind) ?? "Gateway") !== "Gateway" || (readString(ref.group) ?? GATEWAY_API_GROUP) !== GATEWAY_API_GROUP) continue;
          const namespace = readString(ref.namespace) || route.namespace;
          const gateway = set.get("Gateway.gateway.networking.k8s.io", namespace, name);
          if (gateway && (namespace === route.namespace || admitsNamespace(set, gateway, route.namespace))) continue;
          findings.push(kialiFinding("MG4901", RULE, route, ["spec", "parentRefs", i, "name"]));
        }
      }
    }
    return findings;
  },
};

function admitsNamespace(set: ConfigSet, gateway: Resource, namespace: string): boolean {
  const labels = namespaceLabels(set, namespace);
  return readArray(gateway.spec.listeners).some((l) => {
    const namespaces = isObject(l) && isObject(l.allowedRoutes) ? l.allowedRoutes.namespaces : undefined;
    if (!isObject(namespaces)) return false;
    if (namespaces.from === "All") return true;
    return namespaces.from === "Selector" && isObject(namespaces.selector) && selectorMatches(matchLabels(namespaces.selector), labels);
  });
}

function matchLabels(selector: JsonObject): Record<string, string> {
  return readStringMap(selector.matchLabels);
}
