import type { ConfigSet } from "../../mesh/config-set.ts";
import type { Resource } from "../../mesh/resource.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { type KialiCodeId, kialiFinding } from "./kiali-codes.ts";
import {
  acceptsMtls,
  isAutoMtlsEnabled,
  MESH_WIDE_HOST,
  namespaceWideHost,
  type PeerAuthenticationScope,
  indexPeerAuthenticationScopes,
  peerAuthenticationWideMode,
  tlsModeForHost,
} from "./mtls-modes.ts";
import { presentPath } from "./present-path.ts";

const RULE = "kiali.DestinationRuleMtlsChecker";
const MODE_PATH = ["spec", "trafficPolicy", "tls", "mode"] as const;

/**
 * Kiali's DestinationRule-side mTLS consistency checks (`destinationrules/*_mtls_checker.go`), for DRs
 * on `*.local` (mesh-wide) or `*.<ns>.svc.cluster.local` (namespace-wide), against the selector-less
 * PeerAuthentications of the DR's namespace and of the root namespace:
 * - KIA0205 / KIA0206: the DR turns ISTIO_MUTUAL on mesh- / namespace-wide but no PeerAuthentication
 *   accepts mTLS there. Only with autoMtls off: with it on, Istio picks mTLS by itself.
 * - KIA0207: a namespace-wide DR disables TLS while the namespace's PeerAuthentication is STRICT.
 * - KIA0208: a mesh-wide DR disables TLS while the mesh PeerAuthentication is STRICT; or a namespace-wide
 *   one does, the namespace has no PeerAuthentication of its own, and the mesh one is STRICT.
 */
export const destinationRuleMtls: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const autoMtls = isAutoMtlsEnabled(set.meshConfig);
    const scopeOf = indexPeerAuthenticationScopes(set);
    const findings: Finding[] = [];
    for (const dr of set.ofKind("DestinationRule.networking.istio.io")) {
      const scope = scopeOf(dr.namespace);
      const codes = [...disabledChecks(dr, scope), ...(autoMtls ? [] : missingPolicyChecks(dr, scope))];
      for (const code of codes) findings.push(kialiFinding(code, RULE, dr, presentPath(dr.body, MODE_PATH)));
    }
    return findings;
  },
};

function disabledChecks(dr: Resource, scope: PeerAuthenticationScope): KialiCodeId[] {
  const codes: KialiCodeId[] = [];
  if (tlsModeForHost(dr, namespaceWideHost(dr.namespace)) === "DISABLE") {
    const verdict = namespaceVerdict(scope.namespace);
    if (verdict === "strict") codes.push("MG4207");
    else if (verdict === "none" && scope.mesh.some((pa) => peerAuthenticationWideMode(pa) === "STRICT")) codes.push("MG4208");
  }
  if (tlsModeForHost(dr, MESH_WIDE_HOST) === "DISABLE" && scope.mesh.some((pa) => peerAuthenticationWideMode(pa) === "STRICT")) {
    codes.push("MG4208");
  }
  return codes;
}

/**
 * The first selector-less PeerAuthentication of the namespace that accepts mTLS decides (STRICT breaks a
 * DISABLE DR, PERMISSIVE is fine); a DISABLE one means the namespace has its own (plain-text) policy.
 */
function namespaceVerdict(pas: readonly Resource[]): "strict" | "permissive" | "disabled" | "none" {
  let disabled = false;
  for (const pa of pas) {
    const mode = peerAuthenticationWideMode(pa);
    if (acceptsMtls(mode)) return mode === "STRICT" ? "strict" : "permissive";
    if (mode === "DISABLE") disabled = true;
  }
  return disabled ? "disabled" : "none";
}

function missingPolicyChecks(dr: Resource, scope: PeerAuthenticationScope): KialiCodeId[] {
  const accepts = (pas: readonly Resource[]) => pas.some((pa) => acceptsMtls(peerAuthenticationWideMode(pa)));
  const codes: KialiCodeId[] = [];
  if (tlsModeForHost(dr, namespaceWideHost(dr.namespace)) === "ISTIO_MUTUAL" && !accepts(scope.namespace) && !accepts(scope.mesh)) {
    codes.push("MG4206");
  }
  if (tlsModeForHost(dr, MESH_WIDE_HOST) === "ISTIO_MUTUAL" && !accepts(scope.mesh)) codes.push("MG4205");
  return codes;
}
