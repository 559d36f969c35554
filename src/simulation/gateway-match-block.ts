import { isObject, type JsonObject, readArray, readString } from "../mesh/json.ts";
import type { Condition, MatchBlock } from "./match-block.ts";

function valueCondition(attribute: string, type: string | undefined, value: string): Condition {
  return { attribute, op: type === "RegularExpression" ? "regex" : "exact", value };
}

/**
 * A Gateway API HTTPRouteMatch as conditions ([crds] httproutes `matches`): `path` defaults to
 * `PathPrefix /`, whose prefix is element-wise; header names are case-insensitive, query names are not.
 */
export function gatewayMatchBlock(match: JsonObject): MatchBlock {
  const all: Condition[] = [];
  const words: string[] = [];
  const path = isObject(match.path) ? match.path : {};
  const type = readString(path.type) ?? "PathPrefix";
  const value = readString(path.value) ?? "/";
  if (type === "Exact") all.push({ attribute: "path", op: "exact", value });
  else if (type === "RegularExpression") all.push({ attribute: "path", op: "regex", value });
  else all.push({ attribute: "path", op: "path-prefix", value });
  if (!(type === "PathPrefix" && value === "/")) words.push(`path ${type === "Exact" ? "=" : type === "RegularExpression" ? "~" : "starts with"} ${value}`);
  const method = readString(match.method);
  if (method !== undefined) {
    all.push({ attribute: "method", op: "exact", value: method });
    words.push(`method = ${method}`);
  }
  for (const h of readArray(match.headers).filter(isObject)) {
    const name = readString(h.name) ?? "";
    all.push(valueCondition(`header:${name.toLowerCase()}`, readString(h.type), readString(h.value) ?? ""));
    words.push(`header ${name} ${h.type === "RegularExpression" ? "~" : "="} ${readString(h.value) ?? ""}`);
  }
  for (const q of readArray(match.queryParams).filter(isObject)) {
    const name = readString(q.name) ?? "";
    all.push(valueCondition(`query:${name}`, readString(q.type), readString(q.value) ?? ""));
    words.push(`query ${name} ${q.type === "RegularExpression" ? "~" : "="} ${readString(q.value) ?? ""}`);
  }
  return { all, none: [], text: words.length > 0 ? words.join(" and ") : "any request" };
}
