import type { ConfigSet } from "../../mesh/config-set.ts";
import type { Resource } from "../../mesh/resource.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { type KialiCodeId, kialiFinding } from "./kiali-codes.ts";
import { isAutoMtlsEnabled, MESH_WIDE_HOST, namespaceWideHost, peerAuthenticationWideMode, tlsModeForHost } from "./mtls-modes.ts";
import { presentPath } from "./present-path.ts";

const RULE = "kiali.PeerAuthenticationMtlsChecker";
const MODE_PATH = ["spec", "mtls", "mode"] as const;

/**
 * Kiali's PeerAuthentication-side mTLS consistency checks (`peerauthentications/*.go`), for
 * selector-less PeerAuthentications against the `*.local` and `*.<ns>.svc.cluster.local` DRs:
 * - root namespace: KIA0401 (STRICT, autoMtls off, no mesh-wide ISTIO_MUTUAL DR) and KIA0506 (DISABLE
 *   while a mesh-wide DR still sends mTLS).
 * - other namespaces: KIA0501 (STRICT, autoMtls off, no namespace- or mesh-wide ISTIO_MUTUAL DR) and
 *   KIA0505 (DISABLE while a namespace-wide DR, or failing a namespace-wide DISABLE one a mesh-wide DR,
 *   still sends mTLS).
 */
export const peerAuthenticationMtls: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const autoMtls = isAutoMtlsEnabled(set.meshConfig);
    const drs = set.ofKind("DestinationRule.networking.istio.io");
    const findings: Finding[] = [];
    for (const pa of set.ofKind("PeerAuthentication.security.istio.io")) {
      const mode = peerAuthenticationWideMode(pa);
      const isRoot = pa.namespace === set.meshConfig.rootNamespace;
      const code = isRoot ? meshCheck(mode, drs, autoMtls) : namespaceCheck(pa, mode, drs, autoMtls);
      if (code) findings.push(kialiFinding(code, RULE, pa, presentPath(pa.body, MODE_PATH)));
    }
    return findings;
  },
};

const sendsMtls = (mode: string | undefined) => mode === "ISTIO_MUTUAL" || mode === "MUTUAL";

function meshCheck(mode: string | undefined, drs: readonly Resource[], autoMtls: boolean): KialiCodeId | undefined {
  if (mode === "DISABLE" && drs.some((dr) => sendsMtls(tlsModeForHost(dr, MESH_WIDE_HOST)))) return "MG4506";
  if (mode === "STRICT" && !autoMtls && !drs.some((dr) => tlsModeForHost(dr, MESH_WIDE_HOST) === "ISTIO_MUTUAL")) return "MG4401";
  return undefined;
}

function namespaceCheck(pa: Resource, mode: string | undefined, drs: readonly Resource[], autoMtls: boolean): KialiCodeId | undefined {
  const nsHost = namespaceWideHost(pa.namespace);
  if (mode === "DISABLE") return disabledNamespaceCheck(nsHost, drs);
  if (mode !== "STRICT" || autoMtls) return undefined;
  const enabled = drs.some((dr) => tlsModeForHost(dr, nsHost) === "ISTIO_MUTUAL" || tlsModeForHost(dr, MESH_WIDE_HOST) === "ISTIO_MUTUAL");
  return enabled ? undefined : "MG4501";
}

/** In DR order, as Kiali: the first namespace-wide DR decides; else any mesh-wide DR sending mTLS. */
function disabledNamespaceCheck(nsHost: string, drs: readonly Resource[]): KialiCodeId | undefined {
  let meshSendsMtls = false;
  for (const dr of drs) {
    const nsMode = tlsModeForHost(dr, nsHost);
    if (sendsMtls(nsMode)) return "MG4505";
    if (nsMode === "DISABLE") return undefined;
    if (sendsMtls(tlsModeForHost(dr, MESH_WIDE_HOST))) meshSendsMtls = true;
  }
  return meshSendsMtls ? "MG4505" : undefined;
}
