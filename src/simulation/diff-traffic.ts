import { formatOrigin } from "../mesh/resource.ts";
import type { HostTraffic, RequestClass, TrafficShare } from "./simulate-traffic.ts";
import { traceRequests } from "./trace-requests.ts";

/**
 * Some requests of one host binding, before → after. `before` and `after` are the live rules that take
 * them in each version (absent: no rule matches them). When a rule was removed, added or shadowed,
 * `match` names the requests and the rule on the other side may have another match: `note` says so.
 */
export interface TrafficChange {
  readonly host: string;
  readonly gateway: string;
  readonly protocol: HostTraffic["protocol"];
  readonly match: string;
  readonly before?: RequestClass;
  readonly after?: RequestClass;
  /** Requests of this class reached a destination before and now reach none, or a missing host/subset. */
  readonly outage: boolean;
  /** Which rule takes these requests when it is not the one `match` names, in words. */
  readonly note?: string;
}

function works(c: RequestClass | undefined): boolean {
  if (!c) return false;
  if (c.action === "redirect" || c.action === "direct-response") return true;
  return c.action === "route" && c.shares.some((s) => s.problem === undefined && s.percent > 0);
}

function brokenShare(c: RequestClass | undefined): boolean {
  return c !== undefined && c.shares.some((s) => s.problem !== undefined && s.percent > 0);
}

function sameShares(a: readonly TrafficShare[], b: readonly TrafficShare[]): boolean {
  return (
    a.length === b.length &&
    a.every((s, i) => {
      const t = b[i];
      return t !== undefined && s.host === t.host && s.subset === t.subset && s.port === t.port && Math.abs(s.percent - t.percent) < 1e-9 && s.problem === t.problem;
    })
  );
}

/** The same outcome for a request: action, split and mirrors (a mirror alone is a traffic change). */
function sameOutcome(a: RequestClass | undefined, b: RequestClass | undefined): boolean {
  if (!a || !b) return a === b;
  return a.action === b.action && sameShares(a.shares, b.shares) && sameShares(a.mirrors ?? [], b.mirrors ?? []);
}

/** The same live rules in the same order route every request alike: nothing to trace. */
function sameRules(a: readonly RequestClass[], b: readonly RequestClass[]): boolean {
  return a.length === b.length && a.every((c, i) => c.match === b[i]?.match && sameOutcome(c, b[i]));
}

/** The live rules of a binding; a `mesh` binding without VirtualService has the service's default route. */
function liveRules(t: HostTraffic | undefined, fallback: RequestClass | undefined): RequestClass[] {
  if (t) return t.classes.filter((c) => !c.unreachable);
  return fallback ? [fallback] : [];
}

interface Cell {
  readonly text: string;
  readonly before: RequestClass | undefined;
  readonly after: RequestClass | undefined;
  readonly whole: boolean;
}

/**
 * The requests whose routing differs between base and head. Every live rule of each version is traced
 * through the other version's live rules (trace-requests), so each part of the request space is paired
 * with the rule taking it before and the one taking it after: a changed split, a removed rule whose
 * requests now fall to a later one, a rule now shadowed, a new rule taking requests from another.
 * Requests that worked before and now match nothing or reach a missing host or subset are outages.
 */
export function diffTraffic(base: readonly HostTraffic[], head: readonly HostTraffic[]): TrafficChange[] {
  const before = new Map(base.map((t) => [t.key, t]));
  const after = new Map(head.map((t) => [t.key, t]));
  const changes: TrafficChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    const ref = (a ?? b) as HostTraffic;
    const fallback = a?.fallback ?? b?.fallback;
    const bRules = liveRules(b, fallback);
    const aRules = liveRules(a, fallback);
    if (sameRules(bRules, aRules)) continue;
    for (const cell of pairRules(bRules, aRules)) {
      if (sameOutcome(cell.before, cell.after)) continue;
      const note = describeTakers(cell, b, a);
      changes.push({
        host: ref.host,
        gateway: ref.gateway,
        protocol: ref.protocol,
        match: cell.text,
        ...(cell.before ? { before: cell.before } : {}),
        ...(cell.after ? { after: cell.after } : {}),
        outage: (works(cell.before) && !works(cell.after)) || brokenShare(cell.after),
        ...(note ? { note } : {}),
      });
    }
  }
  return changes;
}

/** Each (rule before, rule after) pair once, named by the narrower trace when both versions find it. */
function pairRules(bRules: readonly RequestClass[], aRules: readonly RequestClass[]): Cell[] {
  const cells = new Map<string, Cell>();
  const add = (cell: Cell): void => {
    const id = `${cell.before ? bRules.indexOf(cell.before) : -1}|${cell.after ? aRules.indexOf(cell.after) : -1}`;
    const known = cells.get(id);
    if (!known || (!known.whole && cell.whole)) cells.set(id, cell);
  };
  const earlier = (rules: readonly RequestClass[], i: number) => rules.slice(0, i).flatMap((c) => c.conditions);
  bRules.forEach((cls, i) => {
    for (const t of traceRequests(cls, earlier(bRules, i), aRules)) add({ text: t.text, before: cls, after: t.target, whole: t.whole });
  });
  aRules.forEach((cls, i) => {
    for (const t of traceRequests(cls, earlier(aRules, i), bRules)) add({ text: t.text, before: t.target, after: cls, whole: t.whole });
  });
  return [...cells.values()];
}

function describeRule(c: RequestClass): string {
  return `rule ${c.rule + 1} of ${formatOrigin(c.source)} (${c.match})`;
}

/** Says which rule takes the requests on a side where it is not the rule `match` comes from. */
function describeTakers(cell: Cell, b: HostTraffic | undefined, a: HostTraffic | undefined): string | undefined {
  const parts: string[] = [];
  const side = (past: boolean, taker: RequestClass | undefined, t: HostTraffic | undefined): void => {
    const label = past ? "before:" : "now:";
    if (!taker) {
      parts.push(`${label} no rule ${past ? "matched" : "matches"} them`);
      return;
    }
    if (taker.rule < 0) {
      parts.push(`${label} no VirtualService ${past ? "routed" : "routes"} the host; the service itself ${past ? "took" : "takes"} them`);
      return;
    }
    if (taker.match === cell.text) return;
    const shadowed = t?.classes.some((c) => c.unreachable && c.match === cell.text);
    parts.push(`${label} ${shadowed ? `their rule ${past ? "was" : "is"} shadowed by` : "taken by"} ${describeRule(taker)}`);
  };
  side(true, cell.before, b);
  side(false, cell.after, a);
  return parts.length > 0 ? parts.join("; ") : undefined;
}
