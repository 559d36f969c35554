import type { ConfigSet } from "./config-set.ts";
import { toFqdn } from "./hosts.ts";
import { isObject, readArray, readString } from "./json.ts";

const memo = new WeakMap<ConfigSet, ReadonlyMap<string, ReadonlySet<string>>>();

/**
 * DestinationRule subset names by the FQDN of the rule's host (exact hosts; wildcard DRs are not
 * indexed). A set never changes once built, so the index is made once per set and shared.
 */
export function indexSubsets(set: ConfigSet): ReadonlyMap<string, ReadonlySet<string>> {
  const known = memo.get(set);
  if (known) return known;
  const out = new Map<string, Set<string>>();
  for (const dr of set.ofKind("DestinationRule.networking.istio.io")) {
    const host = readString(dr.spec.host);
    if (!host) continue;
    const fqdn = toFqdn(host, dr.namespace);
    let names = out.get(fqdn);
    if (!names) out.set(fqdn, (names = new Set()));
    for (const s of readArray(dr.spec.subsets)) if (isObject(s) && typeof s.name === "string") names.add(s.name);
  }
  memo.set(set, out);
  return out;
}
