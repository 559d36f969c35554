import type { ConfigSet } from "../../../mesh/config-set.ts";
import {
  EXPORT_TO_ALL,
  EXPORT_TO_LOCAL,
  formatFullName,
  hostsMatch,
  isExportToAll,
  MESH_GATEWAY,
  scopedFqdn,
  splitScopedFqdn,
} from "../../../mesh/hosts.ts";
import { readArray } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";

const RULE = "virtualservice.ConflictingMeshGatewayHostsAnalyzer";

/**
 * `virtualservice.ConflictingMeshGatewayHostsAnalyzer` (analyzers/virtualservice/conflictingmeshgatewayhosts.go):
 * VirtualServices bound to the `mesh` gateway that define the same host in the same export scope
 * (IST0109). A host in a namespace scope also conflicts with every `*`-exported host it matches. Each
 * VirtualService is reported once, with the first conflicting host found, on its `metadata.name`.
 */
export const conflictingMeshGatewayHostsAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const byHost = indexMeshGatewayHosts(set.ofKind("VirtualService.networking.istio.io"));
    const reported = new Set<string>();
    const out: Finding[] = [];
    for (const [key, vss] of byHost) {
      const list = splitScopedFqdn(key).scope === EXPORT_TO_ALL ? vss : [...vss, ...exportedToAllMatching(key, byHost)];
      if (list.length < 2) continue;
      const names = list.map(formatFullName).join(",");
      for (const vs of list) {
        const id = formatFullName(vs);
        if (reported.has(id)) continue;
        reported.add(id);
        out.push(istioFinding("IST0109", RULE, vs, ["metadata", "name"], names, key));
      }
    }
    return out;
  },
};

/** `initMeshGatewayHosts`: `scope/fqdn` → the mesh-bound VirtualServices defining it, in input order. */
function indexMeshGatewayHosts(vss: readonly Resource[]): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const vs of vss) {
    const gateways = readArray(vs.spec.gateways);
    if (gateways.length > 0 && !gateways.includes(MESH_GATEWAY)) continue;
    const exportTo = readArray(vs.spec.exportTo).filter((e): e is string => typeof e === "string");
    const scopes = isExportToAll(exportTo) ? [EXPORT_TO_ALL] : [...new Set(exportTo.map((e) => (e === EXPORT_TO_LOCAL ? vs.namespace : e)))];
    for (const scope of scopes) {
      for (const h of readArray(vs.spec.hosts)) {
        if (typeof h !== "string") continue;
        const key = scopedFqdn(scope, vs.namespace, h);
        const list = out.get(key);
        if (list) list.push(vs);
        else out.set(key, [vs]);
      }
    }
  }
  return out;
}

/** `getExportToAllNamespacesVSListForScopedHost`. */
function exportedToAllMatching(key: string, byHost: ReadonlyMap<string, readonly Resource[]>): Resource[] {
  const { fqdn } = splitScopedFqdn(key);
  const out: Resource[] = [];
  for (const [other, vss] of byHost) {
    const o = splitScopedFqdn(other);
    if (o.scope === EXPORT_TO_ALL && hostsMatch(fqdn, o.fqdn)) out.push(...vss);
  }
  return out;
}
