import { isObject, type JsonObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import { type Resource, refOf } from "../mesh/resource.ts";
import { compareCreation } from "./compare-creation.ts";
import { gatewayMatchBlock } from "./gateway-match-block.ts";
import type { MatchBlock } from "./match-block.ts";
import { markShadowed } from "./mark-shadowed.ts";
import { isCatchAll } from "./relate-blocks.ts";
import type { HostTraffic, RequestClass } from "./simulate-traffic.ts";
import { backendShare, type TrafficContext, type TrafficShare } from "./traffic-context.ts";
import { weightedShares } from "./weighted-shares.ts";

const HTTPROUTE = "HTTPRoute.gateway.networking.k8s.io";

/** A class with what Gateway API precedence sorts it by. */
interface Ranked {
  readonly cls: RequestClass;
  /** Hostname specificity (see hostnameScore). */
  readonly score: readonly [number, number];
  /** The route's place among all routes (oldest, then `namespace/name`). */
  readonly route: number;
  readonly match: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Gateway API HTTPRoutes, per parent Gateway and hostname. Rules of every route attached to the same
 * parent and hostname are merged and ordered by the precedence in the HTTPRoute CRD (semantics.md §d):
 * the most specific matching hostname, then an Exact path, the longest PathPrefix, a method, most
 * headers, most query params, then the oldest route, `namespace/name`, rule order. RegularExpression
 * paths are implementation-specific; here they rank after Exact and before prefixes. backendRefs
 * weights default to 1 and are relative.
 */
export function simulateHttpRoutes(ctx: TrafficContext): HostTraffic[] {
  const routes = [...ctx.set.ofKind(HTTPROUTE)].sort((a, b) => compareCreation(a, b) || compareText(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`));
  const byParent = new Map<string, Resource[]>();
  for (const route of routes) {
    const parents = readArray(route.spec.parentRefs).filter(isObject);
    const keys = new Set((parents.length > 0 ? parents : [{}]).map((p) => `${readString(p.namespace) ?? route.namespace}/${readString(p.name) ?? "?"}`));
    for (const key of keys) byParent.set(key, [...(byParent.get(key) ?? []), route]);
  }
  const classes = new Map(routes.map((r) => [r, classesOf(ctx, r)]));
  const out: HostTraffic[] = [];
  for (const [gateway, attached] of byParent) {
    const names = attached.map(hostnamesOf);
    const hosts = new Set(names.flat());
    if (names.some((n) => n.length === 0)) hosts.add("*");
    for (const host of hosts) {
      const ranked: Ranked[] = attached.flatMap((route, i) => {
        const score = hostnameScore(names[i] ?? [], host);
        return score ? (classes.get(route) ?? []).map((c) => ({ ...c, score, route: i })) : [];
      });
      ranked.sort((a, b) => b.score[0] - a.score[0] || b.score[1] - a.score[1] || comparePrecedence(a, b));
      const merged = markShadowed(ranked.map((r) => r.cls));
      out.push({
        host,
        gateway,
        protocol: "http",
        key: `http\u0000${gateway}\u0000${host}`,
        classes: merged,
        unmatched: !merged.some((c) => !c.unreachable && c.conditions.some(isCatchAll)),
      });
    }
  }
  return out;
}

function hostnamesOf(route: Resource): string[] {
  return readArray(route.spec.hostnames).filter((h): h is string => typeof h === "string");
}

/**
 * How specifically a route's hostnames match `host` ([crds] httproutes `hostnames`): characters in a
 * matching non-wildcard hostname, then in a matching hostname; [0, 0] for a route without hostnames
 * (it takes every host); undefined when none matches. `*` stands for hosts no route names.
 */
function hostnameScore(hostnames: readonly string[], host: string): [number, number] | undefined {
  if (hostnames.length === 0) return [0, 0];
  let best: [number, number] | undefined;
  for (const h of hostnames) {
    const score: [number, number] | undefined =
      h === host ? [h.startsWith("*") ? 0 : h.length, h.length] : h.startsWith("*.") && host !== "*" && host.endsWith(h.slice(1)) && host.length > h.length - 1 ? [0, h.length] : undefined;
    if (score && (!best || score[0] > best[0] || (score[0] === best[0] && score[1] > best[1]))) best = score;
  }
  return best;
}

/** Exact 3, RegularExpression 2, PathPrefix 1; then the prefix's length. */
function pathRank(block: MatchBlock | undefined): [number, number] {
  const path = block?.all.find((c) => c.attribute === "path");
  if (!path || path.op === "path-prefix") return [1, path?.value.length ?? 1];
  return [path.op === "exact" ? 3 : 2, 0];
}

function count(block: MatchBlock | undefined, prefix: string): number {
  return block?.all.filter((c) => c.attribute.startsWith(prefix)).length ?? 0;
}

function comparePrecedence(a: Ranked, b: Ranked): number {
  const x = a.cls.conditions[0];
  const y = b.cls.conditions[0];
  const [xr, xl] = pathRank(x);
  const [yr, yl] = pathRank(y);
  return (
    yr - xr ||
    yl - xl ||
    count(y, "method") - count(x, "method") ||
    count(y, "header:") - count(x, "header:") ||
    count(y, "query:") - count(x, "query:") ||
    a.route - b.route ||
    a.cls.rule - b.cls.rule ||
    a.match - b.match
  );
}

/** One class per match of each rule (each match is ranked on its own); a rule without matches is `PathPrefix /`. */
function classesOf(ctx: TrafficContext, route: Resource): Pick<Ranked, "cls" | "match">[] {
  return readArray(route.spec.rules)
    .filter(isObject)
    .flatMap((rule, i) => {
      const matches = readArray(rule.matches).filter(isObject);
      const outcome = outcomeOf(ctx, route, rule);
      return (matches.length > 0 ? matches : [{}]).map((m, k) => {
        const block = gatewayMatchBlock(m);
        const cls: RequestClass = {
          rule: i,
          match: block.text,
          conditions: [block],
          ...outcome,
          unreachable: false,
          source: refOf(route),
          file: route.source.file,
          line: route.locate(matches.length > 0 ? ["spec", "rules", i, "matches", k] : ["spec", "rules", i]).line,
          ...(typeof rule.name === "string" ? { name: rule.name } : {}),
        };
        return { cls, match: k };
      });
    });
}

function outcomeOf(ctx: TrafficContext, route: Resource, rule: JsonObject): Pick<RequestClass, "action" | "shares" | "mirrors"> {
  const refs = readArray(rule.backendRefs).filter(isObject);
  const shares = weightedShares(refs.map((r) => ({ target: r, weight: typeof r.weight === "number" ? r.weight : undefined })), 1).map(({ target, percent }) =>
    backendShare(ctx, route, target, percent),
  );
  const mirrors: TrafficShare[] = filters(rule, "RequestMirror").flatMap((f) => {
    const m = isObject(f.requestMirror) ? f.requestMirror : undefined;
    return m ? [backendShare(ctx, route, m.backendRef, mirrorPercent(m))] : [];
  });
  const action = filters(rule, "RequestRedirect").length > 0 ? "redirect" : shares.length > 0 ? "route" : "nowhere";
  return { action, shares: action === "route" ? shares : [], ...(mirrors.length > 0 ? { mirrors } : {}) };
}

function filters(rule: JsonObject, type: string): JsonObject[] {
  return readArray(rule.filters).filter((f): f is JsonObject => isObject(f) && f.type === type);
}

/** `percent`, or `fraction` numerator/denominator (denominator 100 by default); 100% when neither is set. */
function mirrorPercent(m: JsonObject): number {
  if (typeof m.percent === "number") return m.percent;
  const f: JsonValue | undefined = m.fraction;
  if (isObject(f) && typeof f.numerator === "number") return (f.numerator * 100) / (typeof f.denominator === "number" && f.denominator > 0 ? f.denominator : 100);
  return 100;
}
