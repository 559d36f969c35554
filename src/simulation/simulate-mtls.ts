import type { ConfigSet } from "../mesh/config-set.ts";
import type { FieldPath } from "../mesh/field-path.ts";
import { fullNameFromFqdn, toFqdn } from "../mesh/hosts.ts";
import { isObject, type JsonValue, readArray, readString, readStringMap } from "../mesh/json.ts";
import { type Resource, type ResourceRef, refOf } from "../mesh/resource.ts";
import { indexNamespaces, listWorkloads, selectorMatches, type Workload, workloadInMesh } from "../mesh/workloads.ts";

export type MtlsMode = "STRICT" | "PERMISSIVE" | "DISABLE";

/** The server-side mode of one workload, with per-port overrides, and the policy that decided it. */
export interface WorkloadMtls {
  readonly namespace: string;
  readonly workload: string;
  readonly mode: MtlsMode;
  readonly ports: Readonly<Record<string, MtlsMode>>;
  readonly decidedBy: ResourceRef | null;
  readonly inMesh: boolean;
}

/** A client DestinationRule whose TLS setting breaks traffic to the server's mode (semantics.md §b table). */
export interface MtlsConflict {
  readonly rule: ResourceRef;
  readonly file: string;
  readonly line: number;
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  readonly clientMode: string;
  readonly serverMode: MtlsMode | "no sidecar";
  readonly workload: string;
  readonly message: string;
}

export interface MtlsView {
  readonly mesh: MtlsMode;
  readonly namespaces: Readonly<Record<string, MtlsMode>>;
  readonly workloads: readonly WorkloadMtls[];
  readonly conflicts: readonly MtlsConflict[];
}

const PA = "PeerAuthentication.security.istio.io";
const DR = "DestinationRule.networking.istio.io";

function modeOf(value: JsonValue | undefined): MtlsMode | undefined {
  const m = isObject(value) ? value.mode : undefined;
  return m === "STRICT" || m === "PERMISSIVE" || m === "DISABLE" ? m : undefined; // UNSET or absent: inherit
}

function hasSelector(pa: Resource): boolean {
  return isObject(pa.spec.selector) && Object.keys(readStringMap(pa.spec.selector.matchLabels)).length > 0;
}

/**
 * Effective mTLS per namespace, workload and port (Istio's `ComposePeerAuthentication`: PERMISSIVE,
 * then mesh → namespace → workload, UNSET inherits; port-level only from the workload policy), and the
 * client DestinationRules whose TLS mode breaks against it. Git has no creation timestamps, so "the
 * oldest policy wins" becomes "the first in the set wins" — the order the repo lists them.
 */
export function simulateMtls(set: ConfigSet): MtlsView {
  const root = set.meshConfig.rootNamespace;
  const pas = set.ofKind(PA);
  const meshPa = pas.find((p) => p.namespace === root && !hasSelector(p));
  const mesh = modeOf(meshPa?.spec.mtls) ?? "PERMISSIVE";
  const nsPas = new Map<string, Resource>();
  for (const p of pas) if (p.namespace !== root && !hasSelector(p) && !nsPas.has(p.namespace)) nsPas.set(p.namespace, p);
  const namespaces: Record<string, MtlsMode> = {};
  for (const [ns, p] of nsPas) namespaces[ns] = modeOf(p.spec.mtls) ?? mesh;
  const nsIndex = indexNamespaces(set);
  const workloads = listWorkloads(set)
    .filter((w) => !w.resource.synthetic)
    .map((w) => composeWorkload(w, pas, root, mesh, meshPa, nsPas.get(w.namespace), workloadInMesh(w, nsIndex)));
  return { mesh, namespaces, workloads, conflicts: findConflicts(set, workloads, listWorkloads(set)) };
}

function composeWorkload(w: Workload, pas: readonly Resource[], root: string, mesh: MtlsMode, meshPa: Resource | undefined, nsPa: Resource | undefined, inMesh: boolean): WorkloadMtls {
  // Selector policies in the root namespace are ignored (semantics.md: the code follows the header note).
  const workloadPa = pas.find((p) => p.namespace === w.namespace && p.namespace !== root && hasSelector(p) && selectorMatches(readStringMap((p.spec.selector as { matchLabels?: JsonValue }).matchLabels), w.labels));
  let mode = mesh;
  let decidedBy: Resource | undefined = modeOf(meshPa?.spec.mtls) ? meshPa : undefined;
  for (const p of [nsPa, workloadPa]) {
    const m = modeOf(p?.spec.mtls);
    if (p && m) {
      mode = m;
      decidedBy = p;
    }
  }
  const ports: Record<string, MtlsMode> = {};
  if (workloadPa && isObject(workloadPa.spec.portLevelMtls)) {
    for (const [port, value] of Object.entries(workloadPa.spec.portLevelMtls)) ports[port] = modeOf(value) ?? mode;
  }
  return { namespace: w.namespace, workload: w.name, mode, ports, decidedBy: decidedBy ? refOf(decidedBy) : null, inMesh };
}

/** DR tls settings at each level (top, port, subset, subset port), with their field paths. */
function tlsSettings(dr: Resource): { path: FieldPath; mode: string; subset?: string; port?: number }[] {
  const out: { path: FieldPath; mode: string; subset?: string; port?: number }[] = [];
  const visit = (policy: JsonValue | undefined, path: FieldPath, subset?: string) => {
    if (!isObject(policy)) return;
    const mode = isObject(policy.tls) ? readString(policy.tls.mode) : undefined;
    if (mode) out.push({ path: [...path, "tls", "mode"], mode, ...(subset ? { subset } : {}) });
    readArray(policy.portLevelSettings).forEach((pls, i) => {
      if (!isObject(pls) || !isObject(pls.tls)) return;
      const pmode = readString(pls.tls.mode);
      const port = isObject(pls.port) && typeof pls.port.number === "number" ? pls.port.number : undefined;
      if (pmode) out.push({ path: [...path, "portLevelSettings", i, "tls", "mode"], mode: pmode, ...(subset ? { subset } : {}), ...(port ? { port } : {}) });
    });
  };
  visit(dr.spec.trafficPolicy, ["spec", "trafficPolicy"]);
  readArray(dr.spec.subsets).forEach((s, i) => {
    if (isObject(s)) visit(s.trafficPolicy, ["spec", "subsets", i, "trafficPolicy"], readString(s.name));
  });
  return out;
}

