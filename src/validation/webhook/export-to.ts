import type { FieldPath } from "../../mesh/field-path.ts";
import type { JsonValue } from "../../mesh/json.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { isDns1123Label } from "./dns-names.ts";
import { stringsAt } from "./read-spec.ts";
import type { Issues } from "./webhook-issues.ts";

export interface ExportToOptions {
  readonly isServiceEntry: boolean;
  readonly isDestinationRuleWithSelector: boolean;
}

function checkVisibility(entry: string): string | undefined {
  if (entry === "." || entry === "*") return undefined;
  if (entry === "~") return "exportTo ~ (none) is not allowed for Istio configuration objects";
  return isDns1123Label(entry) ? undefined : "only .,*, or a valid DNS 1123 label is allowed as exportTo entry";
}

/** `validateExportTo`. */
export function validateExportTo(out: Issues, namespace: string, value: JsonValue | undefined, path: FieldPath, options: ExportToOptions): void {
  const entries = stringsAt(value);
  if (entries.length === 0) return;
  const seen = new Set<string>();
  for (const [i, entry] of entries) {
    // `.` means the resource's own namespace. Istio always knows it; a manifest without one keeps `.`.
    const key = entry === "." && namespace !== "" ? namespace : entry;
    if (seen.has(key)) {
      out.error(WEBHOOK_FAMILIES.exportTo, [...path, i], key !== entry
        ? `duplicate entries in exportTo: . and current namespace ${namespace}`
        : `duplicate entries in exportTo for entry ${entry}`);
      continue;
    }
    const err = options.isServiceEntry && entry === "~" ? undefined : checkVisibility(key);
    if (err) out.error(WEBHOOK_FAMILIES.exportTo, [...path, i], err);
    else seen.add(key);
  }
  const ownNamespace = namespace === "" ? "." : namespace;
  if (options.isDestinationRuleWithSelector && seen.size > 0) {
    if (!seen.has(ownNamespace)) {
      out.error(WEBHOOK_FAMILIES.exportTo, path, "destination rule with workload selector cannot have exportTo beyond current namespace");
    } else if (seen.size > 1) {
      out.error(WEBHOOK_FAMILIES.exportTo, path, "destination rule with workload selector cannot have multiple entries in exportTo");
    }
  }
  if (seen.has("*") && entries.length > 1) {
    out.error(WEBHOOK_FAMILIES.exportTo, path, "cannot have both public (*) and non-public exportTo values for a resource");
  }
  if (seen.has("~") && entries.length > 1) {
    out.error(WEBHOOK_FAMILIES.exportTo, path, "cannot export service entry to no one (~) and someone");
  }
}
