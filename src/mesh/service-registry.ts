import type { ConfigSet } from "./config-set.ts";
import {
  DEFAULT_CLUSTER_DOMAIN,
  EXPORT_TO_ALL,
  EXPORT_TO_LOCAL,
  isWildcardHost,
  scopedFqdn,
  splitScopedFqdn,
  toFqdn,
} from "./hosts.ts";
import { isObject, readArray, readString, readStringMap } from "./json.ts";
import type { MeshConfig } from "./mesh-config.ts";
import type { Resource } from "./resource.ts";

/** The annotation that limits a Kubernetes Service's visibility, like a ServiceEntry's `exportTo`. */
export const EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo";

export interface RegistryPort {
  readonly number: number;
  readonly name: string;
  readonly protocol: string;
}

/** A Service or ServiceEntry as Istio's analyzers see it: a ServiceEntry-shaped record. */
export interface RegistryEntry {
  /** The Service or ServiceEntry it comes from. */
  readonly resource: Resource;
  /** The ServiceEntry's hosts, or the Service's FQDN. */
  readonly hosts: readonly string[];
  readonly ports: readonly RegistryPort[];
  /** A ServiceEntry's `workloadSelector.labels` (empty for Services). */
  readonly workloadSelector: Readonly<Record<string, string>>;
}

export interface ServiceRegistry {
  readonly clusterDomain: string;
  /** `scope/fqdn` → entry; scope is a namespace or `*`. Later resources win, Services over ServiceEntries. */
  readonly byScopedHost: ReadonlyMap<string, RegistryEntry>;
  /**
   * `util.GetDestinationHost`: the Service/ServiceEntry a host in `sourceNamespace` resolves to, looked up
   * in the scopes `exportTo` (the referring resource's own exportTo, as Istio does) allows, then among
   * wildcard ServiceEntry hosts visible there.
   */
  lookup(sourceNamespace: string, exportTo: readonly string[], host: string): RegistryEntry | undefined;
}

export interface ServiceRegistryOptions {
  /**
   * Give ServiceEntries without `exportTo` and Services without the annotation MeshConfig's
   * `defaultServiceExportTo` instead of `*`. Istio's analyzers do not (they assume `*`), so parity
   * checks leave this off; simulations of what a proxy really sees turn it on.
   */
  readonly meshDefaults?: boolean;
}

/**
 * Indexes every ServiceEntry and Service (including the synthetic ingress Service) by scoped FQDN,
 * following `util.InitServiceEntryHostMap`.
 */
export function buildServiceRegistry(set: ConfigSet, options: ServiceRegistryOptions = {}): ServiceRegistry {
  const clusterDomain = readClusterDomain(set.meshConfig);
  const defaults = options.meshDefaults ? readDefaultServiceExportTo(set.meshConfig) : [EXPORT_TO_ALL];
  const index = new Map<string, RegistryEntry>();
  for (const se of set.ofKind("ServiceEntry.networking.istio.io")) indexServiceEntry(index, se, clusterDomain, defaults);
  for (const svc of set.ofKind("Service")) indexService(index, svc, clusterDomain, defaults);
  const wildcards = [...index].flatMap(([key, entry]) => {
    const { scope, fqdn } = splitScopedFqdn(key);
    return isWildcardHost(fqdn) ? [{ scope, suffix: fqdn.slice(1), entry }] : [];
  });
  return {
    clusterDomain,
    byScopedHost: index,
    lookup: (sourceNamespace, exportTo, host) => lookupHost(index, wildcards, clusterDomain, sourceNamespace, exportTo, host),
  };
}

