import type { FieldPath } from "../../../mesh/field-path.ts";
import { isObject, type JsonValue } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";

/** A finding plus the line istioctl would print for it, which decides Istio's de-duplication. */
export interface IstioMessage {
  readonly finding: Finding;
  readonly istioLine: number;
}

/** Stands for "the resource's own line": what istioctl prints when `util.ErrorLine` finds no field. */
const RESOURCE_LINE = -1;

/**
 * The line istioctl prints: that of `path` when the field exists in the manifest (`util.ErrorLine` over
 * the origin's field map), else the resource's own line.
 */
export function istioLineOf(resource: Resource, path: FieldPath | undefined): number {
  return path !== undefined && hasPath(resource.body, path) ? resource.locate(path).line : RESOURCE_LINE;
}

/**
 * istioctl sorts and de-duplicates messages by their printed form (level, code, origin, line, text), so
 * two findings that only differ in the field we point at collapse into one when Istio prints them on
 * the same line. Keeping the first reproduces Istio's message count while pointing at a precise field.
 */
export function dedupeIstioMessages(messages: readonly IstioMessage[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const { finding, istioLine } of messages) {
    const r = finding.resource;
    const key = [finding.code, r?.kind, r?.namespace, r?.name, istioLine, finding.message].join("\u0000");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(finding);
  }
  return out;
}

function hasPath(value: JsonValue, path: FieldPath): boolean {
  let node: JsonValue | undefined = value;
  for (const part of path) {
    if (typeof part === "number") node = Array.isArray(node) ? node[part] : undefined;
    else node = isObject(node) ? node[part] : undefined;
    if (node === undefined) return false;
  }
  return true;
}
