import type { ConfigSet } from "../../mesh/config-set.ts";
import { isObject, readArray, readString } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";
import { formatKialiHost, knownNamespaces, resolveKialiHost } from "./kiali-host.ts";
import { destinationRuleTlsMode } from "./mtls-modes.ts";

const RULE = "kiali.DestinationRuleMultiMatchChecker";

/** Kiali's stand-in subset for a DR without subsets: it collides with every subset of the host. */
const ALL_SUBSETS = "~";

/**
 * KIA0201 (`destinationrules/multi_match_checker.go`): two DestinationRules for the same host (compared
 * as FQDN; a wildcard DR overlaps every host seen before it, and `*.<ns>` DRs every host of the
 * namespace) define the same subset name, or one of them has no subsets at all. Istio applies only one
 * of them, so the other's subsets silently vanish. Wildcard DRs that only turn on ISTIO_MUTUAL (the
 * documented mesh/namespace mTLS pattern) are left out. Both DRs get the finding, on `spec.host`.
 */
export const destinationRuleMultiMatch: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const namespaces = knownNamespaces(set);
    // FQDN → subset name → DRs seen so far with it.
    const seen = new Map<string, Map<string, Resource[]>>();
    const flagged = new Set<Resource>();
    for (const dr of set.ofKind("DestinationRule.networking.istio.io")) {
      const host = resolveKialiHost(readString(dr.spec.host) ?? "", dr.namespace, namespaces);
      const fqdn = formatKialiHost(host);
      if (fqdn.startsWith("*") && destinationRuleTlsMode(dr) === "ISTIO_MUTUAL") continue;
      const subsets = subsetNames(dr);
      const candidates = host.service.startsWith("*") ? [...seen.values()] : [];
      for (const key of [`*.${host.namespace}.${host.cluster}`, fqdn]) {
        const existing = seen.get(key);
        if (existing) candidates.push(existing);
      }
      for (const existing of candidates) {
        for (const other of collisions(subsets, existing)) {
          if (other.namespace === dr.namespace && other.name === dr.name) continue;
          flagged.add(dr).add(other);
        }
      }
      const bySubset = seen.get(fqdn) ?? new Map<string, Resource[]>();
      for (const s of subsets) bySubset.set(s, [...(bySubset.get(s) ?? []), dr]);
      seen.set(fqdn, bySubset);
    }
    return [...flagged].map((dr) => kialiFinding("MG4201", RULE, dr, ["spec", "host"]));
  },
};

function subsetNames(dr: Resource): string[] {
  const subsets = readArray(dr.spec.subsets).filter(isObject);
  return subsets.length === 0 ? [ALL_SUBSETS] : subsets.map((s) => readString(s.name) ?? "");
}

function collisions(subsets: readonly string[], existing: ReadonlyMap<string, readonly Resource[]>): Resource[] {
  if (subsets.length === 1 && subsets[0] === ALL_SUBSETS) return [...existing.values()].flat();
  return [ALL_SUBSETS, ...subsets].flatMap((s) => existing.get(s) ?? []);
}
