import type { ConfigSet } from "../mesh/config-set.ts";
import { isObject, type JsonValue, readStringMap } from "../mesh/json.ts";
import { type Resource, type ResourceRef, refOf } from "../mesh/resource.ts";
import { indexNamespaces, listWorkloads, selectorMatches, type Workload, workloadInMesh } from "../mesh/workloads.ts";
import { type ConflictCause, type FieldAt, type MtlsChannel, type MtlsServer, simulateChannels } from "./mtls-channels.ts";
import { type ChannelChange, diffChannels } from "./mtls-diff-channels.ts";

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

/**
 * A client/server pairing that breaks traffic (semantics.md §b table), at the field that decides it: the
 * DestinationRule `tls` clients apply, or, when no `tls` applies and auto mTLS does not either, the
 * PeerAuthentication that makes the port STRICT.
 */
export interface MtlsConflict {
  readonly rule: ResourceRef;
  readonly file: string;
  readonly line: number;
  readonly host: string;
  /** Set when the deciding `tls` is a subset's. */
  readonly subset?: string;
  /** The Service port (what DR `portLevelSettings` name); absent: the Service lists no ports. */
  readonly port?: number;
  /** The workload port it forwards to (what PA `portLevelMtls` names). */
  readonly targetPort?: number;
  /** The DR's `tls.mode`, or `none` when no TLS setting applies. */
  readonly clientMode: string;
  readonly serverMode: MtlsMode | "no sidecar";
  readonly workload: string;
  readonly cause: ConflictCause;
  /** The client scopes affected: namespaces, `ns|k=v` for a DR's workloadSelector, `*` for every other namespace. */
  readonly clients: readonly string[];
  /** With `*` among `clients`: the scopes that fare otherwise (their own DestinationRule). */
  readonly unaffectedClients?: readonly string[];
  readonly message: string;
}

export interface MtlsView {
  readonly mesh: MtlsMode;
  /** Every namespace with workloads, a Namespace object or a namespace-wide policy: its own mode, else the mesh's. */
  readonly namespaces: Readonly<Record<string, MtlsMode>>;
  readonly workloads: readonly WorkloadMtls[];
  readonly conflicts: readonly MtlsConflict[];
  /** Every client scope → workload port → cluster pairing judged (see `simulateChannels`). */
  readonly channels: readonly MtlsChannel[];
  /** MeshConfig `enableAutoMtls`, true unless set to false. */
  readonly autoMtls: boolean;
}

const PA = "PeerAuthentication.security.istio.io";

function modeOf(value: JsonValue | undefined): MtlsMode | undefined {
  const m = isObject(value) ? value.mode : undefined;
  return m === "STRICT" || m === "PERMISSIVE" || m === "DISABLE" ? m : undefined; // UNSET or absent: inherit
}

function hasSelector(pa: Resource): boolean {
  return isObject(pa.spec.selector) && Object.keys(readStringMap(pa.spec.selector.matchLabels)).length > 0;
}

/**
 * Effective mTLS per namespace, workload and port (Istio's `ComposePeerAuthentication`: PERMISSIVE,
 * then mesh → namespace → workload, UNSET inherits; port-level only from the workload policy), and how
 * every client pairing fares against it (DestinationRule `tls`, auto mTLS; see `simulateChannels`). Git
 * has no creation timestamps, so "the oldest policy wins" becomes "the first in the set wins" — the
 * order the repo lists them.
 */
export function simulateMtls(set: ConfigSet): MtlsView {
  const root = set.meshConfig.rootNamespace;
  const pas = set.ofKind(PA);
  const meshPa = pas.find((p) => p.namespace === root && !hasSelector(p));
  const mesh = modeOf(meshPa?.spec.mtls) ?? "PERMISSIVE";
  const nsPas = new Map<string, Resource>();
  for (const p of pas) if (p.namespace !== root && !hasSelector(p) && !nsPas.has(p.namespace)) nsPas.set(p.namespace, p);
  const nsIndex = indexNamespaces(set);
  const servers = listWorkloads(set)
    .filter((w) => !w.resource.synthetic)
    .map((w) => composeWorkload(w, pas, root, mesh, meshPa, nsPas.get(w.namespace), workloadInMesh(w, nsIndex)));
  // A namespace without its own policy still has a mode (the mesh's): listing it lets a mesh-wide change
  // show per namespace.
  const namespaces: Record<string, MtlsMode> = {};
  for (const ns of [...servers.map((s) => s.view.namespace), ...nsIndex.keys(), ...nsPas.keys()]) {
    if (!(ns in namespaces)) namespaces[ns] = modeOf(nsPas.get(ns)?.spec.mtls) ?? mesh;
  }
  const autoMtls = set.meshConfig.raw.enableAutoMtls !== false;
  const { channels, conflicts } = simulateChannels(set, servers, { autoMtls, namespaceMode: (ns) => namespaces[ns] ?? mesh });
  return { mesh, namespaces, workloads: servers.map((s) => s.view), conflicts, channels, autoMtls };
}

