import { isObject, type JsonObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import { describeHttpMatch } from "./describe-match.ts";

/**
 * How one request attribute is tested. `prefix` is a plain string prefix (VirtualService), `path-prefix`
 * the Gateway API's element-wise one (`/foo` matches `/foo` and `/foo/bar`, not `/foobar`), `one-of` a
 * set of values (ports, SNI hosts, subnets), `present` any value at all.
 */
export type ConditionOp = "exact" | "prefix" | "path-prefix" | "regex" | "present" | "one-of";

/** One test on one request attribute: `path`, `method`, `authority`, `scheme`, `header:<name>`, `query:<name>`, `port`, … */
export interface Condition {
  readonly attribute: string;
  readonly op: ConditionOp;
  /** The value compared (`one-of`: unused). */
  readonly value: string;
  /** `one-of` only. */
  readonly values?: readonly string[];
  readonly ignoreCase?: boolean;
}

/**
 * One match block: the requests for which every condition in `all` holds and none in `none` does
 * (VirtualService `withoutHeaders`). Blocks of one rule are ORed (semantics.md §a "AND within a block,
 * OR across blocks"). `text` says it in words for the comment.
 */
export interface MatchBlock {
  readonly all: readonly Condition[];
  readonly none: readonly Condition[];
  readonly text: string;
}

export const ANY_REQUEST: MatchBlock = { all: [], none: [], text: "any request" };

/** An Istio StringMatch (`exact` / `prefix` / `regex`; an empty one means presence). */
function stringCondition(attribute: string, value: JsonValue | undefined, ignoreCase = false): Condition {
  const m = isObject(value) ? value : {};
  const ci = ignoreCase ? { ignoreCase: true } : {};
  if (typeof m.exact === "string") return { attribute, op: "exact", value: m.exact, ...ci };
  if (typeof m.prefix === "string") return { attribute, op: "prefix", value: m.prefix, ...ci };
  if (typeof m.regex === "string") return { attribute, op: "regex", value: m.regex };
  return { attribute, op: "present", value: "" };
}

// Istio ignores these keys under `headers` ([api] L789-807); header names are case-insensitive in Envoy.
const PSEUDO_HEADERS = new Set(["uri", "scheme", "method", "authority"]);

function headerConditions(map: JsonValue | undefined, prefix: string, lowercase: boolean): Condition[] {
  if (!isObject(map)) return [];
  return Object.keys(map)
    .filter((k) => !(prefix === "header:" && PSEUDO_HEADERS.has(k.toLowerCase())))
    .map((k) => stringCondition(`${prefix}${lowercase ? k.toLowerCase() : k}`, map[k]));
}

function oneOf(attribute: string, list: JsonValue | undefined): Condition[] {
  const values = readArray(list).map((v) => String(v));
  return values.length > 0 ? [{ attribute, op: "one-of", value: "", values }] : [];
}

/**
 * A VirtualService `match` entry (HTTP, TLS or TCP) as conditions. `gateways` is not a condition: blocks
 * naming other gateways are dropped before this, per binding (semantics.md §a, `sourceMatchHTTP`).
 * `sourceLabels`/`sourceNamespace` select the calling workloads, so they are kept as conditions on the caller.
 */
export function matchBlockOf(match: JsonObject): MatchBlock {
  const all: Condition[] = [];
  if (match.uri !== undefined) all.push(stringCondition("path", match.uri, match.ignoreUriCase === true));
  for (const key of ["method", "authority", "scheme"] as const) if (match[key] !== undefined) all.push(stringCondition(key, match[key]));
  all.push(...headerConditions(match.headers, "header:", true), ...headerConditions(match.queryParams, "query:", false));
  if (typeof match.port === "number") all.push({ attribute: "port", op: "one-of", value: "", values: [String(match.port)] });
  if (isObject(match.sourceLabels)) {
    for (const [k, v] of Object.entries(match.sourceLabels)) all.push({ attribute: `source-label:${k}`, op: "exact", value: String(v) });
  }
  const ns = readString(match.sourceNamespace);
  if (ns !== undefined) all.push({ attribute: "source-namespace", op: "exact", value: ns });
  all.push(...oneOf("sni", match.sniHosts), ...oneOf("subnet", match.destinationSubnets));
  return { all, none: headerConditions(match.withoutHeaders, "header:", true), text: describeHttpMatch(match) };
}

/** A rule's blocks; no `match` (or an empty list) is one block matching any request. */
export function matchBlocksOf(matches: readonly JsonValue[]): MatchBlock[] {
  const blocks = matches.filter(isObject).map(matchBlockOf);
  return blocks.length > 0 ? blocks : [ANY_REQUEST];
}
