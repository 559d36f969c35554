import { isObject, type JsonValue } from "../mesh/json.ts";

/** `exact: /a` → `= /a`; `prefix: /a` → `/a*`; `regex: x` → `~ x`; `{}` → `present`. */
function describeStringMatch(value: JsonValue | undefined): string {
  if (!isObject(value)) return "present";
  if (typeof value.exact === "string") return `= ${value.exact}`;
  if (typeof value.prefix === "string") return `starts with ${value.prefix}`;
  if (typeof value.regex === "string") return `~ /${value.regex}/`;
  return "present";
}

function describeMap(label: string, map: JsonValue | undefined, negate = false): string[] {
  if (!isObject(map)) return [];
  return Object.keys(map)
    .sort()
    .map((k) => `${label} ${k} ${negate ? "not " : ""}${describeStringMatch(map[k])}`);
}

/**
 * One VirtualService HTTP match block in words, its conditions joined by "and" (Istio ANDs within a
 * block); an absent or empty list of blocks is "any request".
 */
export function describeHttpMatch(match: JsonValue | undefined): string {
  if (!isObject(match)) return "any request";
  const parts: string[] = [];
  if (match.uri !== undefined) parts.push(`path ${describeStringMatch(match.uri)}${match.ignoreUriCase === true ? " (any case)" : ""}`);
  if (match.method !== undefined) parts.push(`method ${describeStringMatch(match.method)}`);
  if (match.authority !== undefined) parts.push(`authority ${describeStringMatch(match.authority)}`);
  if (match.scheme !== undefined) parts.push(`scheme ${describeStringMatch(match.scheme)}`);
  parts.push(...describeMap("header", match.headers), ...describeMap("header", match.withoutHeaders, true), ...describeMap("query", match.queryParams));
  if (typeof match.port === "number") parts.push(`port ${match.port}`);
  if (isObject(match.sourceLabels)) parts.push(`from pods ${Object.entries(match.sourceLabels).map(([k, v]) => `${k}=${String(v)}`).join(",")}`);
  if (typeof match.sourceNamespace === "string") parts.push(`from namespace ${match.sourceNamespace}`);
  if (Array.isArray(match.gateways)) parts.push(`via ${match.gateways.join(", ")}`);
  if (Array.isArray(match.sniHosts)) parts.push(`SNI ${match.sniHosts.join(", ")}`);
  if (Array.isArray(match.destinationSubnets)) parts.push(`to ${match.destinationSubnets.join(", ")}`);
  return parts.length > 0 ? parts.join(" and ") : "any request";
}

/** A rule's match blocks, ORed. */
export function describeHttpMatches(matches: JsonValue | undefined): string {
  if (!Array.isArray(matches) || matches.length === 0) return "any request";
  return matches.map(describeHttpMatch).join(" or ");
}
