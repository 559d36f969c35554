import type { ConfigSet } from "../mesh/config-set.ts";
import type { FieldPath } from "../mesh/field-path.ts";
import { MESH_GATEWAY, toFqdn } from "../mesh/hosts.ts";
import { isObject, type JsonObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import { type Resource, type ResourceRef, refOf } from "../mesh/resource.ts";
import { indexSubsets } from "../mesh/index-subsets.ts";
import { buildServiceRegistry, type ServiceRegistry } from "../mesh/service-registry.ts";
import { describeHttpMatches } from "./describe-match.ts";
import { weightedShares } from "./weighted-shares.ts";

export type TrafficProblem = "unknown-host" | "unknown-subset";

/** Where a share of a request class goes. */
export interface TrafficShare {
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  readonly percent: number;
  readonly problem?: TrafficProblem;
}

export type RequestAction = "route" | "redirect" | "direct-response" | "nowhere";

/** One class of requests: the requests a rule's matches select, in evaluation order. */
export interface RequestClass {
  readonly rule: number;
  readonly name?: string;
  readonly match: string;
  readonly action: RequestAction;
  readonly shares: readonly TrafficShare[];
  readonly mirrors: readonly TrafficShare[];
  /** A catch-all rule earlier in the list takes every request first: this rule never runs. */
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
  readonly classes: readonly RequestClass[];
  /** No rule catches everything: some requests match nothing and get a 404 (HTTP) or are dropped. */
  readonly unmatched: boolean;
}

interface Context {
  readonly set: ConfigSet;
  readonly registry: ServiceRegistry;
  /** Whether the set has service inventory, so an unknown host can be told from an unlisted one. */
  readonly knowsServices: boolean;
  readonly subsets: ReadonlyMap<string, ReadonlySet<string>>;
}

const VS = "VirtualService.networking.istio.io";
const HTTPROUTE = "HTTPRoute.gateway.networking.k8s.io";

/**
 * Where every class of request goes, per host and gateway binding, from Istio's documented semantics
 * (semantics.md §a): first matching rule wins, weights are relative, a lone destination takes all.
 */
export function simulateTraffic(set: ConfigSet): HostTraffic[] {
  const ctx: Context = {
    set,
    registry: buildServiceRegistry(set, { meshDefaults: true }),
    knowsServices: set.has("Service") || set.has("ServiceEntry.networking.istio.io"),
    subsets: indexSubsets(set),
  };
  const out: HostTraffic[] = [];
  for (const vs of set.ofKind(VS)) {
    const hosts = readArray(vs.spec.hosts).filter((h): h is string => typeof h === "string");
    if (hosts.length === 0) continue; // a delegate: simulated inside the root that uses it
    const gateways = readArray(vs.spec.gateways).filter((g): g is string => typeof g === "string");
    for (const gateway of gateways.length > 0 ? gateways : [MESH_GATEWAY]) {
      const gw = gateway === MESH_GATEWAY || gateway.includes("/") ? gateway : `${vs.namespace}/${gateway}`;
      for (const host of hosts) {
        for (const protocol of ["http", "tcp", "tls"] as const) {
          const rules = readArray(vs.spec[protocol]);
          if (rules.length === 0) continue;
          const classes = simulateRules(ctx, vs, protocol, gateway, rules);
          out.push({ host, gateway: gw, protocol, classes, unmatched: !classes.some((c) => c.match === "any request" && !c.unreachable) });
        }
      }
    }
  }
  for (const route of set.ofKind(HTTPROUTE)) out.push(...simulateHttpRoute(ctx, route));
  return out.sort((a, b) => a.host.localeCompare(b.host) || a.gateway.localeCompare(b.gateway) || a.protocol.localeCompare(b.protocol));
}

function simulateRules(ctx: Context, vs: Resource, protocol: RouteProtocol, gateway: string, rules: JsonValue[]): RequestClass[] {
  const classes: RequestClass[] = [];
  let caught = false;
  rules.forEach((rule, i) => {
    if (!isObject(rule)) return;
    // `match.gateways` narrows a rule to some bindings: skip blocks that exclude this one.
    const matches = readArray(rule.match).filter((m) => !isObject(m) || !Array.isArray(m.gateways) || m.gateways.includes(gateway));
    if (Array.isArray(rule.match) && rule.match.length > 0 && matches.length === 0) return;
    const delegate = protocol === "http" && isObject(rule.delegate) ? rule.delegate : undefined;
    if (delegate) {
      classes.push(...simulateDelegate(ctx, vs, rule, delegate, i, caught));
    } else {
      classes.push(simulateRule(ctx, vs, [protocol, i], rule, i, describeHttpMatches(matches), caught, vs.namespace));
    }
    if (matches.length === 0) caught = true;
  });
  return classes;
}

function simulateRule(ctx: Context, vs: Resource, path: FieldPath, rule: JsonObject, index: number, match: string, unreachable: boolean, ns: string): RequestClass {
  const pos = vs.locate(path);
  const base = { rule: index, match, unreachable, source: refOf(vs), file: vs.source.file, line: pos.line, ...(typeof rule.name === "string" ? { name: rule.name } : {}) };
  if (isObject(rule.redirect)) return { ...base, action: "redirect", shares: [], mirrors: [] };
  if (isObject(rule.directResponse)) return { ...base, action: "direct-response", shares: [], mirrors: [] };
  const dests = readArray(rule.route).filter(isObject);
  const shares = weightedShares(dests.map((d) => ({ target: d, weight: typeof d.weight === "number" ? d.weight : undefined }))).map(({ target, percent }) =>
    toShare(ctx, target.destination, percent, ns),
  );
  const mirrors = [
    ...(isObject(rule.mirror) ? [toShare(ctx, rule.mirror, mirrorPercent(rule.mirrorPercentage), ns)] : []),
    ...readArray(rule.mirrors).filter(isObject).map((m) => toShare(ctx, m.destination, mirrorPercent(m.percentage), ns)),
  ];
  return { ...base, action: shares.length > 0 ? "route" : "nowhere", shares, mirrors };
}

function mirrorPercent(value: JsonValue | undefined): number {
  return isObject(value) && typeof value.value === "number" ? value.value : 100;
}

/** Delegate VirtualService (one level): its rules replace the root's rule at the same place. */
function simulateDelegate(ctx: Context, root: Resource, rule: JsonObject, delegate: JsonObject, index: number, unreachable: boolean): RequestClass[] {
  const name = readString(delegate.name) ?? "";
  const ns = readString(delegate.namespace) ?? root.namespace;
  const target = ctx.set.get(VS, ns, name);
  const rootMatch = describeHttpMatches(rule.match);
  if (!target) {
    const missing = simulateRule(ctx, root, ["http", index], {}, index, rootMatch, unreachable, root.namespace);
    return [{ ...missing, action: "nowhere" }];
  }
  return readArray(target.spec.http)
    .filter(isObject)
    .map((leaf, j) => {
      const leafMatch = describeHttpMatches(leaf.match);
      const match = rootMatch === "any request" ? leafMatch : leafMatch === "any request" ? rootMatch : `(${rootMatch}) and (${leafMatch})`;
      return simulateRule(ctx, target, ["http", j], leaf, index, match, unreachable, target.namespace);
    });
}

function toShare(ctx: Context, destination: JsonValue | undefined, percent: number, ns: string): TrafficShare {
  const d = isObject(destination) ? destination : {};
  const host = readString(d.host) ?? "";
  const subset = readString(d.subset);
  const port = isObject(d.port) && typeof d.port.number === "number" ? d.port.number : undefined;
  const fqdn = toFqdn(host, ns);
  const problem: TrafficProblem | undefined =
    ctx.knowsServices && !ctx.registry.lookup(ns, ["*"], host)
      ? "unknown-host"
      : subset !== undefined && !ctx.subsets.get(fqdn)?.has(subset)
        ? "unknown-subset"
        : undefined;
  return {
    host: fqdn,
    percent,
    ...(subset !== undefined ? { subset } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(problem ? { problem } : {}),
  };
}

/** Gateway API HTTPRoute: backendRefs weights default to 1 and are relative. */
function simulateHttpRoute(ctx: Context, route: Resource): HostTraffic[] {
  const hostnames = readArray(route.spec.hostnames).filter((h): h is string => typeof h === "string");
  const parents = readArray(route.spec.parentRefs).filter(isObject);
  const rules = readArray(route.spec.rules).filter(isObject);
  const classes: RequestClass[] = rules.map((rule, i) => {
    const refs = readArray(rule.backendRefs).filter(isObject);
    const shares = weightedShares(refs.map((r) => ({ target: r, weight: typeof r.weight === "number" ? r.weight : undefined })), 1).map(({ target, percent }) => {
      const ns = readString(target.namespace) ?? route.namespace;
      const kind = readString(target.kind) ?? "Service";
      const host = kind === "Service" ? toFqdn(readString(target.name) ?? "", ns) : readString(target.name) ?? "";
      const known = !ctx.knowsServices || kind !== "Service" || ctx.set.get("Service", ns, readString(target.name) ?? "") !== undefined;
      return { host, percent, ...(typeof target.port === "number" ? { port: target.port } : {}), ...(known ? {} : { problem: "unknown-host" as const }) };
    });
    const pos = route.locate(["spec", "rules", i]);
    return {
      rule: i,
      match: describeGatewayMatches(rule.matches),
      action: isObject(findFilter(rule, "RequestRedirect")) ? "redirect" : shares.length > 0 ? "route" : "nowhere",
      shares,
      mirrors: [],
      unreachable: false,
      source: refOf(route),
      file: route.source.file,
      line: pos.line,
      ...(typeof rule.name === "string" ? { name: rule.name } : {}),
    };
  });
  const out: HostTraffic[] = [];
  for (const parent of parents.length > 0 ? parents : [{}]) {
    const gateway = `${readString(parent.namespace) ?? route.namespace}/${readString(parent.name) ?? "?"}`;
    for (const host of hostnames.length > 0 ? hostnames : ["*"]) {
      out.push({ host, gateway, protocol: "http", classes, unmatched: !classes.some((c) => c.match === "any request") });
    }
  }
  return out;
}

function findFilter(rule: JsonObject, type: string): JsonValue | undefined {
  const f = readArray(rule.filters).find((x) => isObject(x) && x.type === type);
  return isObject(f) ? f : undefined;
}

function describeGatewayMatches(matches: JsonValue | undefined): string {
  const list = readArray(matches).filter(isObject);
  if (list.length === 0) return "any request";
  return list
    .map((m) => {
      const parts: string[] = [];
      if (isObject(m.path)) {
        const type = readString(m.path.type) ?? "PathPrefix";
        const value = readString(m.path.value) ?? "/";
        if (!(type === "PathPrefix" && value === "/")) parts.push(`path ${type === "Exact" ? "=" : type === "RegularExpression" ? "~" : "starts with"} ${value}`);
      }
      if (typeof m.method === "string") parts.push(`method = ${m.method}`);
      for (const h of readArray(m.headers).filter(isObject)) parts.push(`header ${readString(h.name) ?? ""} = ${readString(h.value) ?? ""}`);
      for (const q of readArray(m.queryParams).filter(isObject)) parts.push(`query ${readString(q.name) ?? ""} = ${readString(q.value) ?? ""}`);
      return parts.length > 0 ? parts.join(" and ") : "any request";
    })
    .join(" or ");
}
