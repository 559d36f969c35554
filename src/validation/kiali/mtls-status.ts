import type { ConfigSet } from "../../mesh/config-set.ts";
import { hostsMatch } from "../../mesh/hosts.ts";
import { isObject, readString } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import { selectorMatches } from "../../mesh/workloads.ts";
import { formatKialiHost, knownNamespaces, resolveKialiHost } from "./kiali-host.ts";
import {
  destinationRuleTlsMode,
  isAutoMtlsEnabled,
  MESH_WIDE_HOST,
  namespaceWideHost,
  peerAuthenticationMode,
  indexPeerAuthenticationScopes,
  type PeerAuthenticationScope,
  peerAuthenticationWideMode,
} from "./mtls-modes.ts";
import { selectorLabels } from "./selector-labels.ts";

/** Kiali's mTLS verdicts (`util/mtls/status.go`). */
export type MtlsVerdict = "MTLS_ENABLED" | "MTLS_PARTIALLY_ENABLED" | "MTLS_NOT_ENABLED" | "MTLS_DISABLED";

/** `TlsStatus`: the DR and PeerAuthentication modes found ("" for none) and the verdict from them. */
interface TlsStatus {
  readonly dr: string;
  readonly pa: string;
  readonly overall: MtlsVerdict | "";
}

interface Flags {
  readonly autoMtls: boolean;
  readonly allowPermissive: boolean;
}

const NO_STATUS: TlsStatus = { dr: "", pa: "", overall: "" };

/**
 * Kiali's verdict on whether a workload with `labels` in `namespace` receives mTLS
 * (`MtlsEnabledChecker.IsMtlsEnabledFor`): a selector PeerAuthentication matching the labels decides
 * (STRICT yes, DISABLE no, PERMISSIVE by the DR of the Services it selects); otherwise the namespace
 * verdict, which falls back to the mesh one, with autoMtls counting as enabled when nothing is set.
 * Built once per set; namespace verdicts are cached.
 */
export function mtlsVerdicts(set: ConfigSet): (namespace: string, labels: Readonly<Record<string, string>>) => boolean {
  const drs = set.ofKind("DestinationRule.networking.istio.io");
  const ctx: Context = {
    set,
    autoMtls: isAutoMtlsEnabled(set.meshConfig),
    drs,
    drModeByHost: firstTlsModeByHost(drs),
    scopeOf: indexPeerAuthenticationScopes(set),
  };
  const byNamespace = new Map<string, MtlsVerdict>();
  return (namespace, labels) => {
    const workload = workloadVerdict(ctx, namespace, labels);
    if (workload === "MTLS_ENABLED") return true;
    if (workload === "MTLS_DISABLED") return false;
    let verdict = byNamespace.get(namespace);
    if (verdict === undefined) byNamespace.set(namespace, (verdict = namespaceVerdict(ctx, namespace)));
    return verdict === "MTLS_ENABLED";
  };
}

interface Context {
  readonly set: ConfigSet;
  readonly autoMtls: boolean;
  readonly drs: readonly Resource[];
  /** `DestinationRuleHasMTLSEnabledForHost` over all DRs: the first TLS mode set for each exact host. */
  readonly drModeByHost: ReadonlyMap<string, string>;
  readonly scopeOf: (namespace: string) => PeerAuthenticationScope;
}

function namespaceVerdict(ctx: Context, namespace: string): MtlsVerdict {
  const { autoMtls, drModeByHost } = ctx;
  const scope = ctx.scopeOf(namespace);
  const lenient: Flags = { autoMtls, allowPermissive: true };
  const ns = finalStatus(drModeByHost.get(namespaceWideHost(namespace)) ?? "", firstMode(scope.namespace), lenient);
  const meshFinal = finalStatus(drModeByHost.get(MESH_WIDE_HOST) ?? "", firstMode(scope.mesh), lenient);
  const mesh: TlsStatus = { ...meshFinal, overall: overallVerdict(NO_STATUS, meshFinal, lenient) };
  const verdict = overallVerdict(ns, mesh, { autoMtls, allowPermissive: false });
  // No PeerAuthentication or DR anywhere and autoMtls on: Istio sends mTLS by itself.
  return verdict === "MTLS_NOT_ENABLED" && autoMtls ? "MTLS_ENABLED" : verdict;
}

/** `hasPeerAuthnNamespacemTLSDefinition`: the mode of the first selector-less PeerAuthentication with one. */
function firstMode(pas: readonly Resource[]): string {
  for (const pa of pas) {
    const mode = peerAuthenticationWideMode(pa);
    if (mode !== undefined) return mode;
  }
  return "";
}

