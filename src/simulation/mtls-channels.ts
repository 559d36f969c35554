import type { ConfigSet } from "../mesh/config-set.ts";
import type { FieldPath } from "../mesh/field-path.ts";
import { toFqdn } from "../mesh/hosts.ts";
import { readArray, isObject, readStringMap } from "../mesh/json.ts";
import { refOf, type Resource, type ResourceRef } from "../mesh/resource.ts";
import { endpointLabels, groupByNamespace, indexByLabels, type LabelIndex, selectorMatches, type Workload } from "../mesh/workloads.ts";
import { clientTls, type ClientTls } from "./mtls-client-tls.ts";
import { type AppliedRule, type DestinationRuleIndex, indexDestinationRules, OTHER_NAMESPACES, scopeKey, type SubsetAt } from "./mtls-destination-rules.ts";
import { type PortPair, servicePortPairs } from "./mtls-service-ports.ts";
import type { MtlsConflict, MtlsMode, WorkloadMtls } from "./simulate-mtls.ts";

/** A field that decides something, to point a reader at. */
export interface FieldAt {
  readonly owner: Resource;
  readonly path: FieldPath;
}

/** A server workload with the PeerAuthentication fields behind its modes. */
export interface MtlsServer {
  readonly namespace: string;
  readonly view: WorkloadMtls;
  readonly workload: Workload;
  /** The field that sets the mode of a workload (target) port; undefined port: the workload-level mode. */
  readonly decider: (targetPort: number | undefined) => FieldAt | undefined;
}

export interface ChannelContext {
  /** MeshConfig `enableAutoMtls` (Istio's default: true). */
  readonly autoMtls: boolean;
  /** The namespace's own mode, else the mesh's (`GetNamespaceMutualTLSMode`, PERMISSIVE when unknown). */
  readonly namespaceMode: (namespace: string) => MtlsMode;
}

export type ChannelOutcome = "mTLS" | "TLS" | "plaintext" | "fails";
export type ServerMode = MtlsMode | "no sidecar";

/**
 * What connections from a group of clients to one workload, through one Service port and cluster
 * (the Service, or one DestinationRule subset), look like.
 */
export interface MtlsChannel {
  /** Client scopes (see `ClientScope`): a namespace, `ns|k=v` for a DR's workloadSelector, `*` for the rest. */
  readonly clients: readonly string[];
  readonly host: string;
  readonly workload: string;
  readonly port?: number;
  readonly targetPort?: number;
  readonly subset?: string;
  readonly serverMode: ServerMode;
  /** The DR's `tls.mode` for this cluster, `auto` (auto mTLS) or `none` (no TLS setting, no auto mTLS). */
  readonly clientMode: string;
  readonly outcome: ChannelOutcome;
  /** The DestinationRule the clients apply, if any. */
  readonly rule?: ResourceRef;
}

export type ConflictCause = "destination-rule" | "auto-mtls-off" | "namespace-disable" | "headless";

/**
 * Every client/server pairing of the set, per client scope, Service port (mapped to the workload port)
 * and cluster, judged as semantics.md §b's table says: a DR `tls` is used as written (ISTIO_MUTUAL needs a
 * sidecar that is not DISABLE; DISABLE, SIMPLE and MUTUAL fail against STRICT); with no `tls`, auto mTLS
 * sends Istio mTLS to sidecars whose port is not DISABLE and plaintext otherwise, unless it is off in
 * MeshConfig or the Service's inferred mode (`BestEffortInferServiceMTLSMode`: a headless Service with
 * an endpoint without sidecar, else the namespace's mode) is DISABLE, when the client sends plaintext.
 * Only Services of the set with a selector are judged: without them nothing says which workloads and
 * ports a host reaches. Conflicts are the failing pairings, one per deciding field, workload and port.
 */
