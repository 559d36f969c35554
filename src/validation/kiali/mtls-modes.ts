import type { ConfigSet } from "../../mesh/config-set.ts";
import { isObject, readString } from "../../mesh/json.ts";
import type { MeshConfig } from "../../mesh/mesh-config.ts";
import type { Resource } from "../../mesh/resource.ts";
import { groupByNamespace } from "../../mesh/workloads.ts";
import { IDENTITY_DOMAIN } from "./kiali-host.ts";

/** The DR host Kiali reads as "mesh-wide" (Istio's documented `*.local`). */
export const MESH_WIDE_HOST = "*.local";

/** The DR host Kiali reads as "namespace-wide" for `namespace`. */
export function namespaceWideHost(namespace: string): string {
  return `*.${namespace}.${IDENTITY_DOMAIN}`;
}

/**
 * `PeerAuthnMTLSMode`: the `spec.mtls.mode` of a PeerAuthentication that has an `mtls` block (`UNSET`
 * when the block names no mode, as the proto enum prints), else undefined.
 */
export function peerAuthenticationMode(pa: Resource): string | undefined {
  const mtls = pa.spec.mtls;
  return isObject(mtls) ? (readString(mtls.mode) ?? "UNSET") : undefined;
}

/**
 * `PeerAuthnHasMTLSEnabled`: the mode of a selector-less PeerAuthentication. Kiali ignores any
 * PeerAuthentication with a `selector` (even an empty one) when it reasons about namespace or mesh mTLS.
 */
export function peerAuthenticationWideMode(pa: Resource): string | undefined {
  return isObject(pa.spec.selector) ? undefined : peerAuthenticationMode(pa);
}

/** STRICT and PERMISSIVE both accept mTLS: what Kiali calls "enabled" for a PeerAuthentication. */
export function acceptsMtls(mode: string | undefined): boolean {
  return mode === "STRICT" || mode === "PERMISSIVE";
}

/**
 * `DestinationRuleHasMTLSEnabled`: the `trafficPolicy.tls.mode` of a DR that sets TLS (`DISABLE`, the
 * enum's zero value, when the block names no mode), else undefined.
 */
export function destinationRuleTlsMode(dr: Resource): string | undefined {
  const policy = dr.spec.trafficPolicy;
  const tls = isObject(policy) ? policy.tls : undefined;
  return isObject(tls) ? (readString(tls.mode) ?? "DISABLE") : undefined;
}

/** `DestinationRuleHasMTLSEnabledForHost`: the TLS mode of a DR whose host is exactly `host`. */
export function tlsModeForHost(dr: Resource, host: string): string | undefined {
  return dr.spec.host === host ? destinationRuleTlsMode(dr) : undefined;
}

/** MeshConfig `enableAutoMtls`, on unless set to false (Istio's default). */
export function isAutoMtlsEnabled(mesh: MeshConfig): boolean {
  return mesh.raw.enableAutoMtls !== false;
}

/** The PeerAuthentications Kiali's `MTLSDetails` holds for one namespace: its own, and the root's. */
export interface PeerAuthenticationScope {
  readonly namespace: readonly Resource[];
  readonly mesh: readonly Resource[];
}

/** Indexes the set's PeerAuthentications once; the returned function gives a namespace's scope. */
export function indexPeerAuthenticationScopes(set: ConfigSet): (namespace: string) => PeerAuthenticationScope {
  const byNamespace = groupByNamespace(set.ofKind("PeerAuthentication.security.istio.io"));
  const mesh = byNamespace.get(set.meshConfig.rootNamespace) ?? [];
  return (namespace) => ({ namespace: byNamespace.get(namespace) ?? [], mesh });
}
