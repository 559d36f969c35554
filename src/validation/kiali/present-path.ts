import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, type JsonValue } from "../../mesh/json.ts";

/**
 * The longest prefix of `path` that exists in `body`. Kiali names a field that may be defaulted away
 * (`spec/mtls` with no `mode`); a finding should name only a field the file really has.
 */
export function presentPath(body: JsonValue, path: FieldPath): FieldPath {
  let node: JsonValue | undefined = body;
  for (const [i, part] of path.entries()) {
    const next: JsonValue | undefined =
      typeof part === "number" ? (Array.isArray(node) ? node[part] : undefined) : isObject(node) ? node[part] : undefined;
    if (next === undefined) return path.slice(0, i);
    node = next;
  }
  return path;
}
