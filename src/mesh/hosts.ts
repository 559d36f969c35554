/**
 * Host names the way Istio's config layer treats them: short names made fully qualified in a namespace,
 * wildcard matching, and the `namespace/host` form Gateways and Sidecars use. Each function mirrors a
 * named Go function (cited), because `istioctl analyze` parity depends on their exact quirks, e.g. a
 * host with any dot counts as already qualified, and `*` matching is plain suffix comparison.
 */

/** Kubernetes' default cluster domain; MeshConfig `clusterDomain` overrides it where Istio reads that. */
export const DEFAULT_CLUSTER_DOMAIN = "cluster.local";

/** `ExportToAllNamespaces` / `ExportToNamespaceLocal` in `analyzers/util/constants.go`. */
export const EXPORT_TO_ALL = "*";
export const EXPORT_TO_LOCAL = ".";

/** The reserved gateway name binding a VirtualService to every sidecar. */
export const MESH_GATEWAY = "mesh";

/** A namespaced name, as `resource.FullName`. */
export interface FullName {
  readonly namespace: string;
  readonly name: string;
}

/** True for a wildcard host (`*`, `*.example.com`): `host.Name.IsWildCarded`. */
export function isWildcardHost(host: string): boolean {
  return host.startsWith("*");
}

/** A host that is neither a wildcard nor dotted, so Istio qualifies it (`util.IsShortNameForHost`). */
export function isShortHost(host: string): boolean {
  return !host.startsWith("*") && !host.includes(".");
}

/**
 * `util.ConvertHostToFQDN`: `reviews` in `default` becomes `reviews.default.svc.cluster.local`. Anything
 * with a dot (even `reviews.default`) or a leading `*` is returned unchanged, as Istio does.
 */
export function toFqdn(host: string, namespace: string, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): string {
  return isShortHost(host) ? `${host}.${namespace}.svc.${clusterDomain}` : host;
}

// Greedy like Go's regexp: `a.b.c.svc.cluster.local` reads as name `a.b`, namespace `c`.
const FQDN_PATTERN = /^(.+)\.(.+)\.svc\.cluster\.local$/;

/** `util.GetFullNameFromFQDN`: the Service a `name.ns.svc.cluster.local` host names, if it has that form. */
export function fullNameFromFqdn(fqdn: string): FullName | undefined {
  const m = FQDN_PATTERN.exec(fqdn);
  return m ? { namespace: m[2] ?? "", name: m[1] ?? "" } : undefined;
}

/**
 * `util.GetResourceNameFromHost`: the `ns/name` a destination host refers to. A Kubernetes FQDN gives
 * its own namespace; any other string (short name, external host, wildcard) is taken as-is in
 * `defaultNamespace`.
 */
export function resourceNameFromHost(defaultNamespace: string, host: string): FullName {
  return fullNameFromFqdn(host) ?? { namespace: defaultNamespace, name: host };
}

/** `resource.NewShortOrFullName`: `ns/name` splits at the first slash, a bare name takes `namespace`. */
export function shortOrFullName(namespace: string, name: string): FullName {
  const slash = name.indexOf("/");
  return slash < 0 ? { namespace, name } : { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
}

/** `resource.FullName.String()`: `ns/name`, or `name` without a namespace. */
export function formatFullName(n: FullName): string {
  return n.namespace === "" ? n.name : `${n.namespace}/${n.name}`;
}

/**
 * `host.Name.Matches`: the two hosts overlap. Exact names must be equal; a wildcard covers any host
 * ending with what follows its `*` (so `*.foo.com` does not match `foo.com`, and `*` matches all).
 */
export function hostsMatch(a: string, b: string): boolean {
  const aWild = isWildcardHost(a);
  const bWild = isWildcardHost(b);
  if (aWild && bWild) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aWild) return b.endsWith(a.slice(1));
  if (bWild) return a.endsWith(b.slice(1));
  return a === b;
}

/** `host.Name.SubsetOf`: every name `a` covers is covered by `b`. */
export function hostSubsetOf(a: string, b: string): boolean {
  const aWild = isWildcardHost(a);
  const bWild = isWildcardHost(b);
  if (aWild && bWild) return a.length >= b.length && a.slice(1).endsWith(b.slice(1));
  if (aWild) return false;
  if (bWild) return a.endsWith(b.slice(1));
  return a === b;
}

/**
 * `host.NamesForNamespace`: of `ns/host`-style entries, the hosts visible from `namespace`. Entries
 * qualified with another namespace are dropped; `h` qualified with `*`, or bare, is visible everywhere.
 */
export function hostsForNamespace(hosts: readonly string[], namespace: string): string[] {
  const out: string[] = [];
  for (const h of hosts) {
    const slash = h.indexOf("/");
    if (slash < 0) {
      out.push(h);
      continue;
    }
    const parts = h.split("/");
    if (parts[0] !== namespace && parts[0] !== "*") continue;
    out.push(parts[1] ?? "");
  }
  return out;
}

/**
 * `sanitizeServerHostNamespace` (analyzers/virtualservice/gateways.go) for one Gateway server's hosts:
 * `./h` becomes `<gateway ns>/h`, `h` qualified with `*` becomes bare `h`, and a `*` host qualified with `*`
 * collapses the whole list to `*`.
 */
export function normalizeGatewayHosts(hosts: readonly string[], gatewayNamespace: string): string[] {
  const out = [...hosts];
  for (const [i, h] of hosts.entries()) {
    if (!h.includes("/")) continue;
    const parts = h.split("/");
    if (parts[0] === ".") out[i] = `${gatewayNamespace}/${parts[1] ?? ""}`;
    else if (parts[0] === "*") {
      if (parts[1] === "*") return ["*"];
      out[i] = parts[1] ?? "";
    }
  }
  return out;
}

/**
 * A `[namespace/]host` entry of a Gateway server or Sidecar egress listener, split. `.` stays `.` (the
 * caller knows the owning namespace); a bare host has namespace `*`, as the API documents.
 */
export function splitNamespacedHost(entry: string): { readonly namespace: string; readonly host: string } {
  const slash = entry.indexOf("/");
  return slash < 0 ? { namespace: "*", host: entry } : { namespace: entry.slice(0, slash), host: entry.slice(slash + 1) };
}

/** `util.NewScopedFqdn`: the key `scope/fqdn` that Istio's analyzers index hosts by. */
export function scopedFqdn(scope: string, namespace: string, host: string, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): string {
  return `${scope}/${toFqdn(host, namespace, clusterDomain)}`;
}

/** `ScopedFqdn.GetScopeAndFqdn`: splits a `scope/fqdn` key at its first slash. */
export function splitScopedFqdn(key: string): { readonly scope: string; readonly fqdn: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { scope: key, fqdn: "" } : { scope: key.slice(0, slash), fqdn: key.slice(slash + 1) };
}

/** `util.IsExportToAllNamespaces`: no `exportTo`, or one containing `*`. */
export function isExportToAll(exportTo: readonly string[]): boolean {
  return exportTo.length === 0 || exportTo.includes(EXPORT_TO_ALL);
}
