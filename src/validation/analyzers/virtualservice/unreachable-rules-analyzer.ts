import type { ConfigSet } from "../../../mesh/config-set.ts";
import { isObject, type JsonValue, readArray } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { dedupeIstioMessages } from "./istio-messages.ts";

const RULE = "schema.ValidationAnalyzer.VirtualService";
type RouteKind = "http" | "tcp" | "tls";

/**
 * The part of `schema.ValidationAnalyzer.VirtualService` that is not plain schema validation: the
 * `analyzeUnreachableHTTPRules` / `TCP` / `TLS` warnings of `pkg/config/validation/validation.go`, which
 * the analyzer turns into IST0130 (a rule that can never match) and IST0131 (a match an earlier one
 * already takes). Istio attaches no line to them, so equal texts on one VirtualService print once.
 */
export const unreachableRulesAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const out: Finding[] = [];
    for (const vs of set.ofKind("VirtualService.networking.istio.io")) {
      for (const kind of ["http", "tcp", "tls"] as const) out.push(...analyzeRules(vs, kind));
    }
    return dedupeIstioMessages(out.map((finding) => ({ finding, istioLine: -1 })));
  },
};

interface PrefixMatch {
  readonly rule: string;
  readonly match: string;
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly prefix: string;
  readonly port: number;
  readonly method: string;
  readonly authority: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly queryParams: ReadonlyMap<string, string>;
  readonly withoutHeaders: ReadonlyMap<string, string>;
}

function analyzeRules(vs: Resource, kind: RouteKind): Finding[] {
  const out: Finding[] = [];
  const routes = readArray(vs.spec[kind]);
  const seen = new Map<string, number>();
  const prefixMatches: PrefixMatch[] = [];
  let emptyMatchSeen = false;
  for (const [ruleIndex, route] of routes.entries()) {
    if (!isObject(route)) continue;
    const matches = readArray(route.match);
    if (matches.length === 0) {
      if (emptyMatchSeen) out.push(istioFinding("IST0130", RULE, vs, ["spec", kind, ruleIndex], routeName(kind, route, ruleIndex), "only the last rule can have no matches"));
      emptyMatchSeen = true;
      continue;
    }
    let duplicates = 0;
    for (const [matchIndex, match] of matches.entries()) {
      const key = JSON.stringify(kind === "http" ? canonicalHttpMatch(match) : canonicalFields(match));
      const dup = seen.get(key);
      if (dup !== undefined) {
        const dupName = routeName(kind, routes[dup], dup);
        out.push(istioFinding("IST0131", RULE, vs, ["spec", kind, ruleIndex, "match", matchIndex], routeName(kind, route, ruleIndex), requestName(kind, match, matchIndex), dupName));
        duplicates++;
        continue;
      }
      seen.set(key, ruleIndex);
      const prefix = kind === "http" ? toPrefixMatch(route, match, ruleIndex, matchIndex) : undefined;
      if (prefix) prefixMatches.push(prefix);
    }
    if (duplicates === matches.length) {
      out.push(istioFinding("IST0130", RULE, vs, ["spec", kind, ruleIndex, "match"], routeName(kind, route, ruleIndex), "all matches used by prior rules"));
    }
  }
  return [...out, ...overlappingPrefixes(vs, prefixMatches)];
}

/** The overlap pass of `analyzeUnreachableHTTPRules`: an earlier `uri.prefix` match covering a later one. */
function overlappingPrefixes(vs: Resource, list: readonly PrefixMatch[]): Finding[] {
  const out: Finding[] = [];
  for (const [i, a] of list.entries()) {
    for (const b of list.slice(i + 1)) {
      if (b.prefix === a.prefix || !covers(a, b)) continue;
      out.push(istioFinding("IST0131", RULE, vs, ["spec", "http", b.ruleIndex, "match", b.matchIndex], b.rule,
        `${b.match} of prefix ${b.prefix}`, `${a.match} of prefix ${a.prefix} on ${a.rule}`));
    }
  }
  return out;
}

/**
 * `coveredValidation`, kept as written: B's prefix extends A's, ports are equal, and each of method,
 * authority and every header/query/withoutHeaders value is equal or A's starts with B's.
 */
function covers(a: PrefixMatch, b: PrefixMatch): boolean {
  if (!b.prefix.startsWith(a.prefix) || a.port !== b.port) return false;
  if (!compatible(a.method, b.method) || !compatible(a.authority, b.authority)) return false;
  return sameKeysCompatible(a.headers, b.headers) && sameKeysCompatible(a.queryParams, b.queryParams) && sameKeysCompatible(a.withoutHeaders, b.withoutHeaders);
}

