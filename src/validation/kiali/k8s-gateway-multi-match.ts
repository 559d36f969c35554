import type { ConfigSet } from "../../mesh/config-set.ts";
import { isObject, type JsonObject, readArray, readString } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";

const RULE = "kiali.K8sGatewayMultiMatchChecker";

/** The CRD defaults an address `type` to `IPAddress`; the API server stores it that way. */
const DEFAULT_ADDRESS_TYPE = "IPAddress";

/**
 * `k8sgateways/multi_match_checker.go`, over Gateway API Gateways:
 * - KIA1501: a listener's hostname, port and protocol equal those of a listener of another Gateway.
 * - KIA1502: an address (type and value) is also an address of another Gateway.
 * - KIA1503: two differently named listeners of one Gateway share hostname, port and protocol. (The
 *   CRD's CEL rule on `spec.listeners` rejects this too, for the list as a whole; this names the
 *   listener.)
 * Listeners without a hostname are not compared, as in Kiali.
 */
export const k8sGatewayMultiMatch: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const gateways = set.ofKind("Gateway.gateway.networking.k8s.io");
    const listenerOwners = new Map<string, Set<string>>();
    const addressOwners = new Map<string, Set<string>>();
    for (const gw of gateways) {
      for (const l of readArray(gw.spec.listeners).filter(isObject)) addOwner(listenerOwners, listenerKey(l), gw);
      for (const a of readArray(gw.spec.addresses).filter(isObject)) addOwner(addressOwners, addressKey(a), gw);
    }
    const findings: Finding[] = [];
    for (const gw of gateways) {
      const listeners = readArray(gw.spec.listeners);
      for (const [i, l] of listeners.entries()) {
        if (!isObject(l)) continue;
        const key = listenerKey(l);
        if (key !== undefined && (listenerOwners.get(key)?.size ?? 0) > 1) {
          findings.push(kialiFinding("MG4951", RULE, gw, ["spec", "listeners", i, "hostname"]));
        }
        const twin = listeners.some((o, j) => j !== i && isObject(o) && readString(o.name) !== readString(l.name) && key !== undefined && listenerKey(o) === key);
        if (twin) findings.push(kialiFinding("MG4953", RULE, gw, ["spec", "listeners", i, "name"]));
      }
      for (const [i, a] of readArray(gw.spec.addresses).entries()) {
        if (!isObject(a)) continue;
        const key = addressKey(a);
        if (key !== undefined && (addressOwners.get(key)?.size ?? 0) > 1) {
          findings.push(kialiFinding("MG4952", RULE, gw, ["spec", "addresses", i, "value"]));
        }
      }
    }
    return findings;
  },
};

function listenerKey(l: JsonObject): string | undefined {
  const hostname = readString(l.hostname);
  if (hostname === undefined) return undefined;
  return JSON.stringify([hostname, l.port ?? null, readString(l.protocol) ?? ""]);
}

function addressKey(a: JsonObject): string | undefined {
  const value = readString(a.value);
  if (value === undefined) return undefined;
  return JSON.stringify([readString(a.type) ?? DEFAULT_ADDRESS_TYPE, value]);
}

/** Owners by namespace/name, so the same Gateway given twice is still one Gateway. */
function addOwner(index: Map<string, Set<string>>, key: string | undefined, gw: Resource): void {
  if (key === undefined) return;
  const owners = index.get(key) ?? new Set<string>();
  owners.add(`${gw.namespace}/${gw.name}`);
  index.set(key, owners);
}
