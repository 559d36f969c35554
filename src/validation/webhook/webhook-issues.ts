import type { FieldPath } from "../../mesh/field-path.ts";
import type { WebhookFamily } from "./webhook-families.ts";

/** One message of Istio's webhook, kept with the field it is about. Istio's warnings stay warnings. */
export interface WebhookIssue {
  readonly family: WebhookFamily;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly path: FieldPath;
}

/**
 * Where the validators of one resource put what they find. Istio's validators append to a multierror as
 * they walk the spec; collecting into one list keeps that order and keeps each helper small.
 */
export interface Issues {
  error(family: WebhookFamily, path: FieldPath, message: string): void;
  warn(family: WebhookFamily, path: FieldPath, message: string): void;
  readonly list: readonly WebhookIssue[];
}

export function collectIssues(): Issues {
  const list: WebhookIssue[] = [];
  return {
    error: (family, path, message) => void list.push({ family, severity: "error", message, path }),
    warn: (family, path, message) => void list.push({ family, severity: "warning", message, path }),
    list,
  };
}