function findConflicts(set: ConfigSet, views: readonly WorkloadMtls[], workloads: readonly Workload[]): MtlsConflict[] {
  const conflicts: MtlsConflict[] = [];
  const byId = new Map(views.map((v) => [`${v.namespace}/${v.workload}`, v]));
  for (const dr of set.ofKind(DR)) {
    const host = readString(dr.spec.host);
    if (!host) continue;
    const fqdn = toFqdn(host, dr.namespace);
    const name = fullNameFromFqdn(fqdn);
    const service = name ? set.get("Service", name.namespace, name.name) : undefined;
    if (!service) continue; // no inventory for this host: nothing to compare against
    const selector = readStringMap(service.spec.selector);
    if (Object.keys(selector).length === 0) continue;
    const selected = workloads.filter((w) => w.namespace === service.namespace && selectorMatches(selector, w.labels));
    const subsetLabels = new Map(readArray(dr.spec.subsets).filter(isObject).map((s) => [readString(s.name) ?? "", readStringMap(s.labels)]));
    for (const setting of tlsSettings(dr)) {
      for (const w of selected) {
        if (setting.subset !== undefined && !selectorMatches(subsetLabels.get(setting.subset) ?? {}, w.labels)) continue;
        const view = byId.get(`${w.namespace}/${w.name}`);
        if (!view) continue;
        const server: MtlsMode | "no sidecar" = view.inMesh ? view.mode : "no sidecar";
        const breaks =
          (setting.mode === "ISTIO_MUTUAL" && (server === "DISABLE" || server === "no sidecar")) ||
          (setting.mode !== "ISTIO_MUTUAL" && server === "STRICT");
        if (!breaks) continue;
        const pos = dr.locate(setting.path);
        conflicts.push({
          rule: refOf(dr),
          file: dr.source.file,
          line: pos.line,
          host: fqdn,
          clientMode: setting.mode,
          serverMode: server,
          workload: `${w.namespace}/${w.name}`,
          ...(setting.subset !== undefined ? { subset: setting.subset } : {}),
          ...(setting.port !== undefined ? { port: setting.port } : {}),
          message:
            setting.mode === "ISTIO_MUTUAL"
              ? `clients send Istio mTLS to ${w.namespace}/${w.name}, which ${server === "no sidecar" ? "has no sidecar to terminate it" : "only accepts plaintext (DISABLE)"}: connections fail`
              : `clients send ${setting.mode === "DISABLE" ? "plaintext" : `${setting.mode} TLS with non-Istio certificates`} to ${w.namespace}/${w.name}, which requires Istio mTLS (STRICT): connections fail`,
        });
      }
    }
  }
  return conflicts;
}

const STRENGTH: Readonly<Record<MtlsMode, number>> = { STRICT: 2, PERMISSIVE: 1, DISABLE: 0 };

/** A place where mTLS got weaker, or a conflict the change introduces. */
export interface MtlsChange {
  readonly scope: string;
  readonly before?: MtlsMode;
  readonly after?: MtlsMode;
  readonly weakening: boolean;
  readonly conflict?: MtlsConflict;
}

/** Before → after per mesh, namespace, workload and port; weakenings flagged; new conflicts listed. */
export function diffMtls(base: MtlsView, head: MtlsView): MtlsChange[] {
  const changes: MtlsChange[] = [];
  const push = (scope: string, before: MtlsMode | undefined, after: MtlsMode | undefined) => {
    if (before === after) return;
    changes.push({ scope, ...(before ? { before } : {}), ...(after ? { after } : {}), weakening: before !== undefined && after !== undefined && STRENGTH[after] < STRENGTH[before] });
  };
  push("mesh", base.mesh, head.mesh);
  for (const ns of new Set([...Object.keys(base.namespaces), ...Object.keys(head.namespaces)])) {
    push(`namespace ${ns}`, base.namespaces[ns] ?? base.mesh, head.namespaces[ns] ?? head.mesh);
  }
  const before = new Map(base.workloads.map((w) => [`${w.namespace}/${w.workload}`, w]));
  for (const w of head.workloads) {
    const b = before.get(`${w.namespace}/${w.workload}`);
    if (!b) continue;
    push(`workload ${w.namespace}/${w.workload}`, b.mode, w.mode);
    for (const port of new Set([...Object.keys(b.ports), ...Object.keys(w.ports)])) {
      push(`workload ${w.namespace}/${w.workload} port ${port}`, b.ports[port] ?? b.mode, w.ports[port] ?? w.mode);
    }
  }
  const known = new Set(base.conflicts.map((c) => `${c.workload}\u0000${c.host}\u0000${c.clientMode}\u0000${c.subset ?? ""}\u0000${c.port ?? ""}`));
  for (const c of head.conflicts) {
    if (!known.has(`${c.workload}\u0000${c.host}\u0000${c.clientMode}\u0000${c.subset ?? ""}\u0000${c.port ?? ""}`)) {
      changes.push({ scope: `workload ${c.workload}`, weakening: false, conflict: c });
    }
  }
  return changes;
}
