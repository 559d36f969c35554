import { isObject, type JsonObject, type JsonValue } from "../mesh/json.ts";
import { KIND_DEFAULTS } from "./kind-defaults.ts";

/** Per kind, its defaults as [path segments, value], parents before children. */
const compiled = new Map<string, readonly (readonly [readonly string[], JsonValue])[]>();

function defaultsOf(key: string): readonly (readonly [readonly string[], JsonValue])[] {
  let list = compiled.get(key);
  if (!list) {
    list = Object.entries(KIND_DEFAULTS[key] ?? {})
      .map(([path, value]) => [path.split("."), value] as const)
      .sort((a, b) => a[0].length - b[0].length);
    compiled.set(key, list);
  }
  return list;
}

/**
 * A copy of `spec` with the kind's defaults filled in where a field is left out (or null), the way the
 * API server defaults a structural schema: a parent's default is set before its children's, so those
 * apply inside it too (HTTPRoute's default `matches` get their default `path`).
 */
export function applyDefaults(key: string, spec: JsonObject): JsonObject {
  const defaults = defaultsOf(key);
  if (defaults.length === 0) return spec;
  const out = structuredClone(spec);
  for (const [path, value] of defaults) fill(out, path, value);
  return out;
}

function fill(node: JsonValue | undefined, path: readonly string[], value: JsonValue): void {
  const [segment, ...rest] = path;
  if (!isObject(node) || segment === undefined) return;
  const list = segment.endsWith("[]");
  const key = list ? segment.slice(0, -2) : segment;
  if (rest.length === 0) {
    if (node[key] === undefined || node[key] === null) node[key] = structuredClone(value);
    return;
  }
  const child = node[key];
  if (!list) fill(child, rest, value);
  else if (Array.isArray(child)) for (const item of child) fill(item, rest, value);
}