function composeWorkload(w: Workload, pas: readonly Resource[], root: string, mesh: MtlsMode, meshPa: Resource | undefined, nsPa: Resource | undefined, inMesh: boolean): MtlsServer {
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
  const portLevel = workloadPa && isObject(workloadPa.spec.portLevelMtls) ? workloadPa.spec.portLevelMtls : {};
  for (const [port, value] of Object.entries(portLevel)) ports[port] = modeOf(value) ?? mode;
  const view: WorkloadMtls = { namespace: w.namespace, workload: w.name, mode, ports, decidedBy: decidedBy ? refOf(decidedBy) : null, inMesh };
  const decider = (targetPort: number | undefined): FieldAt | undefined => {
    // portLevelMtls keys are workload (container) ports, as the API documents.
    const key = targetPort === undefined ? undefined : Object.keys(portLevel).find((k) => Number(k) === targetPort);
    if (workloadPa && key !== undefined && modeOf(portLevel[key])) return { owner: workloadPa, path: ["spec", "portLevelMtls", key, "mode"] };
    return decidedBy ? { owner: decidedBy, path: ["spec", "mtls", "mode"] } : undefined;
  };
  return { namespace: w.namespace, view, workload: w, decider };
}

const STRENGTH: Readonly<Record<MtlsMode, number>> = { STRICT: 2, PERMISSIVE: 1, DISABLE: 0 };

/** A place where mTLS got weaker, or a conflict the change introduces. */
export interface MtlsChange {
  readonly scope: string;
  readonly before?: MtlsMode;
  readonly after?: MtlsMode;
  readonly weakening: boolean;
  readonly conflict?: MtlsConflict;
  /** What `scope` names, for renderers that group: the mesh, a namespace, a workload, one of its ports, or clients. */
  readonly level?: "mesh" | "namespace" | "workload" | "port" | "clients";
  readonly namespace?: string;
  readonly workload?: string;
  /** A PeerAuthentication port key (a workload port). */
  readonly port?: string;
  /** For `clients`: how connections from those clients changed while the server's mode did not. */
  readonly channel?: ChannelChange;
}

/**
 * Before → after per mesh, namespace, workload and port (a namespace with no policy of its own follows
 * the mesh, so a mesh-wide change shows per namespace too); weakenings flagged; then client pairings
 * whose connections changed for a client-side reason; then conflicts the head has and the base had not.
 */
export function diffMtls(base: MtlsView, head: MtlsView): MtlsChange[] {
  const changes: MtlsChange[] = [];
  const push = (scope: string, before: MtlsMode | undefined, after: MtlsMode | undefined, where: Pick<MtlsChange, "level" | "namespace" | "workload" | "port">) => {
    if (before === after) return;
    changes.push({ scope, ...(before ? { before } : {}), ...(after ? { after } : {}), weakening: before !== undefined && after !== undefined && STRENGTH[after] < STRENGTH[before], ...where });
  };
  push("mesh", base.mesh, head.mesh, { level: "mesh" });
  for (const ns of new Set([...Object.keys(base.namespaces), ...Object.keys(head.namespaces)])) {
    push(`namespace ${ns}`, base.namespaces[ns] ?? base.mesh, head.namespaces[ns] ?? head.mesh, { level: "namespace", namespace: ns });
  }
  const before = new Map(base.workloads.map((w) => [`${w.namespace}/${w.workload}`, w]));
  for (const w of head.workloads) {
    const b = before.get(`${w.namespace}/${w.workload}`);
    if (!b) continue;
    const where = { namespace: w.namespace, workload: w.workload };
    push(`workload ${w.namespace}/${w.workload}`, b.mode, w.mode, { level: "workload", ...where });
    for (const port of new Set([...Object.keys(b.ports), ...Object.keys(w.ports)])) {
      push(`workload ${w.namespace}/${w.workload} port ${port}`, b.ports[port] ?? b.mode, w.ports[port] ?? w.mode, { level: "port", ...where, port });
    }
  }
  for (const channel of diffChannels(base.channels, head.channels)) {
    changes.push({ scope: channel.scope, weakening: channel.weakening, level: "clients", channel });
  }
  const identity = (c: MtlsConflict) => [c.rule.kind, c.rule.namespace, c.rule.name, c.workload, c.host, c.clientMode, c.subset ?? "", c.port ?? "", c.targetPort ?? "", c.cause].join("\u0000");
  const known = new Set(base.conflicts.map(identity));
  for (const c of head.conflicts) {
    if (!known.has(identity(c))) changes.push({ scope: `workload ${c.workload}`, weakening: false, conflict: c });
  }
  return changes;
}
