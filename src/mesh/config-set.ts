import type { MeshConfig } from "./mesh-config.ts";
import type { Resource } from "./resource.ts";

/**
 * The indexed configuration set every check reads: resources by kind key and by name, plus the mesh
 * config. Built once per review; checks never scan more than the kinds they need.
 */
export interface ConfigSet {
  readonly resources: readonly Resource[];
  readonly meshConfig: MeshConfig;
  /** The moment time-bound checks (certificate validity) judge against: the wall clock unless a caller fixes it. */
  readonly now: Date;
  /** All resources of a kind key (`VirtualService.networking.istio.io`, `Service`, `Deployment.apps`). */
  ofKind(key: string): readonly Resource[];
  get(key: string, namespace: string, name: string): Resource | undefined;
  /** True when the set holds at least one non-synthetic resource of the kind. */
  has(key: string): boolean;
}

/** Namespaces Istio never analyzes (`inject.IgnoredNamespaces`). */
export const IGNORED_NAMESPACES: ReadonlySet<string> = new Set(["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]);

export function buildConfigSet(resources: readonly Resource[], meshConfig: MeshConfig, now: Date = new Date()): ConfigSet {
  const kept = resources.filter((r) => !IGNORED_NAMESPACES.has(r.namespace));
  const byKind = new Map<string, Resource[]>();
  const byId = new Map<string, Resource>();
  const real = new Set<string>();
  for (const r of kept) {
    let list = byKind.get(r.key);
    if (!list) byKind.set(r.key, (list = []));
    list.push(r);
    // Later documents win, as `kubectl apply` of the same object twice would leave it.
    byId.set(`${r.key}\u0000${r.namespace}\u0000${r.name}`, r);
    if (!r.synthetic) real.add(r.key);
  }
  return {
    resources: kept,
    meshConfig,
    now,
    ofKind: (key) => byKind.get(key) ?? [],
    get: (key, namespace, name) => byId.get(`${key}\u0000${namespace}\u0000${name}`),
    has: (key) => real.has(key),
  };
}
