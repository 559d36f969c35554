import type { ResourceRef } from "../mesh/resource.ts";
import { type ChannelOutcome, describeClients, formatPorts, type MtlsChannel } from "./mtls-channels.ts";
import { OTHER_NAMESPACES } from "./mtls-destination-rules.ts";

/** Connections from some clients to one workload port and cluster that changed, before → after. */
export interface ChannelChange {
  /** Readable: `clients in shop → shop/db port 8080: mTLS → plaintext`. */
  readonly scope: string;
  readonly clients: readonly string[];
  /** With `*` among `clients`: the scopes whose connections did not change this way. */
  readonly unaffectedClients?: readonly string[];
  readonly host: string;
  readonly workload: string;
  readonly port?: number;
  readonly targetPort?: number;
  readonly subset?: string;
  readonly before: ChannelOutcome;
  readonly after: ChannelOutcome;
  /** Less protection than before: mTLS → TLS without Istio identity → plaintext. */
  readonly weakening: boolean;
  /** The DestinationRule the clients apply after the change, if any. */
  readonly rule?: ResourceRef;
}

const PROTECTION: Readonly<Record<ChannelOutcome, number>> = { mTLS: 2, TLS: 1, plaintext: 0, fails: -1 };

/**
 * Pairings whose outcome changed for a client-side reason (a DestinationRule's `tls`, which rule applies,
 * auto mTLS), per client scope. A scope one side does not list resolves as that side's namespace scope,
 * else as `*`. Changes the server's own mode explains are left to the mode lines, and changes to or from
 * a failure to the conflict lines, so nothing is said twice.
 */
export function diffChannels(base: readonly MtlsChannel[], head: readonly MtlsChannel[]): ChannelChange[] {
  const before = byPairing(base);
  const out: ChannelChange[] = [];
  for (const [key, after] of byPairing(head)) {
    const was = before.get(key);
    if (!was) continue;
    const scopes = [...new Set([...was.keys(), ...after.keys()])];
    const groups = new Map<string, { b: MtlsChannel; a: MtlsChannel; clients: string[] }>();
    for (const scope of scopes) {
      const b = resolve(was, scope);
      const a = resolve(after, scope);
      if (!b || !a || b.outcome === a.outcome || b.outcome === "fails" || a.outcome === "fails" || b.serverMode !== a.serverMode) continue;
      const id = `${b.outcome}\u0000${a.outcome}\u0000${a.rule ? `${a.rule.namespace}/${a.rule.name}` : ""}`;
      const group = groups.get(id);
      if (group) group.clients.push(scope);
      else groups.set(id, { b, a, clients: [scope] });
    }
    for (const { b, a, clients } of groups.values()) {
      const unaffected = clients.includes(OTHER_NAMESPACES) ? scopes.filter((s) => !clients.includes(s)) : [];
      const where = `${a.workload}${a.port !== undefined ? ` ${formatPorts([a])}` : ""}${a.subset !== undefined ? ` (subset ${a.subset})` : ""}`;
      out.push({
        scope: `${describeClients(clients, unaffected)} → ${where}: ${b.outcome} → ${a.outcome}`,
        clients,
        ...(unaffected.length > 0 ? { unaffectedClients: unaffected } : {}),
        host: a.host,
        workload: a.workload,
        ...(a.port !== undefined ? { port: a.port } : {}),
        ...(a.targetPort !== undefined ? { targetPort: a.targetPort } : {}),
        ...(a.subset !== undefined ? { subset: a.subset } : {}),
        before: b.outcome,
        after: a.outcome,
        weakening: PROTECTION[a.outcome] < PROTECTION[b.outcome],
        ...(a.rule ? { rule: a.rule } : {}),
      });
    }
  }
  return out;
}

/** Pairing (workload, host, port, cluster) → client scope → channel. */
function byPairing(channels: readonly MtlsChannel[]): Map<string, Map<string, MtlsChannel>> {
  const out = new Map<string, Map<string, MtlsChannel>>();
  for (const c of channels) {
    const key = [c.workload, c.host, c.port ?? "", c.targetPort ?? "", c.subset ?? ""].join("\u0000");
    let scopes = out.get(key);
    if (!scopes) out.set(key, (scopes = new Map()));
    for (const client of c.clients) scopes.set(client, c);
  }
  return out;
}

function resolve(scopes: ReadonlyMap<string, MtlsChannel>, scope: string): MtlsChannel | undefined {
  return scopes.get(scope) ?? scopes.get(scope.split("|")[0] ?? scope) ?? scopes.get(OTHER_NAMESPACES);
}
