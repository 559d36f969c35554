import type { ConfigSet } from "../../mesh/config-set.ts";
import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, type JsonObject, readArray, readString } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { GATEWAY_API_GROUP, K8S_ROUTE_KINDS } from "./k8s-route-kinds.ts";
import { kialiFinding } from "./kiali-codes.ts";

const RULE = "kiali.K8sRouteNoHostChecker";

/**
 * KIA1402 (`k8shttproutes/no_host_checker.go`, and the GRPCRoute twin): a `parentRefs[]` entry of kind
 * Service, or a `rules[].backendRefs[]` entry of kind Service (the default kind of a backendRef), names
 * a Service that does not exist; or one in another namespace without a ReferenceGrant there admitting
 * the route kind from the route's namespace. A name with a dot never names a Service.
 *
 * Existence is only judged when the set holds Services at all: a mesh-config repository without the
 * application's Services says nothing about them.
 */
export const k8sRouteServiceRef: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    if (!set.has("Service")) return [];
    const findings: Finding[] = [];
    for (const key of K8S_ROUTE_KINDS) {
      for (const route of set.ofKind(key)) {
        for (const [i, ref] of readArray(route.spec.parentRefs).entries()) {
          if (isObject(ref) && readString(ref.kind) === "Service") findings.push(...checkRef(set, route, ref, ["spec", "parentRefs", i, "name"]));
        }
        for (const [r, rule] of readArray(route.spec.rules).entries()) {
          if (!isObject(rule)) continue;
          for (const [i, ref] of readArray(rule.backendRefs).entries()) {
            if (isObject(ref) && (readString(ref.kind) ?? "Service") === "Service") {
              findings.push(...checkRef(set, route, ref, ["spec", "rules", r, "backendRefs", i, "name"]));
            }
          }
        }
      }
    }
    return findings;
  },
};

function checkRef(set: ConfigSet, route: Resource, ref: JsonObject, path: FieldPath): Finding[] {
  const name = readString(ref.name) ?? "";
  const namespace = readString(ref.namespace) || route.namespace;
  const exists = !name.includes(".") && set.get("Service", namespace, name) !== undefined;
  const allowed = namespace === route.namespace || isGranted(set, route, namespace, name);
  return exists && allowed ? [] : [kialiFinding("MG4902", RULE, route, path)];
}

/** A ReferenceGrant in `namespace` lets this route kind from the route's namespace refer to the Service. */
function isGranted(set: ConfigSet, route: Resource, namespace: string, name: string): boolean {
  return set.ofKind("ReferenceGrant.gateway.networking.k8s.io").some((grant) => {
    if (grant.namespace !== namespace) return false;
    const from = readArray(grant.spec.from).some(
      (f) => isObject(f) && f.group === GATEWAY_API_GROUP && f.kind === route.kind && f.namespace === route.namespace,
    );
    const to = readArray(grant.spec.to).some(
      (t) => isObject(t) && (t.group ?? "") === "" && t.kind === "Service" && (readString(t.name) ?? name) === name,
    );
    return from && to;
  });
}
