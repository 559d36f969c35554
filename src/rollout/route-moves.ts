import { diffValues } from "../diff/diff-values.ts";
import { type FieldPath, formatFieldPath } from "../mesh/field-path.ts";
import { isObject, type JsonObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";
import { destinationShares } from "../simulation/weighted-shares.ts";

export type RouteProtocol = "http" | "tcp" | "tls";

/** One route (a rule's list of weighted destinations) whose split changes between base and head. */
export interface RouteMove {
  readonly protocol: RouteProtocol;
  /** The rule's index in the head. */
  readonly rule: number;
  /** The head's route list: `spec.http[1].route`, `spec.rules[0].backendRefs`. */
  readonly field: FieldPath;
  /** The rule's `name`, when it has one. */
  readonly name?: string;
  /** The base's destinations in base order, then those the head adds, in head order. */
  readonly destinations: readonly string[];
  /** Each destination's exact share in percent, before and after; 0 where a side does not route to it. */
  readonly from: readonly number[];
  readonly to: readonly number[];
  /** Where each destination sits in the head's route list; undefined for one the head removes. */
  readonly headIndex: readonly (number | undefined)[];
  /** Why the move cannot be stepped (the route's shape changed); absent when it can. */
  readonly unsteppable?: string;
}

export interface RouteChanges {
  readonly moves: readonly RouteMove[];
  /** Route lists and rules whose shape changed: merging applies them at once. */
  readonly reshaped: readonly { readonly field: FieldPath; readonly reason: string }[];
}

/** How one kind of route list is read: where it is, how its rules match, how destinations are named. */
interface ListKind {
  readonly protocol: RouteProtocol;
  readonly list: string;
  readonly route: string;
  readonly match: string;
  /** Istio's weights default to 0 (a lone destination gets all), Gateway API's to 1. */
  readonly defaultWeight: number;
  readonly key: (destination: JsonObject, namespace: string) => string;
  readonly action: (rule: JsonObject) => string;
}

const VS_LISTS: readonly ListKind[] = (["http", "tcp", "tls"] as const).map((protocol) => ({
  protocol,
  list: protocol,
  route: "route",
  match: "match",
  defaultWeight: 0,
  key: istioDestination,
  action: protocol === "http" ? httpAction : () => "route",
}));

const GATEWAY_LISTS: readonly ListKind[] = [{ protocol: "http", list: "rules", route: "backendRefs", match: "matches", defaultWeight: 1, key: backendRef, action: gatewayAction }];

/** The route lists of each kind whose weights meshgate plans (Gateway API's GRPCRoute shares HTTPRoute's rule shape). */
const LISTS: Readonly<Record<string, readonly ListKind[]>> = {
  "VirtualService.networking.istio.io": VS_LISTS,
  "HTTPRoute.gateway.networking.k8s.io": GATEWAY_LISTS,
  "GRPCRoute.gateway.networking.k8s.io": GATEWAY_LISTS,
};

/** Whether meshgate reads weighted routes in this kind (`Kind.group`). */
export function hasRoutes(key: string): boolean {
  return key in LISTS;
}

/**
 * How a change moves the traffic of each route, planned route by route: every HTTP, TLS and TCP rule of a
 * VirtualService, and every rule of an HTTPRoute/GRPCRoute, on its own. A destination only one side has
 * is at 0 on the other, so a new canary is a move from 0 and a dropped version a move to 0. Only a real
 * change of shape cannot be stepped: rules added, removed or reordered, a rule's matches changed, a
 * rule that stops or starts routing (redirect, direct response, delegate), or a route that sends its
 * traffic nowhere on one side (an outage is fixed or made at once, not in steps).
 */
export function routeMoves(base: Resource, head: Resource): RouteChanges {
  const moves: RouteMove[] = [];
  const reshaped: { field: FieldPath; reason: string }[] = [];
  for (const kind of LISTS[head.key] ?? []) {
    const b = readArray(base.spec[kind.list]);
    const h = readArray(head.spec[kind.list]);
    const paired = pairRules(b, h);
    const reason = paired.reason === undefined ? undefined : `${paired.reason} in ${formatFieldPath(["spec", kind.list])}`;
    if (reason) reshaped.push({ field: ["spec", kind.list], reason });
    for (const [bi, hi] of paired.pairs) {
      const br = b[bi];
      const hr = h[hi];
      if (!isObject(br) || !isObject(hr)) continue;
      const field: FieldPath = ["spec", kind.list, hi];
      const shape = reason ? undefined : ruleShapeChange(kind, br, hr, formatFieldPath(field));
      if (shape) reshaped.push({ field, reason: shape });
      const move = destinationMove(kind, br, hr, base.namespace, head.namespace);
      if (!move) continue;
      const nowhere = reason || shape ? undefined : nowhereChange(move, formatFieldPath(field));
      if (nowhere) reshaped.push({ field, reason: nowhere });
      const why = reason ?? shape ?? nowhere;
      const name = readString(hr.name);
      moves.push({ protocol: kind.protocol, rule: hi, field: [...field, kind.route], ...(name !== undefined ? { name } : {}), ...move, ...(why ? { unsteppable: why } : {}) });
    }
  }
  return { moves, reshaped };
}

/**
 * Which base rule each head rule continues. Rules that all carry unique names are matched by name;
 * otherwise, lists of equal length by position (order is meaning: first match wins), and lists whose
 * length changed by name where both have one, else by identical matches. Any change to the sequence of
 * rules is a change of shape for the whole list.
 */
function pairRules(base: readonly JsonValue[], head: readonly JsonValue[]): { pairs: [number, number][]; reason?: string } {
  const bNames = base.map(ruleName);
  const hNames = head.map(ruleName);
  if (uniquelyNamed(bNames) && uniquelyNamed(hNames)) {
    const pairs = hNames.flatMap((n, hi): [number, number][] => (bNames.includes(n) ? [[bNames.indexOf(n), hi]] : []));
    if (bNames.join("\u0000") === hNames.join("\u0000")) return { pairs };
    return { pairs, reason: pairs.length === base.length && pairs.length === head.length ? "rules were reordered" : "rules were added or removed" };
  }
  if (base.length === head.length) return { pairs: head.map((_, i) => [i, i]) };
  const used = new Set<number>();
  const pairs: [number, number][] = [];
  head.forEach((rule, hi) => {
    const bi = base.findIndex((b, i) => !used.has(i) && (hNames[hi] !== undefined ? bNames[i] === hNames[hi] : sameMatches(b, rule)));
    if (bi < 0) return;
    used.add(bi);
    pairs.push([bi, hi]);
  });
  return { pairs, reason: "rules were added or removed" };
}

function ruleName(rule: JsonValue): string | undefined {
  return isObject(rule) ? readString(rule.name) : undefined;
}

function uniquelyNamed(names: readonly (string | undefined)[]): names is string[] {
  return names.length > 0 && names.every((n) => n !== undefined) && new Set(names).size === names.length;
}

function sameMatches(a: JsonValue, b: JsonValue): boolean {
  const m = (r: JsonValue) => (isObject(r) ? (r.match ?? r.matches) : undefined);
  return diffValues(m(a), m(b)).length === 0;
}

function ruleShapeChange(kind: ListKind, base: JsonObject, head: JsonObject, where: string): string | undefined {
  const from = kind.action(base);
  const to = kind.action(head);
  if (from !== to) return `${where} changed from a ${from} to a ${to}`;
  if (diffValues(base[kind.match], head[kind.match]).length > 0) return `the matches of ${where} changed`;
  return undefined;
}

/** A route that sends everything nowhere on one side is an outage made or fixed: not something to step into. */
function nowhereChange(move: { from: readonly number[]; to: readonly number[] }, where: string): string | undefined {
  const total = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);
  if (total(move.from) === 0) return `${where} sent its traffic nowhere before the change`;
  if (total(move.to) === 0) return `${where} sends its traffic nowhere after the change`;
  return undefined;
}