export function simulateChannels(set: ConfigSet, servers: readonly MtlsServer[], ctx: ChannelContext): { channels: MtlsChannel[]; conflicts: MtlsConflict[] } {
  const index = indexDestinationRules(set);
  const byNamespace = new Map<string, LabelIndex<MtlsServer>>();
  for (const [ns, list] of groupByNamespace(servers)) byNamespace.set(ns, indexByLabels(list, (s) => s.workload.labels));
  const channels: MtlsChannel[] = [];
  const conflicts = new Map<string, PendingConflict>();
  for (const service of set.ofKind("Service")) {
    if (service.synthetic) continue;
    const selector = readStringMap(service.spec.selector);
    if (Object.keys(selector).length === 0) continue;
    const backends = byNamespace.get(service.namespace)?.matching(selector) ?? [];
    if (backends.length === 0) continue;
    const fqdn = toFqdn(service.name, service.namespace);
    const { auto, cause } = autoMtlsFor(service, backends, ctx);
    const groups = groupScopes(index, fqdn, service.namespace);
    // The scopes this host's lookup tells apart; a conflict names the ones it spares.
    const scopes = groups.flatMap((g) => g.clients);
    for (const { rule, clients } of groups) {
      for (const backend of backends) {
        const labels = endpointLabels(set, backend.workload);
        const clusters: (SubsetAt | undefined)[] = [undefined, ...(rule?.subsets.filter((s) => selectorMatches(s.labels, labels)) ?? [])];
        for (const pair of servicePortPairs(service, backend.workload, namedPorts(rule, backend.view))) {
          const server = serverMode(backend.view, pair.targetPort);
          for (const cluster of clusters) {
            const tls = rule ? clientTls(rule, pair.port, cluster) : {};
            const channel: MtlsChannel = {
              clients,
              host: fqdn,
              workload: `${backend.view.namespace}/${backend.view.workload}`,
              ...portFields(pair),
              ...(cluster ? { subset: cluster.name } : {}),
              serverMode: server,
              clientMode: tls.mode ?? (auto ? "auto" : "none"),
              outcome: judge(tls, server, auto),
              ...(rule?.rules[0] ? { rule: refOf(rule.rules[0]) } : {}),
            };
            channels.push(channel);
            if (channel.outcome !== "fails") continue;
            // A DR's tls decides; without one, the PeerAuthentication that makes the port STRICT does.
            const at = tls.mode !== undefined ? tls.at : backend.decider(pair.targetPort);
            if (at) recordConflict(conflicts, channel, at, tls.mode !== undefined ? "destination-rule" : cause, scopes);
          }
        }
      }
    }
  }
  return { channels, conflicts: [...conflicts.values()].map(finishConflict) };
}

type PendingConflict = Omit<MtlsConflict, "message" | "clients"> & { clients: string[]; scopes: readonly string[] };

/**
 * Whether auto mTLS applies to a Service (MeshConfig on, and its inferred mode is not DISABLE), and what
 * to blame when it does not.
 */
function autoMtlsFor(service: Resource, backends: readonly MtlsServer[], ctx: ChannelContext): { auto: boolean; cause: ConflictCause } {
  const headless = service.spec.clusterIP === "None" && backends.some((b) => !b.view.inMesh);
  if (!ctx.autoMtls) return { auto: false, cause: "auto-mtls-off" };
  if (headless) return { auto: false, cause: "headless" };
  return { auto: ctx.namespaceMode(service.namespace) !== "DISABLE", cause: "namespace-disable" };
}

/** One conflict per deciding field, workload and port; further clusters and scopes only add clients. */
function recordConflict(conflicts: Map<string, PendingConflict>, channel: MtlsChannel, at: FieldAt, cause: ConflictCause, scopes: readonly string[]): void {
  const key = [at.owner.key, at.owner.namespace, at.owner.name, at.path.join("."), channel.workload, channel.port ?? "", channel.targetPort ?? ""].join("\u0000");
  const seen = conflicts.get(key);
  if (seen) {
    for (const c of channel.clients) if (!seen.clients.includes(c)) seen.clients.push(c);
    return;
  }
  const inSubset = cause === "destination-rule" && at.path[1] === "subsets" && channel.subset !== undefined;
  conflicts.set(key, {
    rule: refOf(at.owner),
    file: at.owner.source.file,
    line: at.owner.locate(at.path).line,
    host: channel.host,
    ...(inSubset ? { subset: channel.subset } : {}),
    ...portFields(channel),
    clientMode: cause === "destination-rule" ? channel.clientMode : "none",
    serverMode: channel.serverMode,
    workload: channel.workload,
    cause,
    clients: [...channel.clients],
    scopes,
  });
}

function finishConflict({ scopes, ...c }: PendingConflict): MtlsConflict {
  const unaffected = c.clients.includes(OTHER_NAMESPACES) ? scopes.filter((s) => !c.clients.includes(s)) : [];
  const done = { ...c, ...(unaffected.length > 0 ? { unaffectedClients: unaffected } : {}) };
  return { ...done, message: conflictMessage(done, formatPorts([c])) };
}

/** Client scopes that resolve the host to the same rule (or none), together. */
function groupScopes(index: DestinationRuleIndex, fqdn: string, serviceNamespace: string): { rule?: AppliedRule; clients: string[] }[] {
  const groups = new Map<string, { rule?: AppliedRule; clients: string[] }>();
  for (const scope of index.scopesFor(fqdn, serviceNamespace)) {
    const rule = index.resolve(scope, fqdn, serviceNamespace);
    const id = rule ? rule.rules.map((r) => `${r.namespace}/${r.name}`).join(",") : "";
    const group = groups.get(id);
    if (group) group.clients.push(scopeKey(scope));
    else groups.set(id, { ...(rule ? { rule } : {}), clients: [scopeKey(scope)] });
  }
  return [...groups.values()];
}