function firstTlsModeByHost(drs: readonly Resource[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const dr of drs) {
    const host = readString(dr.spec.host);
    const mode = destinationRuleTlsMode(dr);
    if (host !== undefined && host !== "" && mode !== undefined && !out.has(host)) out.set(host, mode);
  }
  return out;
}

/** `finalStatus`. */
function finalStatus(dr: string, pa: string, flags: Flags): TlsStatus {
  const drEnables = dr === "ISTIO_MUTUAL" || dr === "MUTUAL" || (dr === "" && flags.autoMtls);
  const drDisables = dr === "DISABLE" || (dr === "" && flags.autoMtls);
  let overall: MtlsVerdict = "MTLS_PARTIALLY_ENABLED";
  if ((pa === "STRICT" || (pa === "PERMISSIVE" && flags.allowPermissive)) && drEnables) overall = "MTLS_ENABLED";
  else if (pa === "DISABLE" && drDisables) overall = "MTLS_DISABLED";
  else if (pa === "" && dr === "") overall = "MTLS_NOT_ENABLED";
  return { dr, pa, overall };
}

/** `OverallMtlsStatus`: the namespace verdict when it is definite, else what it inherits from the mesh. */
function overallVerdict(ns: TlsStatus, mesh: TlsStatus, flags: Flags): MtlsVerdict {
  if (ns.overall === "MTLS_ENABLED" || ns.overall === "MTLS_DISABLED") return ns.overall;
  if (ns.overall === "MTLS_PARTIALLY_ENABLED") {
    const inherited = finalStatus(ns.dr || mesh.dr, ns.pa || mesh.pa, flags);
    return overallVerdict(NO_STATUS, inherited, flags);
  }
  if (mesh.overall === "MTLS_ENABLED" || mesh.overall === "MTLS_DISABLED") return mesh.overall;
  if (mesh.pa === "" && mesh.dr === "") return "MTLS_NOT_ENABLED";
  if ((mesh.pa === "DISABLE" && mesh.dr === "") || (mesh.dr === "DISABLE" && mesh.pa === "")) return "MTLS_DISABLED";
  if (halfDefined(mesh, flags)) return "MTLS_ENABLED";
  return "MTLS_PARTIALLY_ENABLED";
}

/** `hasHalfTlsConfigDefined`: with autoMtls, one side enabling mTLS and the other silent is enough. */
function halfDefined(s: TlsStatus, flags: Flags): boolean {
  if (!flags.autoMtls) return false;
  if (s.pa === "STRICT" && s.dr === "") return true;
  if ((s.dr === "ISTIO_MUTUAL" || s.dr === "MUTUAL") && s.pa === "") return true;
  return flags.allowPermissive && s.pa === "PERMISSIVE" && s.dr === "";
}

/** `WorkloadMtlsStatus`: the first selector PeerAuthentication of the namespace matching the labels. */
function workloadVerdict(ctx: Context, namespace: string, labels: Readonly<Record<string, string>>): MtlsVerdict {
  const { drs } = ctx;
  for (const pa of ctx.scopeOf(namespace).namespace) {
    if (!isObject(pa.spec.selector)) continue;
    const selector = selectorLabels(pa);
    if (!selectorMatches(selector, labels)) continue;
    const mode = peerAuthenticationMode(pa);
    if (mode === "STRICT") return "MTLS_ENABLED";
    if (mode === "DISABLE") return "MTLS_DISABLED";
    if (mode === "PERMISSIVE") return drs.length === 0 ? "MTLS_NOT_ENABLED" : permissiveVerdict(ctx.set, selector, drs);
  }
  return "MTLS_NOT_ENABLED";
}

/** A PERMISSIVE workload gets mTLS when a DR for a Service the PeerAuthentication selects sends it. */
function permissiveVerdict(set: ConfigSet, selector: Readonly<Record<string, string>>, drs: readonly Resource[]): MtlsVerdict {
  const namespaces = knownNamespaces(set);
  for (const svc of set.ofKind("Service")) {
    if (!selectorMatches(selector, svc.labels)) continue;
    const svcHost = `${svc.name}.${svc.namespace}.svc.cluster.local`;
    for (const dr of drs) {
      const drHost = formatKialiHost(resolveKialiHost(readString(dr.spec.host) ?? "", dr.namespace, namespaces));
      if (!hostsMatch(drHost, svcHost)) continue;
      const mode = destinationRuleTlsMode(dr);
      if (mode === "ISTIO_MUTUAL" || mode === "MUTUAL") return "MTLS_ENABLED";
      if (mode === "DISABLE") return "MTLS_DISABLED";
    }
  }
  return "MTLS_NOT_ENABLED";
}
