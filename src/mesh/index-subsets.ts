import type { ConfigSet } from "./config-set.ts";
import { toFqdn } from "./hosts.ts";
import { isObject, readArray, readString } from "./json.ts";

/** DestinationRule subset names by the FQDN of the rule's host (exact hosts; wildcard DRs are not indexed). */
export function indexSubsets(set: ConfigSet): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const dr of set.ofKind("DestinationRule.networking.istio.io")) {
    const host = readString(dr.spec.host);
    if (!host) continue;
    const fqdn = toFqdn(host, dr.namespace);
    let names = out.get(fqdn);
    if (!names) out.set(fqdn, (names = new Set()));
    for (const s of readArray(dr.spec.subsets)) if (isObject(s) && typeof s.name === "string") names.add(s.name);
  }
  return out;
}
