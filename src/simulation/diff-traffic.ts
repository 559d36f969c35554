import type { HostTraffic, RequestClass, TrafficShare } from "./simulate-traffic.ts";

/** One request class of one host binding, before → after. */
export interface TrafficChange {
  readonly host: string;
  readonly gateway: string;
  readonly protocol: HostTraffic["protocol"];
  readonly match: string;
  readonly before?: RequestClass;
  readonly after?: RequestClass;
  /** Requests of this class reached a destination before and now reach none, or a missing host/subset. */
  readonly outage: boolean;
}

function keyOf(t: HostTraffic): string {
  return `${t.protocol}\u0000${t.host}\u0000${t.gateway}`;
}

function works(c: RequestClass | undefined): boolean {
  if (!c || c.unreachable) return false;
  if (c.action === "redirect" || c.action === "direct-response") return true;
  return c.action === "route" && c.shares.some((s) => s.problem === undefined && s.percent > 0);
}

function sameShares(a: readonly TrafficShare[], b: readonly TrafficShare[]): boolean {
  return a.length === b.length && a.every((s, i) => {
    const t = b[i];
    return t !== undefined && s.host === t.host && s.subset === t.subset && s.port === t.port && Math.abs(s.percent - t.percent) < 1e-9 && s.problem === t.problem;
  });
}

function sameClass(a: RequestClass, b: RequestClass): boolean {
  return a.action === b.action && a.unreachable === b.unreachable && sameShares(a.shares, b.shares) && sameShares(a.mirrors, b.mirrors);
}

/**
 * The classes whose routing differs between base and head, matched by host binding and by match
 * condition (so a reordered rule is one change, not two). Classes that stop working are outages.
 */
export function diffTraffic(base: readonly HostTraffic[], head: readonly HostTraffic[]): TrafficChange[] {
  const before = new Map(base.map((t) => [keyOf(t), t]));
  const after = new Map(head.map((t) => [keyOf(t), t]));
  const changes: TrafficChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    const ref = (a ?? b) as HostTraffic;
    const bClasses = new Map((b?.classes ?? []).map((c) => [c.match, c]));
    const aClasses = new Map((a?.classes ?? []).map((c) => [c.match, c]));
    for (const match of new Set([...bClasses.keys(), ...aClasses.keys()])) {
      const bc = bClasses.get(match);
      const ac = aClasses.get(match);
      if (bc && ac && sameClass(bc, ac)) continue;
      changes.push({
        host: ref.host,
        gateway: ref.gateway,
        protocol: ref.protocol,
        match,
        ...(bc ? { before: bc } : {}),
        ...(ac ? { after: ac } : {}),
        outage: works(bc) && !works(ac) || (ac !== undefined && !ac.unreachable && ac.shares.some((s) => s.problem !== undefined && s.percent > 0)),
      });
    }
  }
  return changes;
}
