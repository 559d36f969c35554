import type { FieldPath } from "../../mesh/field-path.ts";
import type { JsonValue } from "../../mesh/json.ts";
import { formatGo } from "../analyzers/format-go.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { objectAt } from "./read-spec.ts";
import type { Issues } from "./webhook-issues.ts";

// `pkg/config/labels`: a key is an optional DNS prefix with `/`, then a qualified name of at most 63 characters.
const DNS_LABEL = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?";
const QUALIFIED_NAME = "(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const TAG_KEY = new RegExp(`^(${DNS_LABEL}(?:\\.${DNS_LABEL})*/)?(${QUALIFIED_NAME})$`);
const TAG_VALUE = new RegExp(`^(?:${QUALIFIED_NAME})?$`);

function checkTagKey(key: string): string | undefined {
  const m = TAG_KEY.exec(key);
  if (!m) return formatGo("invalid tag key: %q", [key]);
  if ((m[1]?.length ?? 0) - 1 > 253) return formatGo("invalid tag key: %q (DNS prefix is too long)", [key]);
  if ((m[2]?.length ?? 0) > 63) return formatGo("invalid tag key: %q (name is too long)", [key]);
  return undefined;
}

/** `labels.Instance.Validate` on a label map at `path` (subset labels, sourceLabels, endpoint labels). */
export function validateLabels(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const labels = objectAt(value);
  if (!labels) return;
  for (const [key, v] of Object.entries(labels)) {
    const keyErr = checkTagKey(key);
    if (keyErr) out.error(WEBHOOK_FAMILIES.selector, [...path, key], keyErr);
    const text = typeof v === "string" ? v : "";
    if (!TAG_VALUE.test(text)) out.error(WEBHOOK_FAMILIES.selector, [...path, key], formatGo("invalid tag value: %q", [text]));
  }
}

/**
 * The label rules of workload selectors: no empty key, no `*` anywhere. Returns whether the selector
 * had any labels, for the callers' "specified without labels" warnings, which differ per kind.
 */
export function validateSelectorLabels(out: Issues, value: JsonValue | undefined, path: FieldPath): boolean {
  const labels = objectAt(value) ?? {};
  for (const [key, v] of Object.entries(labels)) {
    const pair = `${key}=${typeof v === "string" ? v : ""}`;
    if (key === "") out.error(WEBHOOK_FAMILIES.selector, [...path, key], formatGo("empty key is not supported in selector: %q", [pair]));
    if (key.includes("*") || pair.slice(key.length + 1).includes("*")) {
      out.error(WEBHOOK_FAMILIES.selector, [...path, key], formatGo("wildcard is not supported in selector: %q", [pair]));
    }
  }
  return Object.keys(labels).length > 0;
}

/** `validateWorkloadSelector` (`selector.matchLabels` of PeerAuthentication, RequestAuthentication, AuthorizationPolicy, DestinationRule). */
export function validateWorkloadSelector(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const selector = objectAt(value);
  if (!selector) return;
  if (!validateSelectorLabels(out, selector.matchLabels, [...path, "matchLabels"])) {
    out.warn(WEBHOOK_FAMILIES.selector, path, "workload selector specified without labels");
  }
}

/**
 * `ValidateAlphaWorkloadSelector` (`workloadSelector.labels` of Sidecar and ServiceEntry). Returns false
 * when the selector is invalid: Istio then returns at once, without the kind's other rules.
 */
export function validateAlphaWorkloadSelector(out: Issues, value: JsonValue | undefined, path: FieldPath, owner: "sidecar" | "service entry"): boolean {
  const selector = objectAt(value);
  if (!selector) return true;
  const before = out.list.length;
  const hasLabels = validateSelectorLabels(out, selector.labels, [...path, "labels"]);
  if (out.list.length > before) return false;
  if (!hasLabels) {
    out.warn(WEBHOOK_FAMILIES.selector, path, `${owner}: workload selector specified without labels, will be applied to all services in namespace`);
  }
  return true;
}