function compatible(a: string, b: string): boolean {
  return a === b || a.startsWith(b);
}

function sameKeysCompatible(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || !compatible(v, w)) return false;
  }
  return true;
}

/** `genMatchHTTPRoutes`: only matches with a non-empty `uri.prefix` take part; no method means `GET`. */
function toPrefixMatch(route: Record<string, JsonValue>, match: JsonValue, ruleIndex: number, matchIndex: number): PrefixMatch | undefined {
  if (!isObject(match) || !isObject(match.uri)) return undefined;
  const prefix = typeof match.uri.prefix === "string" ? match.uri.prefix : "";
  if (prefix === "") return undefined;
  return {
    rule: routeName("http", route, ruleIndex),
    match: requestName("http", match, matchIndex),
    ruleIndex,
    matchIndex,
    prefix,
    port: typeof match.port === "number" ? match.port : 0,
    method: exactOrPrefix(match.method) || "exact:GET",
    authority: exactOrPrefix(match.authority),
    headers: exactOrPrefixMap(match.headers),
    queryParams: exactOrPrefixMap(match.queryParams),
    withoutHeaders: exactOrPrefixMap(match.withoutHeaders),
  };
}

/** `assignExactOrPrefix`: `exact:v` or `prefix:v`, `""` for regex or nothing. */
function exactOrPrefix(m: JsonValue | undefined): string {
  if (!isObject(m)) return "";
  if (typeof m.exact === "string" && m.exact !== "") return `exact:${m.exact}`;
  if (typeof m.prefix === "string" && m.prefix !== "") return `prefix:${m.prefix}`;
  return "";
}

function exactOrPrefixMap(value: JsonValue | undefined): Map<string, string> {
  return new Map(isObject(value) ? Object.entries(value).map(([k, v]) => [k, exactOrPrefix(v)]) : []);
}

/** `routeName`: an http rule's quoted name, else `#index`. */
function routeName(kind: RouteKind, route: JsonValue | undefined, index: number): string {
  if (kind === "http" && isObject(route) && typeof route.name === "string" && route.name !== "") return JSON.stringify(route.name);
  return `#${index}`;
}

/** `requestName`: an http match's quoted name, else `#index`. */
function requestName(kind: RouteKind, match: JsonValue, index: number): string {
  if (kind === "http" && isObject(match) && typeof match.name === "string" && match.name !== "") return JSON.stringify(match.name);
  return `#${index}`;
}

const STRING_MATCH_FIELDS = new Set(["uri", "scheme", "method", "authority"]);
const STRING_MATCH_MAPS = new Set(["headers", "queryParams", "withoutHeaders"]);

/**
 * What Go's `json.Marshal` of the HTTPMatchRequest proto (name cleared) would print, as a value to
 * compare: zero values vanish (`omitempty`), map keys sort, and a StringMatch keeps only whether its
 * oneof is set and its non-empty value (`{exact: ""}` and `{prefix: ""}` print alike, `{}` differs).
 */
function canonicalHttpMatch(match: JsonValue): JsonValue {
  if (!isObject(match)) return null;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(match).sort()) {
    const v = match[key];
    if (key === "name" || v === undefined || v === null) continue;
    if (STRING_MATCH_FIELDS.has(key)) out[key] = canonicalStringMatch(v);
    else if (STRING_MATCH_MAPS.has(key)) {
      if (!isObject(v) || Object.keys(v).length === 0) continue;
      out[key] = Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k] === null ? null : canonicalStringMatch(v[k] ?? null)]));
    } else if (!isZero(v)) out[key] = canonicalValue(v);
  }
  return out;
}

function canonicalStringMatch(v: JsonValue): JsonValue {
  if (!isObject(v)) return { oneof: null };
  for (const k of ["exact", "prefix", "regex"]) {
    const s = v[k];
    if (typeof s === "string") return { oneof: s === "" ? {} : { [k]: s } };
  }
  return { oneof: null };
}

/** A TCP/TLS match (or any plain message): zero-valued fields dropped, keys sorted. */
function canonicalFields(match: JsonValue): JsonValue {
  if (!isObject(match)) return null;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(match).sort()) {
    const v = match[key];
    if (v !== undefined && !isZero(v)) out[key] = canonicalValue(v);
  }
  return out;
}

function canonicalValue(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(canonicalValue);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonicalValue(v[k] ?? null)]));
  return v;
}

function isZero(v: JsonValue): boolean {
  if (v === null || v === false || v === 0 || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}
