import { toFqdn } from "../mesh/hosts.ts";
import { isObject, type JsonValue, readStringMap } from "../mesh/json.ts";
import { DEFAULT_MESH_CONFIG, isIstioConfigMap, parseMeshConfigText, readMeshConfig } from "../mesh/mesh-config.ts";
import { parseDocuments, type SourceFile } from "../mesh/parse-documents.ts";
import type { Resource } from "../mesh/resource.ts";

/**
 * What the App remembers of a repository's mesh between pushes: for each mesh file at `commit`, what
 * its resources provide to others and what they need from others (hosts, gateways, workloads by `app`
 * label, namespace-wide policy). With it a review reads only the changed files and the files related
 * to them, never the whole repo on every push.
 */
export interface MeshIndex {
  readonly commit: string;
  /** What the index was built under (format and mesh paths): another key means rebuild. */
  readonly key: string;
  readonly files: Readonly<Record<string, FileRelations>>;
}

/** Bump when `relationsOf` learns a new relation, so stored indexes are rebuilt. */
const INDEX_FORMAT = 2;

/** The key an index built with these mesh path globs carries. */
export function indexKey(globs: readonly string[]): string {
  return `${INDEX_FORMAT}:${JSON.stringify(globs)}`;
}

/** Provided by the file holding Istio's `istio` ConfigMap: every review needs the mesh's MeshConfig. */
const MESH_CONFIG = "mesh-config";
const ROOT_NAMESPACE = "root-namespace:";

export interface FileRelations {
  readonly provides: readonly string[];
  readonly needs: readonly string[];
}

interface Relations {
  readonly provides: Set<string>;
  readonly needs: Set<string>;
}

