import type { FieldPath } from "../mesh/field-path.ts";
import { isObject, type JsonValue } from "../mesh/json.ts";

export type FieldChangeType = "added" | "removed" | "changed";

/** One field that differs between two versions of a resource. */
export interface FieldChange {
  readonly type: FieldChangeType;
  readonly path: FieldPath;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

/**
 * Field-level difference of two plain values. Key order never matters. Lists of objects that all carry
 * a `name` (subsets, ports, servers, named routes) are matched by name, so reordering or inserting one
 * item reports that item, not every item after it; other lists are compared by position, because order
 * is meaning there (route rules, matches).
 */
export function diffValues(before: JsonValue | undefined, after: JsonValue | undefined, path: FieldPath = []): FieldChange[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ type: "added", path, after: after as JsonValue }];
  if (after === undefined) return [{ type: "removed", path, before }];
  if (isObject(before) && isObject(after)) return diffObjects(before, after, path);
  if (Array.isArray(before) && Array.isArray(after)) {
    return namedItems(before) && namedItems(after) ? diffNamedLists(before, after, path) : diffLists(before, after, path);
  }
  return sameScalar(before, after) ? [] : [{ type: "changed", path, before, after }];
}

function diffObjects(before: Record<string, JsonValue>, after: Record<string, JsonValue>, path: FieldPath): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((k) => diffValues(before[k], after[k], [...path, k]));
}

function diffLists(before: JsonValue[], after: JsonValue[], path: FieldPath): FieldChange[] {
  const out: FieldChange[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) out.push(...diffValues(before[i], after[i], [...path, i]));
  return out;
}

/** Named items keep the head's index in their path, so a change points at the line a reviewer sees. */
function diffNamedLists(before: JsonValue[], after: JsonValue[], path: FieldPath): FieldChange[] {
  const old = new Map(before.map((item) => [nameOf(item), item]));
  const out: FieldChange[] = [];
  const seen = new Set<string>();
  after.forEach((item, i) => {
    const name = nameOf(item);
    seen.add(name);
    out.push(...diffValues(old.get(name), item, [...path, i]));
  });
  before.forEach((item, i) => {
    if (!seen.has(nameOf(item))) out.push({ type: "removed", path: [...path, i], before: item });
  });
  return out;
}

function namedItems(list: JsonValue[]): boolean {
  if (list.length === 0) return false;
  const names = new Set<string>();
  for (const item of list) {
    if (!isObject(item) || typeof item.name !== "string" || names.has(item.name)) return false;
    names.add(item.name);
  }
  return true;
}

function nameOf(item: JsonValue): string {
  return isObject(item) && typeof item.name === "string" ? item.name : "";
}

/** `80` and `"80"` are different YAML but often the same intent; they are still a change the API sees. */
function sameScalar(a: JsonValue, b: JsonValue): boolean {
  return a === b || (Array.isArray(a) && Array.isArray(b) && a.length === 0 && b.length === 0);
}
