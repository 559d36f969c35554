import type { ConfigSet } from "../../mesh/config-set.ts";
import { isObject, readArray, readString } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";
import { formatKialiHost, knownNamespaces, resolveKialiHost } from "./kiali-host.ts";

const RULE = "kiali.RouteChecker";
const ROUTE_KINDS = ["http", "tcp", "tls"] as const;

/**
 * `virtualservices/route_checker.go`, per http/tcp/tls route:
 * - KIA1104: the only destination carries a weight strictly between 0 and 100; Istio sends it all the
 *   traffic anyway, so the number misleads the reader.
 * - KIA1105: two destinations of one route name the same host (compared as FQDN) and subset.
 */
export const virtualServiceRoutes: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const namespaces = knownNamespaces(set);
    const findings: Finding[] = [];
    for (const vs of set.ofKind("VirtualService.networking.istio.io")) {
      for (const kind of ROUTE_KINDS) {
        for (const [i, route] of readArray(vs.spec[kind]).entries()) {
          if (!isObject(route)) continue;
          const destinations = readArray(route.route);
          findings.push(...checkSingleWeight(vs, kind, i, destinations), ...checkRepeatedSubsets(vs, kind, i, destinations, namespaces));
        }
      }
    }
    return findings;
  },
};

function checkSingleWeight(vs: Resource, kind: string, i: number, destinations: readonly unknown[]): Finding[] {
  const [only] = destinations;
  if (destinations.length !== 1 || !isObject(only)) return [];
  const weight = only.weight;
  if (typeof weight !== "number" || weight <= 0 || weight >= 100) return [];
  return [kialiFinding("MG4704", RULE, vs, ["spec", kind, i, "route", 0, "weight"])];
}

function checkRepeatedSubsets(vs: Resource, kind: string, i: number, destinations: readonly unknown[], namespaces: ReadonlySet<string>): Finding[] {
  const byKey = new Map<string, number[]>();
  for (const [j, d] of destinations.entries()) {
    if (!isObject(d)) continue;
    // Kiali stops at the first destination without a `destination` block (the webhook rejects those).
    if (!isObject(d.destination)) break;
    const host = formatKialiHost(resolveKialiHost(readString(d.destination.host) ?? "", vs.namespace, namespaces));
    const key = `${host}\u0000${readString(d.destination.subset) ?? ""}`;
    byKey.set(key, [...(byKey.get(key) ?? []), j]);
  }
  const findings: Finding[] = [];
  for (const indexes of byKey.values()) {
    if (indexes.length < 2) continue;
    for (const j of indexes) findings.push(kialiFinding("MG4705", RULE, vs, ["spec", kind, i, "route", j, "destination", "host"]));
  }
  return findings;
}
