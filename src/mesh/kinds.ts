/**
 * The kinds meshgate understands. A kind is keyed as `Kind.group` (`Kind` for the core group), the way
 * kubectl names resources, because `Gateway` exists in both Istio and the Gateway API.
 */
export type KindKey = (typeof KNOWN_KINDS)[number]["key"];

export type KindFamily = "istio" | "gateway-api" | "inventory";

export interface KindInfo {
  readonly key: string;
  readonly kind: string;
  readonly group: string;
  readonly versions: readonly string[];
  readonly family: KindFamily;
  readonly namespaced: boolean;
}

const ISTIO_NET = ["v1alpha3", "v1beta1", "v1"] as const;
const ISTIO_SEC = ["v1beta1", "v1"] as const;

export const KNOWN_KINDS = [
  { key: "VirtualService.networking.istio.io", kind: "VirtualService", group: "networking.istio.io", versions: ISTIO_NET, family: "istio", namespaced: true },
  { key: "DestinationRule.networking.istio.io", kind: "DestinationRule", group: "networking.istio.io", versions: ISTIO_NET, family: "istio", namespaced: true },
  { key: "Gateway.networking.istio.io", kind: "Gateway", group: "networking.istio.io", versions: ISTIO_NET, family: "istio", namespaced: true },
  { key: "ServiceEntry.networking.istio.io", kind: "ServiceEntry", group: "networking.istio.io", versions: ISTIO_NET, family: "istio", namespaced: true },
  { key: "Sidecar.networking.istio.io", kind: "Sidecar", group: "networking.istio.io", versions: ISTIO_NET, family: "istio", namespaced: true },
  { key: "WorkloadEntry.networking.istio.io", kind: "WorkloadEntry", group: "networking.istio.io", versions: ISTIO_NET, family: "istio", namespaced: true },
  { key: "PeerAuthentication.security.istio.io", kind: "PeerAuthentication", group: "security.istio.io", versions: ISTIO_SEC, family: "istio", namespaced: true },
  { key: "RequestAuthentication.security.istio.io", kind: "RequestAuthentication", group: "security.istio.io", versions: ISTIO_SEC, family: "istio", namespaced: true },
  { key: "AuthorizationPolicy.security.istio.io", kind: "AuthorizationPolicy", group: "security.istio.io", versions: ISTIO_SEC, family: "istio", namespaced: true },
  { key: "Gateway.gateway.networking.k8s.io", kind: "Gateway", group: "gateway.networking.k8s.io", versions: ["v1", "v1beta1"], family: "gateway-api", namespaced: true },
  { key: "GatewayClass.gateway.networking.k8s.io", kind: "GatewayClass", group: "gateway.networking.k8s.io", versions: ["v1", "v1beta1"], family: "gateway-api", namespaced: false },
  { key: "HTTPRoute.gateway.networking.k8s.io", kind: "HTTPRoute", group: "gateway.networking.k8s.io", versions: ["v1", "v1beta1"], family: "gateway-api", namespaced: true },
  { key: "GRPCRoute.gateway.networking.k8s.io", kind: "GRPCRoute", group: "gateway.networking.k8s.io", versions: ["v1"], family: "gateway-api", namespaced: true },
  { key: "ReferenceGrant.gateway.networking.k8s.io", kind: "ReferenceGrant", group: "gateway.networking.k8s.io", versions: ["v1", "v1beta1"], family: "gateway-api", namespaced: true },
  { key: "Namespace", kind: "Namespace", group: "", versions: ["v1"], family: "inventory", namespaced: false },
  { key: "Service", kind: "Service", group: "", versions: ["v1"], family: "inventory", namespaced: true },
  { key: "Pod", kind: "Pod", group: "", versions: ["v1"], family: "inventory", namespaced: true },
  { key: "ServiceAccount", kind: "ServiceAccount", group: "", versions: ["v1"], family: "inventory", namespaced: true },
  { key: "Secret", kind: "Secret", group: "", versions: ["v1"], family: "inventory", namespaced: true },
  { key: "ConfigMap", kind: "ConfigMap", group: "", versions: ["v1"], family: "inventory", namespaced: true },
  { key: "Node", kind: "Node", group: "", versions: ["v1"], family: "inventory", namespaced: false },
  { key: "Deployment.apps", kind: "Deployment", group: "apps", versions: ["v1"], family: "inventory", namespaced: true },
  { key: "StatefulSet.apps", kind: "StatefulSet", group: "apps", versions: ["v1"], family: "inventory", namespaced: true },
  { key: "DaemonSet.apps", kind: "DaemonSet", group: "apps", versions: ["v1"], family: "inventory", namespaced: true },
] as const satisfies readonly KindInfo[];

const byGroupKind = new Map<string, KindInfo>(KNOWN_KINDS.map((k) => [`${k.group}/${k.kind}`, k]));

/** Splits `group/version` (or a bare core `version`). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function lookupKind(group: string, kind: string): KindInfo | undefined {
  return byGroupKind.get(`${group}/${kind}`);
}

/** The known kinds with this name, in any group (`Gateway` is both Istio's and the Gateway API's). */
export function kindsNamed(kind: string): readonly KindInfo[] {
  return KNOWN_KINDS.filter((k) => k.kind === kind);
}

export function kindKeyOf(group: string, kind: string): string {
  return group === "" ? kind : `${kind}.${group}`;
}
