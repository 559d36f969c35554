import type { FieldPath } from "../../mesh/field-path.ts";
import type { WebhookCode } from "./codes.ts";

/** One message of Istio's webhook, kept with the field it is about. Istio's warnings stay warnings. */
export interface WebhookIssue {
  readonly code: WebhookCode;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly path: FieldPath;
}

/**
 * Where the validators of one resource put what they find. Istio's validators append to a multierror as
 * they walk the spec; collecting into one list keeps that order and keeps each helper small.
 */
export interface Issues {
  error(code: WebhookCode, path: FieldPath, message: string): void;
  warn(code: WebhookCode, path: FieldPath, message: string): void;
  readonly list: readonly WebhookIssue[];
}

export function collectIssues(): Issues {
  const list: WebhookIssue[] = [];
  return {
    error: (code, path, message) => void list.push({ code, severity: "error", message, path }),
    warn: (code, path, message) => void list.push({ code, severity: "warning", message, path }),
    list,
  };
}