type Move = Pick<RouteMove, "destinations" | "from" | "to" | "headIndex">;

/** The rule's destinations on both sides with their exact shares, or undefined when no share changes. */
function destinationMove(kind: ListKind, base: JsonObject, head: JsonObject, baseNs: string, headNs: string): Move | undefined {
  const before = sharesByDestination(kind, readArray(base[kind.route]), baseNs);
  const after = sharesByDestination(kind, readArray(head[kind.route]), headNs);
  if (before.size === 0 && after.size === 0) return undefined;
  const destinations = [...before.keys(), ...[...after.keys()].filter((k) => !before.has(k))];
  const from = destinations.map((d) => before.get(d)?.share ?? 0);
  const to = destinations.map((d) => after.get(d)?.share ?? 0);
  if (from.every((f, i) => Math.abs(f - (to[i] ?? 0)) < 1e-9)) return undefined;
  return { destinations, from, to, headIndex: destinations.map((d) => after.get(d)?.index) };
}

/** Each destination's share of the rule (Istio/Gateway API weight semantics); a destination listed twice adds up. */
function sharesByDestination(kind: ListKind, route: readonly JsonValue[], namespace: string): Map<string, { share: number; index: number }> {
  const shares = destinationShares(
    route.map((d) => (isObject(d) && typeof d.weight === "number" ? d.weight : undefined)),
    kind.defaultWeight,
  );
  const out = new Map<string, { share: number; index: number }>();
  route.forEach((d, i) => {
    if (!isObject(d)) return;
    const key = kind.key(d, namespace);
    const seen = out.get(key);
    out.set(key, { share: (seen?.share ?? 0) + (shares[i] ?? 0), index: seen?.index ?? i });
  });
  return out;
}

/** `host:subset:port`, as the existing plan names Istio destinations (`reviews:v2`). */
function istioDestination(d: JsonObject): string {
  const dest = isObject(d.destination) ? d.destination : {};
  const port = isObject(dest.port) ? dest.port.number : undefined;
  return `${String(dest.host ?? "")}${dest.subset !== undefined ? `:${String(dest.subset)}` : ""}${port !== undefined ? `:${String(port)}` : ""}`;
}

/** A backendRef by what it points at: `[Kind ]` (when not a Service) `[ns/]name[:port]`. */
function backendRef(ref: JsonObject, namespace: string): string {
  const kind = readString(ref.kind) ?? "Service";
  const ns = readString(ref.namespace);
  return `${kind === "Service" ? "" : `${kind} `}${ns !== undefined && ns !== namespace ? `${ns}/` : ""}${String(ref.name ?? "")}${typeof ref.port === "number" ? `:${ref.port}` : ""}`;
}

function httpAction(rule: JsonObject): string {
  if (rule.delegate !== undefined) return "delegate";
  if (rule.redirect !== undefined) return "redirect";
  if (rule.directResponse !== undefined) return "direct response";
  return "route";
}

function gatewayAction(rule: JsonObject): string {
  return readArray(rule.filters).some((f) => isObject(f) && f.type === "RequestRedirect") ? "redirect" : "route";
}
