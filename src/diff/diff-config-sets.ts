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
  /** Field changes (changed resources only). */
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
    const fields = diffValues(normalizeResource(b), normalizeResource(h));
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
    changes.push({ type: "added", resource: a, head: a, fields: [], ...(from ? { renamedFrom: from } : {}) });
  }
  for (const r of removed) {
    const to = renamedTo.get(r);
    changes.push({ type: "removed", resource: r, base: r, fields: [], ...(to ? { renamedTo: to } : {}) });
  }
  return changes.sort((x, y) => identity(x.resource).localeCompare(identity(y.resource)) || x.type.localeCompare(y.type));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
