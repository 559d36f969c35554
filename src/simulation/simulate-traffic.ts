import type { ConfigSet } from "../mesh/config-set.ts";
import type { FieldPath } from "../mesh/field-path.ts";
import { MESH_GATEWAY, toFqdn } from "../mesh/hosts.ts";
import { isObject, type JsonObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import { type Resource, type ResourceRef, refOf } from "../mesh/resource.ts";
import { compareCreation } from "./compare-creation.ts";
import { ANY_REQUEST, type MatchBlock, matchBlocksOf } from "./match-block.ts";
import { markShadowed } from "./mark-shadowed.ts";
import { isCatchAll, mergeDelegateBlock } from "./relate-blocks.ts";
import { simulateHttpRoutes } from "./simulate-http-routes.ts";
import { defaultRoute, destinationShare, type TrafficContext, trafficContext, type TrafficShare } from "./traffic-context.ts";
import { weightedShares } from "./weighted-shares.ts";

export type { TrafficProblem, TrafficShare } from "./traffic-context.ts";

export type RequestAction = "route" | "redirect" | "direct-response" | "nowhere";

/** One class of requests: the requests a rule's matches select, in evaluation order. */
export interface RequestClass {
  /** Index of the rule in its resource's list (for a delegate's rules, the root rule's index); -1 for a host's default route. */
  readonly rule: number;
  readonly name?: string;
  readonly match: string;
  /** The match blocks (ORed) as conditions, to relate classes across rules and versions. */
  readonly conditions: readonly MatchBlock[];
  readonly action: RequestAction;
  readonly shares: readonly TrafficShare[];
  /** Copies sent to other destinations (`mirror`/`mirrors`, RequestMirror), each with the share of the class's requests copied. */
  readonly mirrors?: readonly TrafficShare[];
  /** Never runs: an earlier rule takes all its requests (first match wins), or Istio does not emit it. */
  readonly unreachable: boolean;
  readonly source: ResourceRef;
  readonly file: string;
  readonly line: number;
}

export type RouteProtocol = "http" | "tcp" | "tls";

/** The routing of one host on one gateway binding (`mesh`, or a gateway `ns/name`). */
export interface HostTraffic {
  readonly host: string;
  readonly gateway: string;
  readonly protocol: RouteProtocol;
  /** The binding's identity across versions: protocol, gateway and fully qualified host. */
  readonly key: string;
  readonly classes: readonly RequestClass[];
  /** No live rule catches everything: some requests match nothing and get a 404 (HTTP) or are dropped. */
  readonly unmatched: boolean;
  /** `mesh` only: where the host's requests go once no VirtualService routes it (the service itself). */
  readonly fallback?: RequestClass;
}

const VS = "VirtualService.networking.istio.io";

interface Binding {
  readonly host: string;
  readonly gateway: string;
  readonly protocol: RouteProtocol;
  readonly key: string;
  readonly fallback?: RequestClass;
  /** Each bound VirtualService's classes, oldest first. */
  readonly lists: RequestClass[][];
  readonly sources: Set<Resource>;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Istio's order of VirtualServices (`sortConfigByCreationTime`): oldest first, then by name, then by
 * namespace. Repository files carry no timestamps, so in practice name then namespace decides.
 */
function compareVirtualServices(a: Resource, b: Resource): number {
  return compareCreation(a, b) || compareText(a.name, b.name) || compareText(a.namespace, b.namespace);
}

function qualify(gateway: string, ns: string): string {
  return gateway === MESH_GATEWAY || gateway.includes("/") ? gateway : `${ns}/${gateway}`;
}

/**
 * Where every class of request goes, per host and gateway binding, from Istio's documented semantics
 * (semantics.md §a): first matching rule wins, weights are relative, a lone destination takes all.
 * VirtualServices sharing a host are combined as Istio does: on a gateway their routes are appended
 * into one virtual host (oldest VirtualService first) and catch-all routes moved to the end; on `mesh`
 * the duplicate host is undefined behaviour (IST0109) and istiod keeps the first VirtualService's
 * virtual host, dropping the others' (their rules are shown, unreachable).
 */
export function simulateTraffic(set: ConfigSet): HostTraffic[] {
  const ctx = trafficContext(set);
  const bindings = new Map<string, Binding>();
  for (const vs of [...set.ofKind(VS)].sort(compareVirtualServices)) {
    const hosts = readArray(vs.spec.hosts).filter((h): h is string => typeof h === "string");
    if (hosts.length === 0) continue; // a delegate: simulated inside the root that uses it
    const gateways = readArray(vs.spec.gateways).filter((g): g is string => typeof g === "string");
    for (const gateway of gateways.length > 0 ? gateways : [MESH_GATEWAY]) {
      const gw = qualify(gateway, vs.namespace);
      for (const host of hosts) {
        for (const protocol of ["http", "tcp", "tls"] as const) {
          const rules = readArray(vs.spec[protocol]);
          if (rules.length === 0) continue;
          const binding = bindingFor(ctx, bindings, vs, host, gw, protocol);
          if (binding.sources.has(vs)) continue; // the same host or gateway written twice
          binding.sources.add(vs);
          binding.lists.push(simulateRules(ctx, vs, protocol, gw, rules));
        }
      }
    }
  }
  const out = [...bindings.values()].map(finishBinding);
  out.push(...simulateHttpRoutes(ctx));
  return out.sort((a, b) => a.host.localeCompare(b.host) || a.gateway.localeCompare(b.gateway) || a.protocol.localeCompare(b.protocol));
}

function bindingFor(ctx: TrafficContext, bindings: Map<string, Binding>, vs: Resource, host: string, gateway: string, protocol: RouteProtocol): Binding {
  const key = `${protocol}\u0000${gateway}\u0000${toFqdn(host, vs.namespace)}`;
  const known = bindings.get(key);
  if (known) return known;
  const fallback = gateway === MESH_GATEWAY ? defaultClass(ctx, host, vs) : undefined;
  const binding: Binding = { host, gateway, protocol, key, lists: [], sources: new Set(), ...(fallback ? { fallback } : {}) };
  bindings.set(key, binding);
  return binding;
}

/** The route a sidecar takes for the host when no VirtualService is there (see `defaultRoute`). */
function defaultClass(ctx: TrafficContext, host: string, vs: Resource): RequestClass | undefined {
  const route = defaultRoute(ctx, host, vs.namespace, vs);
  if (!route) return undefined;
  return {
    rule: -1,
    match: ANY_REQUEST.text,
    conditions: [ANY_REQUEST],
    action: "route",
    shares: [route.share],
    unreachable: false,
    source: refOf(route.resource),
    file: route.resource.source.file,
    line: route.resource.locate([]).line,
  };
}

function finishBinding(b: Binding): HostTraffic {
  const [first = [], ...others] = b.lists;
  const ordered =
    b.gateway === MESH_GATEWAY
      ? [...first, ...others.flat().map((c) => ({ ...c, unreachable: true }))]
      : b.protocol === "http"
        ? catchAllsLast(b.lists.flat())
        : b.lists.flat();
  const classes = markShadowed(ordered);
  return {
    host: b.host,
    gateway: b.gateway,
    protocol: b.protocol,
    key: b.key,
    classes,
    unmatched: !classes.some((c) => !c.unreachable && c.conditions.some(isCatchAll)),
    ...(b.fallback ? { fallback: b.fallback } : {}),
  };
}

/**
 * A gateway's virtual host keeps routes in order but moves catch-all routes to the end
 * (`SortVHostRoutes`, semantics.md §a "Gateways"). A route is one match block, so a rule mixing
 * catch-all and other blocks is split in two.
 */
function catchAllsLast(classes: readonly RequestClass[]): RequestClass[] {
  const head: RequestClass[] = [];
  const tail: RequestClass[] = [];
  for (const c of classes) {
    const catchAll = c.conditions.filter(isCatchAll);
    if (c.unreachable || catchAll.length === 0) head.push(c);
    else if (catchAll.length === c.conditions.length) tail.push(c);
    else {
      const rest = c.conditions.filter((b) => !isCatchAll(b));
      head.push({ ...c, conditions: rest, match: describeBlocks(rest) });
      tail.push({ ...c, conditions: catchAll, match: describeBlocks(catchAll) });
    }
  }
  return [...head, ...tail];
}

function describeBlocks(blocks: readonly MatchBlock[]): string {
  return blocks.map((b) => b.text).join(" or ");
}

/**
 * One VirtualService's rules for one binding, in order. Istio stops emitting a VirtualService's routes
 * at its first catch-all (`BuildHTTPRoutesForVirtualService`), so later rules are unreachable even when a
 * gateway's sorting would move that catch-all behind them.
 */
function simulateRules(ctx: TrafficContext, vs: Resource, protocol: RouteProtocol, gateway: string, rules: JsonValue[]): RequestClass[] {
  const classes: RequestClass[] = [];
  let stopped = false;
  rules.forEach((rule, i) => {
    if (!isObject(rule)) return;
    // `match.gateways` narrows a block to some bindings: drop blocks that exclude this one.
    const written = readArray(rule.match);
    const matches = written.filter((m) => !isObject(m) || !Array.isArray(m.gateways) || m.gateways.some((g) => typeof g === "string" && qualify(g, vs.namespace) === gateway));
    if (written.length > 0 && matches.length === 0) return;
    const blocks = matchBlocksOf(matches);
    const produced =
      protocol === "http" && isObject(rule.delegate)
        ? simulateDelegate(ctx, vs, rule.delegate, i, blocks)
        : [simulateRule(ctx, vs, [protocol, i], rule, i, blocks, vs.namespace)];
    for (const c of produced) {
      classes.push(stopped ? { ...c, unreachable: true } : c);
      if (!c.unreachable && c.conditions.some(isCatchAll)) stopped = true;
    }
  });
  return classes;
}

function simulateRule(ctx: TrafficContext, vs: Resource, path: FieldPath, rule: JsonObject, index: number, blocks: readonly MatchBlock[], ns: string): RequestClass {
  const base = {
    rule: index,
    match: describeBlocks(blocks),
    conditions: blocks,
    unreachable: false,
    source: refOf(vs),
    file: vs.source.file,
    line: vs.locate(path).line,
    ...(typeof rule.name === "string" ? { name: rule.name } : {}),
  };
  const mirrors = [
    ...(isObject(rule.mirror) ? [destinationShare(ctx, rule.mirror, mirrorPercent(rule.mirrorPercentage, rule.mirrorPercent), ns)] : []),
    ...readArray(rule.mirrors).filter(isObject).map((m) => destinationShare(ctx, m.destination, mirrorPercent(m.percentage), ns)),
  ];
  const withMirrors = mirrors.length > 0 ? { ...base, mirrors } : base;
  if (isObject(rule.redirect)) return { ...withMirrors, action: "redirect", shares: [] };
  if (isObject(rule.directResponse)) return { ...withMirrors, action: "direct-response", shares: [] };
  const dests = readArray(rule.route).filter(isObject);
  const shares = weightedShares(dests.map((d) => ({ target: d, weight: typeof d.weight === "number" ? d.weight : undefined }))).map(({ target, percent }) =>
    destinationShare(ctx, target.destination, percent, ns),
  );
  return { ...withMirrors, action: shares.length > 0 ? "route" : "nowhere", shares };
}

/** `mirrorPercentage` (a `{value}` percent), else the deprecated integer `mirrorPercent`; 100 when absent ([api] HTTPRoute.mirror_percentage). */
function mirrorPercent(value: JsonValue | undefined, legacy?: JsonValue): number {
  if (isObject(value) && typeof value.value === "number") return value.value;
  return typeof legacy === "number" ? legacy : 100;
}

/**
 * Delegate VirtualService (one level, [api] L423-435): its rules take the root rule's place, each match
 * merged with the root's. A delegate match outside the root's conflicts and that route does not take
 * effect (unreachable); a rule whose every match conflicts never runs.
 */
function simulateDelegate(ctx: TrafficContext, root: Resource, delegate: JsonObject, index: number, rootBlocks: readonly MatchBlock[]): RequestClass[] {
  const target = ctx.set.get(VS, readString(delegate.namespace) ?? root.namespace, readString(delegate.name) ?? "");
  if (!target) return [simulateRule(ctx, root, ["http", index], {}, index, rootBlocks, root.namespace)];
  return readArray(target.spec.http)
    .filter(isObject)
    .map((leaf, j) => {
      const leafBlocks = matchBlocksOf(readArray(leaf.match));
      const merged = rootBlocks.flatMap((r) => leafBlocks.flatMap((l) => mergeDelegateBlock(r, l) ?? []));
      // Only one level: a delegate's own `delegate` is not followed, so that rule routes nowhere.
      const rule = isObject(leaf.delegate) ? { ...leaf, route: [] } : leaf;
      const c = simulateRule(ctx, target, ["http", j], rule, index, merged.length > 0 ? merged : leafBlocks, target.namespace);
      return merged.length > 0 ? c : { ...c, unreachable: true };
    });
}
