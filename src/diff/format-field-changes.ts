import { stringify } from "yaml";
import { type FieldPath, formatFieldPath } from "../mesh/field-path.ts";
import type { JsonValue } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";
import type { FieldChange } from "./diff-values.ts";

/**
 * A unified-diff-style text of only what changed, one hunk per changed field: the field's parent path
 * and head line as the hunk header, then `-` old and `+` new YAML. Reads well inside a ```diff fence.
 */
export function formatFieldChanges(changes: readonly FieldChange[], head: Resource | undefined): string {
  return changes.map((c) => formatOne(c, head)).join("\n");
}

function formatOne(change: FieldChange, head: Resource | undefined): string {
  const parent = change.path.slice(0, -1);
  const leaf = change.path[change.path.length - 1];
  const where = parent.length > 0 ? formatFieldPath(parent) : "(root)";
  const line = head && change.type !== "removed" ? ` line ${head.locate(change.path).line}` : "";
  const lines = [`@@ ${where}${line} @@`];
  if (change.before !== undefined) lines.push(...asYaml(leaf, change.before).map((l) => `-${l}`));
  if (change.after !== undefined) lines.push(...asYaml(leaf, change.after).map((l) => `+${l}`));
  return lines.join("\n");
}

function asYaml(leaf: FieldPath[number] | undefined, value: JsonValue): string[] {
  const doc = typeof leaf === "number" || leaf === undefined ? [value] : { [leaf]: value };
  return stringify(doc, { lineWidth: 0 }).trimEnd().split("\n").map((l) => ` ${l}`);
}