function indexServiceEntry(index: Map<string, RegistryEntry>, se: Resource, domain: string, defaults: readonly string[]): void {
  const ns = se.namespace;
  const hosts = readArray(se.spec.hosts).filter((h): h is string => typeof h === "string");
  const declared = readArray(se.spec.exportTo).filter((e): e is string => typeof e === "string");
  const exportTo = declared.length === 0 ? defaults : declared;
  const entry: RegistryEntry = { resource: se, hosts, ports: readServiceEntryPorts(se), workloadSelector: readStringMap(readObject(se.spec.workloadSelector).labels) };
  // Istio keeps the "exports to all" flag across hosts, so once `*` is seen the later hosts go to `*` only.
  let exportsToAll = false;
  for (const h of hosts) {
    if (exportsToAll) {
      index.set(scopedFqdn(EXPORT_TO_ALL, ns, h, domain), entry);
      continue;
    }
    for (const e of exportTo) {
      if (e === EXPORT_TO_ALL) {
        index.set(scopedFqdn(EXPORT_TO_ALL, ns, h, domain), entry);
        exportsToAll = true;
        break;
      }
      index.set(scopedFqdn(e === EXPORT_TO_LOCAL ? ns : e, ns, h, domain), entry);
    }
  }
}

function indexService(index: Map<string, RegistryEntry>, svc: Resource, domain: string, defaults: readonly string[]): void {
  const ns = svc.namespace;
  const ports = readArray(svc.spec.ports).filter(isObject).map((p) => ({
    number: typeof p.port === "number" ? p.port : 0,
    name: readString(p.name) ?? "",
    protocol: readString(p.protocol) ?? "",
  }));
  const entry: RegistryEntry = { resource: svc, hosts: [toFqdn(svc.name, ns, domain)], ports, workloadSelector: {} };
  for (const scope of serviceScopes(svc.annotations[EXPORT_TO_ANNOTATION], ns, defaults)) {
    index.set(scopedFqdn(scope, ns, svc.name, domain), entry);
  }
}

/** `getVisibleNamespacesFromExportToAnno`: comma-separated, no trimming, `.` is the Service's namespace. */
function serviceScopes(annotation: string | undefined, namespace: string, defaults: readonly string[]): string[] {
  const list = annotation === undefined || annotation === "" ? defaults : annotation.split(",");
  return list.map((s) => (s === EXPORT_TO_LOCAL ? namespace : s));
}

interface WildcardEntry {
  readonly scope: string;
  /** The host without its leading `*`. */
  readonly suffix: string;
  readonly entry: RegistryEntry;
}

function lookupHost(
  index: ReadonlyMap<string, RegistryEntry>,
  wildcards: readonly WildcardEntry[],
  domain: string,
  sourceNs: string,
  exportTo: readonly string[],
  host: string,
): RegistryEntry | undefined {
  const global = index.get(scopedFqdn(EXPORT_TO_ALL, sourceNs, host, domain));
  if (global) return global;
  const scopes = exportTo.length === 0 ? [sourceNs] : exportTo.map((e) => (e === EXPORT_TO_LOCAL ? sourceNs : e));
  for (const scope of scopes) {
    const hit = index.get(scopedFqdn(scope, sourceNs, host, domain));
    if (hit) return hit;
  }
  // Wildcard ServiceEntry hosts: plain suffix match after dropping the leading `*` on both sides.
  const bare = host.startsWith("*") ? host.slice(1) : host;
  for (const w of wildcards) {
    if ((w.scope === EXPORT_TO_ALL || w.scope === sourceNs) && bare.endsWith(w.suffix)) return w.entry;
  }
  return undefined;
}

function readServiceEntryPorts(se: Resource): RegistryPort[] {
  return readArray(se.spec.ports).filter(isObject).map((p) => ({
    number: typeof p.number === "number" ? p.number : 0,
    name: readString(p.name) ?? "",
    protocol: readString(p.protocol) ?? "",
  }));
}

function readObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

/** MeshConfig `clusterDomain` where given (`util.GetCustomClusterDomain`), else `cluster.local`. */
function readClusterDomain(mesh: MeshConfig): string {
  const d = mesh.raw.clusterDomain;
  return typeof d === "string" && d !== "" ? d : DEFAULT_CLUSTER_DOMAIN;
}

function readDefaultServiceExportTo(mesh: MeshConfig): string[] {
  const list = readArray(mesh.raw.defaultServiceExportTo).filter((e): e is string => typeof e === "string");
  return list.length === 0 ? [EXPORT_TO_ALL] : list;
}
