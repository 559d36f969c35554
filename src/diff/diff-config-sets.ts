import type { FieldPath } from "../mesh/field-path.ts";
import { isObject, type JsonObject, type JsonValue } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";
import { type FieldChange, diffValues } from "./diff-values.ts";
import { normalizeResource } from "./normalize-resource.ts";

export type ResourceChangeType = "added" | "removed" | "changed";

export interface ResourceChange {
  readonly type: ResourceChangeType;
  /** The head's resource, or the base's for a removal. */
  readonly resource: Resource;
  readonly base?: Resource;
  readonly head?: Resource;
  /**
   * Field changes. For an added resource, its fields as the author wrote them, as additions (each
   * field of `spec` and `metadata` on its own, so each points at its head line); for a removed one, as
   * removals.
   */
  readonly fields: readonly FieldChange[];
  /**
   * For an add and a remove of the same kind with identical content: the other half of a rename.
   * Kubernetes has no rename, so it stays a delete plus an add, said as such.
   */
  readonly renamedFrom?: Resource;
  readonly renamedTo?: Resource;
}

/** Identity across versions: group, kind, namespace, name (not apiVersion: v1beta1 and v1 are the same object). */
function identity(r: Resource): string {
  return `${r.group}/${r.kind}/${r.namespace}/${r.name}`;
}

/**
 * What a change does to the set of resources: which were added, removed or changed, and for changed
 * ones, which fields, ignoring formatting, key order, apiVersion spelling and defaults.
 */
export function diffConfigSets(base: readonly Resource[], head: readonly Resource[]): ResourceChange[] {
  const before = new Map(base.filter((r) => !r.synthetic).map((r) => [identity(r), r]));
  const after = new Map(head.filter((r) => !r.synthetic).map((r) => [identity(r), r]));
  const changes: ResourceChange[] = [];
  const added: Resource[] = [];
  const removed: Resource[] = [];
  for (const [id, h] of after) {
    const b = before.get(id);
    if (!b) {
      added.push(h);
      continue;
    }
    const fields = asWritten(diffValues(normalizeResource(b), normalizeResource(h)), b, h);
    if (fields.length > 0) changes.push({ type: "changed", resource: h, base: b, head: h, fields });
  }
  for (const [id, b] of before) if (!after.has(id)) removed.push(b);
  const content = (r: Resource) => `${r.group}/${r.kind}\u0000${JSON.stringify(sortKeys(normalizeResource(r)))}`;
  const removedByContent = new Map(removed.map((r) => [content(r), r]));
  const renames = new Map<Resource, Resource>();
  for (const a of added) {
    const from = removedByContent.get(content(a));
    if (from && ![...renames.values()].includes(from)) renames.set(a, from);
  }
  const renamedTo = new Map([...renames].map(([to, from]) => [from, to]));
  for (const a of added) {
    const from = renames.get(a);
    changes.push({ type: "added", resource: a, head: a, fields: diffValues(outline(a), normalizeResource(a, { defaults: false })), ...(from ? { renamedFrom: from } : {}) });
  }
  for (const r of removed) {
    const to = renamedTo.get(r);
    changes.push({ type: "removed", resource: r, base: r, fields: diffValues(normalizeResource(r, { defaults: false }), outline(r)), ...(to ? { renamedTo: to } : {}) });
  }
  return changes.sort((x, y) => identity(x.resource).localeCompare(identity(y.resource)) || x.type.localeCompare(y.type));
}

/**
 * Defaults are filled in to compare, but an added or removed part is shown as its author wrote it: a
 * new HTTPRoute rule is not padded with `weight: 1`, `kind: Service`. A changed value keeps its
 * default, so moving off one reads `weight: 1 → 3`.
 */
function asWritten(fields: readonly FieldChange[], base: Resource, head: Resource): FieldChange[] {
  if (fields.every((f) => f.type === "changed")) return [...fields];
  const written = { before: normalizeResource(base, { defaults: false }), after: normalizeResource(head, { defaults: false }) };
  return fields.map((f) => {
    const side = f.type === "added" ? "after" : f.type === "removed" ? "before" : undefined;
    const value = side ? valueAt(written[side], f.path) : undefined;
    return side && value !== undefined ? { ...f, [side]: value } : f;
  });
}

function valueAt(value: JsonValue | undefined, path: FieldPath): JsonValue | undefined {
  let node = value;
  for (const part of path) node = Array.isArray(node) && typeof part === "number" ? node[part] : isObject(node) && typeof part === "string" ? node[part] : undefined;
  return node;
}

/**
 * The resource's top-level mappings, empty: diffed against the resource, each field inside them is one
 * addition (or removal) rather than the whole resource being a single one.
 */
function outline(r: Resource): JsonObject {
  return Object.fromEntries(Object.entries(normalizeResource(r, { defaults: false })).filter(([, v]) => isObject(v)).map(([k]) => [k, {}]));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
