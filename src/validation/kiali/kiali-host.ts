import type { ConfigSet } from "../../mesh/config-set.ts";

/** Kiali's `IstioIdentityDomain` default: the suffix it expects after `<service>.<namespace>.`. */
export const IDENTITY_DOMAIN = "svc.cluster.local";

/**
 * A host as Kiali parses it (`kubernetes.Host`): a Kubernetes service `service.namespace.cluster`, or,
 * when the name is not of that shape, the whole name as `service` with empty namespace and cluster
 * (a ServiceEntry host).
 */
export interface KialiHost {
  readonly service: string;
  readonly namespace: string;
  readonly cluster: string;
  /** The host named a Kubernetes service completely (short name, `svc.ns`, `svc.ns.svc` or FQDN). */
  readonly complete: boolean;
}

/**
 * `kubernetes.ParseHost`: a short name is a service of `namespace`; `svc.ns.svc.cluster.local` is that
 * service; anything else (`reviews.bookinfo`, `*.local`, `google.com`) is taken whole, as a
 * ServiceEntry-style host with no namespace.
 */
export function parseKialiHost(host: string, namespace: string): KialiHost {
  const parts = host.split(".");
  const [service = "", second = ""] = parts;
  if (parts.length === 1) return { service: host, namespace, cluster: IDENTITY_DOMAIN, complete: true };
  if (parts.length > 2 && parts.slice(2).join(".") === IDENTITY_DOMAIN) {
    return { service, namespace: second, cluster: IDENTITY_DOMAIN, complete: true };
  }
  return { service: host, namespace: "", cluster: "", complete: false };
}

/**
 * `kubernetes.GetHost`: like `parseKialiHost`, but `reviews.bookinfo` (when `bookinfo` is the object's
 * namespace or one the set knows) and `reviews.bookinfo.svc` also read as the service.
 */
export function resolveKialiHost(host: string, namespace: string, namespaces: ReadonlySet<string>): KialiHost {
  const parts = host.split(".");
  const [service = "", second = "", third] = parts;
  if (parts.length === 2 && (second === namespace || namespaces.has(second))) {
    return { service, namespace: second, cluster: IDENTITY_DOMAIN, complete: true };
  }
  if (parts.length === 3 && third === "svc") return { service, namespace: second, cluster: IDENTITY_DOMAIN, complete: true };
  return parseKialiHost(host, namespace);
}

/** `Host.String()`: service, namespace and cluster joined, skipping the empty ones. */
export function formatKialiHost(h: KialiHost): string {
  return [h.service, h.namespace, h.cluster].filter((p) => p !== "").join(".");
}

/** The namespaces Kiali would list: every namespace a resource lives in, plus declared Namespaces. */
export function knownNamespaces(set: ConfigSet): Set<string> {
  const out = new Set<string>();
  for (const r of set.resources) if (r.namespace !== "") out.add(r.namespace);
  for (const ns of set.ofKind("Namespace")) out.add(ns.name);
  return out;
}