/** Ports a DR's port-level settings or the workload's port-level modes name (used when the Service lists none). */
function namedPorts(rule: AppliedRule | undefined, view: WorkloadMtls): number[] {
  const out = Object.keys(view.ports).filter((p) => /^\d+$/.test(p)).map(Number);
  const policies = [rule?.policy?.policy, ...(rule?.subsets.map((s) => s.policy) ?? [])];
  for (const p of policies) {
    for (const pls of readArray(p?.portLevelSettings)) if (isObject(pls) && isObject(pls.port) && typeof pls.port.number === "number") out.push(pls.port.number);
  }
  return out;
}

function serverMode(view: WorkloadMtls, targetPort: number | undefined): ServerMode {
  if (!view.inMesh) return "no sidecar";
  return (targetPort !== undefined ? view.ports[String(targetPort)] : undefined) ?? view.mode;
}

function judge(tls: ClientTls, server: ServerMode, auto: boolean): ChannelOutcome {
  const plaintextServer = server === "DISABLE" || server === "no sidecar";
  if (tls.mode === "ISTIO_MUTUAL") return plaintextServer ? "fails" : "mTLS";
  if (tls.mode !== undefined) return server === "STRICT" ? "fails" : tls.mode === "DISABLE" ? "plaintext" : "TLS";
  if (auto) return plaintextServer ? "plaintext" : "mTLS";
  return server === "STRICT" ? "fails" : "plaintext";
}

function portFields(pair: PortPair): { port?: number; targetPort?: number } {
  return { ...(pair.port !== undefined ? { port: pair.port } : {}), ...(pair.targetPort !== undefined ? { targetPort: pair.targetPort } : {}) };
}

/** `port 8080`, `port 80 (target port 8080)`, `ports 5432, 8080`; "" for the Service's unnamed other ports. */
export function formatPorts(pairs: readonly PortPair[]): string {
  const texts = [...new Set(pairs.filter((p) => p.port !== undefined).map((p) => (p.targetPort !== undefined && p.targetPort !== p.port ? `${p.port} (target port ${p.targetPort})` : `${p.port}`)))];
  if (texts.length === 0) return "";
  return `${texts.length === 1 ? "port" : "ports"} ${texts.join(", ")}`;
}

/**
 * `clients`, `clients in shop, web (app=x)`, or with `*` among them and some scopes faring otherwise,
 * `clients outside shop`.
 */
export function describeClients(clients: readonly string[], unaffected: readonly string[] = []): string {
  const name = (c: string) => c.replace(/\|(.*)$/, " ($1)");
  if (clients.includes(OTHER_NAMESPACES)) return unaffected.length === 0 ? "clients" : `clients outside ${unaffected.map(name).join(", ")}`;
  return `clients in ${clients.map(name).join(", ")}`;
}

/** The sentence for a conflict; `ports` lets a renderer name several ports at once. */
export function conflictMessage(c: Pick<MtlsConflict, "cause" | "clientMode" | "serverMode" | "workload" | "subset" | "clients" | "unaffectedClients">, ports: string): string {
  const who = describeClients(c.clients, c.unaffectedClients);
  const where = `${c.workload}${ports ? ` ${ports}` : ""}${c.subset !== undefined ? ` (subset ${c.subset})` : ""}`;
  const strict = "which requires Istio mTLS (STRICT): connections fail";
  switch (c.cause) {
    case "auto-mtls-off":
      return `${who} send plaintext to ${where} (auto mTLS is off in MeshConfig and no DestinationRule sets ISTIO_MUTUAL), ${strict}`;
    case "namespace-disable":
      return `${who} send plaintext to ${where} (auto mTLS stays off for a Service whose namespace is DISABLE), ${strict}`;
    case "headless":
      return `${who} send plaintext to ${where} (auto mTLS stays off for a headless Service with endpoints outside the mesh), ${strict}`;
    default:
      if (c.clientMode === "ISTIO_MUTUAL") {
        return `${who} send Istio mTLS to ${where}, which ${c.serverMode === "no sidecar" ? "has no sidecar to terminate it" : "only accepts plaintext (DISABLE)"}: connections fail`;
      }
      return `${who} send ${c.clientMode === "DISABLE" ? "plaintext" : `${c.clientMode} TLS with non-Istio certificates`} to ${where}, ${strict}`;
  }
}
