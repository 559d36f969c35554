import type { ConfigSet } from "../../mesh/config-set.ts";
import { formatFullName, MESH_GATEWAY, shortOrFullName } from "../../mesh/hosts.ts";
import { readArray } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";
import { knownNamespaces, resolveKialiHost } from "./kiali-host.ts";

const RULE = "kiali.SingleHostChecker";

interface HostUse {
  readonly vs: Resource;
  readonly index: number;
}

/**
 * KIA1106 (`virtualservices/single_host_checker.go`): VirtualServices bound to the same gateway claim
 * the same host (compared as FQDN), or one claims `*` of a namespace another claims a host of. The
 * gateway then merges or drops their routes in an order nobody chose. Every host entry involved gets the
 * finding.
 *
 * Only gateway-bound VirtualServices are checked here. For the mesh gateway (no `gateways`, or `mesh`)
 * the same conflict is istioctl's IST0109 (ConflictingMeshGatewayVirtualServiceHosts), and a `*` host
 * is a webhook error there. Gateway names are compared as `namespace/name`, so `gw` and `ns/gw` meet.
 */
export const virtualServiceSingleHost: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const namespaces = knownNamespaces(set);
    // gateway → host namespace+cluster → service → uses.
    const index = new Map<string, Map<string, Map<string, HostUse[]>>>();
    for (const vs of set.ofKind("VirtualService.networking.istio.io")) {
      const gateways = readArray(vs.spec.gateways).filter((g): g is string => typeof g === "string" && g !== MESH_GATEWAY);
      for (const [i, h] of readArray(vs.spec.hosts).entries()) {
        if (typeof h !== "string") continue;
        const host = resolveKialiHost(h, vs.namespace, namespaces);
        for (const gw of gateways) {
          const byNamespace = getOrAdd(index, formatFullName(shortOrFullName(vs.namespace, gw)), () => new Map<string, Map<string, HostUse[]>>());
          const byService = getOrAdd(byNamespace, `${host.namespace}\u0000${host.cluster}`, () => new Map<string, HostUse[]>());
          getOrAdd(byService, host.service, () => []).push({ vs, index: i });
        }
      }
    }
    const flagged = new Set<HostUse>();
    for (const byNamespace of index.values()) {
      for (const byService of byNamespace.values()) {
        const wildcard = byService.has("*") && byService.size > 1;
        for (const uses of byService.values()) {
          if (wildcard || distinctVirtualServices(uses) > 1) for (const u of uses) flagged.add(u);
        }
      }
    }
    return [...flagged].map((u) => kialiFinding("MG4706", RULE, u.vs, ["spec", "hosts", u.index]));
  },
};

function distinctVirtualServices(uses: readonly HostUse[]): number {
  return new Set(uses.map((u) => `${u.vs.namespace}/${u.vs.name}`)).size;
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
