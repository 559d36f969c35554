import { toFqdn } from "../mesh/hosts.ts";
import { isObject, type JsonValue } from "../mesh/json.ts";
import { parseDocuments, type SourceFile } from "../mesh/parse-documents.ts";
import type { Resource } from "../mesh/resource.ts";

/**
 * What the App remembers of a repository's mesh between pushes: for each mesh file at `commit`, the
 * keys its resources can be related by (namespace, hosts, gateways). With it a review reads only the
 * changed files and the files related to them, never the whole repo on every push.
 */
export interface MeshIndex {
  readonly commit: string;
  readonly files: Readonly<Record<string, readonly string[]>>;
}

const HOST_FIELDS = new Set(["host", "hosts"]);

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

/** The keys one resource can be related by. */
export function relationKeys(r: Resource): string[] {
  const keys = new Set<string>([`ns:${r.namespace}`]);
  collectHosts(r.spec, r.namespace, keys);
  if (r.kind === "Service") keys.add(`host:${toFqdn(r.name, r.namespace)}`);
  if (r.kind === "HTTPRoute" && Array.isArray(r.spec.rules)) {
    for (const rule of r.spec.rules) {
      const backends = isObject(rule) && Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
      for (const b of backends) if (isObject(b) && typeof b.name === "string") keys.add(`host:${toFqdn(b.name, typeof b.namespace === "string" ? b.namespace : r.namespace)}`);
    }
  }
  gatewayRefs(r, keys);
  return [...keys];
}

/** The relation keys of a file's resources; a file that does not parse has none (it is read when changed). */
export function indexFile(file: SourceFile, defaultNamespace = "default"): string[] {
  const keys = new Set<string>();
  for (const r of parseDocuments(file, { defaultNamespace }).resources) for (const k of relationKeys(r)) keys.add(k);
  return [...keys].sort();
}

/**
 * Files related to a change: any file sharing a namespace, a host or a gateway with a changed
 * resource, and every file in the root namespace (mesh-wide policy). Changed files are excluded.
 */
export function relatedPaths(index: MeshIndex, keys: ReadonlySet<string>, changed: ReadonlySet<string>, rootNamespace: string): string[] {
  const wanted = new Set(keys);
  wanted.add(`ns:${rootNamespace}`);
  const out: string[] = [];
  for (const [path, fileKeys] of Object.entries(index.files)) {
    if (!changed.has(path) && fileKeys.some((k) => wanted.has(k))) out.push(path);
  }
  return out.sort();
}
