import { isObject } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";

function timestamp(r: Resource): string | undefined {
  const meta = r.body.metadata;
  return isObject(meta) && typeof meta.creationTimestamp === "string" ? meta.creationTimestamp : undefined;
}

/**
 * Older first, by `metadata.creationTimestamp` (RFC 3339 in UTC, so text order is time order). A file in
 * a repository rarely has one; such a resource is created when applied, after every resource that has
 * one, and ties between those are left to the caller's tie-break (0).
 */
export function compareCreation(a: Resource, b: Resource): number {
  const x = timestamp(a);
  const y = timestamp(b);
  if (x === y) return 0;
  if (x === undefined) return 1;
  if (y === undefined) return -1;
  return x < y ? -1 : 1;
}