const HOST_FIELDS = new Set(["host", "hosts"]);
const WORKLOAD_KINDS = new Set(["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]);
/** Kinds that apply to a whole namespace when they select no workload. */
const NAMESPACE_POLICY_KINDS = new Set(["PeerAuthentication", "AuthorizationPolicy", "RequestAuthentication", "Sidecar", "Telemetry", "EnvoyFilter", "WasmPlugin"]);

function collectHosts(value: JsonValue, namespace: string, out: Set<string>, underHostField = false): void {
  if (typeof value === "string") {
    if (!underHostField) return;
    // Gateway and Sidecar hosts are `namespace/host`; the host part is what relates them.
    const host = value.includes("/") ? value.slice(value.indexOf("/") + 1) : value;
    if (host && host !== "*") out.add(`host:${toFqdn(host, namespace)}`);
  } else if (Array.isArray(value)) {
    for (const v of value) collectHosts(v, namespace, out, underHostField);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) collectHosts(v, namespace, out, HOST_FIELDS.has(k));
  }
}

function gatewayRefs(r: Resource, out: Set<string>): void {
  const own = (ns: string, name: string) => out.add(`gateway:${ns}/${name}`);
  if (r.kind === "Gateway") own(r.namespace, r.name);
  const refs = r.kind === "VirtualService" ? r.spec.gateways : r.kind === "HTTPRoute" ? r.spec.parentRefs : undefined;
  if (!Array.isArray(refs)) return;
  for (const g of refs) {
    if (typeof g === "string" && g !== "mesh") own(g.includes("/") ? g.slice(0, g.indexOf("/")) : r.namespace, g.slice(g.indexOf("/") + 1));
    else if (isObject(g) && typeof g.name === "string") own(typeof g.namespace === "string" ? g.namespace : r.namespace, g.name);
  }
}

/** The labels a resource selects workloads by, if it selects any. */
function selectorOf(r: Resource): Record<string, string> | undefined {
  if (r.kind === "Service") return isObject(r.spec.selector) ? readStringMap(r.spec.selector) : undefined;
  if (r.kind === "Gateway" && r.group === "networking.istio.io") return isObject(r.spec.selector) ? readStringMap(r.spec.selector) : undefined;
  const s = isObject(r.spec.selector) ? r.spec.selector : isObject(r.spec.workloadSelector) ? r.spec.workloadSelector : undefined;
  const labels = s && isObject(s.matchLabels) ? s.matchLabels : s && isObject(s.labels) ? s.labels : undefined;
  return labels ? readStringMap(labels) : undefined;
}

function podLabels(r: Resource): Record<string, string> {
  if (r.kind === "Pod") return { ...r.labels };
  const template = isObject(r.spec.template) && isObject(r.spec.template.metadata) ? r.spec.template.metadata.labels : undefined;
  return isObject(template) ? readStringMap(template) : {};
}

/**
 * What one resource provides to and needs from others. Hosts and gateways relate both ways. Workloads
 * are found by their `app` label (and, by Istio's naming convention, as the host `app.ns.svc`), gateway
 * pods by their `istio` label; a selector without `app` needs every workload of its namespace.
 * Everything needs its namespace's Namespace object and namespace-wide policies.
 */
export function relationsOf(r: Resource): Relations {
  const provides = new Set<string>();
  const needs = new Set<string>([`ns:${r.namespace}`]);
  const shared = new Set<string>();
  collectHosts(r.spec, r.namespace, shared);
  if (r.kind === "Service") shared.add(`host:${toFqdn(r.name, r.namespace)}`);
  if (r.kind === "HTTPRoute" && Array.isArray(r.spec.rules)) {
    for (const rule of r.spec.rules) {
      const backends = isObject(rule) && Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
      for (const b of backends) if (isObject(b) && typeof b.name === "string") shared.add(`host:${toFqdn(b.name, typeof b.namespace === "string" ? b.namespace : r.namespace)}`);
    }
  }
  gatewayRefs(r, shared);
  for (const k of shared) {
    provides.add(k);
    needs.add(k);
  }
  if (r.kind === "Namespace") provides.add(`ns:${r.name}`);
  const root = meshRootNamespace(r);
  if (root !== undefined) provides.add(MESH_CONFIG).add(`${ROOT_NAMESPACE}${root}`);
  if (WORKLOAD_KINDS.has(r.kind)) {
    const labels = podLabels(r);
    provides.add(`workloads:${r.namespace}`);
    if (labels.app) {
      provides.add(`app:${r.namespace}/${labels.app}`);
      provides.add(`host:${toFqdn(labels.app, r.namespace)}`);
    }
    if (labels.istio) provides.add(`istio:${labels.istio}`);
  }
  const selector = selectorOf(r);
  if (r.kind === "Gateway" && selector?.istio) needs.add(`istio:${selector.istio}`);
  else if (selector?.app) needs.add(`app:${r.namespace}/${selector.app}`);
  else if (selector && Object.keys(selector).length > 0) needs.add(`workloads:${r.namespace}`);
  if (NAMESPACE_POLICY_KINDS.has(r.kind) && (!selector || Object.keys(selector).length === 0)) {
    provides.add(`ns:${r.namespace}`);
    needs.add(`workloads:${r.namespace}`);
  }
  return { provides, needs };
}

/** The root namespace a resource sets if it is Istio's `istio` ConfigMap (as checkConfig reads it), else undefined. */
function meshRootNamespace(r: Resource): string | undefined {
  const mesh = isIstioConfigMap(r) && isObject(r.body.data) ? r.body.data.mesh : undefined;
  if (typeof mesh !== "string") return undefined;
  const read = parseMeshConfigText(mesh);
  return read.value ? readMeshConfig(read.value).rootNamespace : DEFAULT_MESH_CONFIG.rootNamespace;
}

/** The mesh's root namespace: set by the change's or the repo's `istio` ConfigMap, else Istio's default. */
export function rootNamespaceOf(index: MeshIndex, change: FileRelations): string {
  const all = [change, ...Object.values(index.files)];
  for (const file of all) for (const k of file.provides) if (k.startsWith(ROOT_NAMESPACE)) return k.slice(ROOT_NAMESPACE.length);
  return DEFAULT_MESH_CONFIG.rootNamespace;
}

/** The relations of a set of files' resources, merged. */
export function relationsOfFiles(files: readonly SourceFile[], defaultNamespace = "default"): FileRelations {
  const provides = new Set<string>();
  const needs = new Set<string>();
  for (const file of files) {
    for (const r of parseDocuments(file, { defaultNamespace }).resources) {
      const rel = relationsOf(r);
      for (const k of rel.provides) provides.add(k);
      for (const k of rel.needs) needs.add(k);
    }
  }
  return { provides: [...provides].sort(), needs: [...needs].sort() };
}

/** One file's entry in the index; a file that does not parse relates to nothing (it is read when changed). */
export function indexFile(file: SourceFile, defaultNamespace = "default"): FileRelations {
  return relationsOfFiles([file], defaultNamespace);
}

/**
 * Files related to a change: those providing something the changed resources need, those needing
 * something the changed resources provide (their findings may change), every file in the root
 * namespace (mesh-wide policy) and the one holding the MeshConfig. Changed files are excluded.
 */
export function relatedPaths(index: MeshIndex, change: FileRelations, changed: ReadonlySet<string>, rootNamespace: string): string[] {
  const needs = new Set(change.needs);
  const provides = new Set(change.provides);
  const root = `ns:${rootNamespace}`;
  const out: string[] = [];
  for (const [path, file] of Object.entries(index.files)) {
    if (changed.has(path)) continue;
    if (file.provides.some((k) => needs.has(k) || k === root || k === MESH_CONFIG) || file.needs.some((k) => provides.has(k)) || file.needs.includes(root)) out.push(path);
  }
  return out.sort();
}
