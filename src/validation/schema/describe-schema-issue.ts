import { quoteGo } from "../../cel/quote-go.ts";
import type { SchemaIssue } from "../../generated/crd-validators.js";
import type { Severity } from "../../review/finding.ts";
import { formatErrorValue, formatGoFloat, formatGoSharpV } from "./format-go-value.ts";
import { formatFieldErrorPath, formatOpenApiPath } from "./format-kube-path.ts";
import { SCHEMA_CODES, type SchemaCode } from "./schema-codes.ts";
import { suggestFieldName } from "./suggest-field-name.ts";

export interface IssueDescription {
  readonly code: SchemaCode;
  readonly severity: Severity;
  readonly message: string;
}

/**
 * The errors that stop the API server from running CEL rules (apiextensions-apiserver
 * customResourceStrategy.Validate, hasBlockingErr): type, required, enum, too long, too many.
 */
export function isBlockingIssue(issue: SchemaIssue): boolean {
  return BLOCKING.has(issue.k);
}

const BLOCKING = new Set(["type", "format", "required", "enum", "maxLength", "maxItems", "maxProperties"]);

export const CEL_SKIPPED_MESSAGE =
  "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

/**
 * The finding text for a schema issue: the API server's message (kube-openapi's text wrapped in
 * apiextensions' field.Error, `<path>: Invalid value: <value>: <detail>`), which tools and Istio's
 * conformance data match on.
 */
export function describeSchemaIssue(issue: SchemaIssue): IssueDescription {
  const path = formatOpenApiPath(issue.p);
  const error = (code: SchemaCode, message: string): IssueDescription => ({ code, severity: "error", message });
  const invalid = (detail: string): IssueDescription =>
    error(SCHEMA_CODES.invalidValue, `${path}: Invalid value: ${formatErrorValue(issue.v)}: ${path} in body ${detail}`);
  switch (issue.k) {
    case "unknown":
      return error(SCHEMA_CODES.unknownField, unknownFieldMessage(issue));
    case "type":
      return error(SCHEMA_CODES.type, `${path}: Invalid value: ${quoteGo(String(issue.v))}: ${path} in body must be of type ${String(issue.a)}: ${quoteGo(String(issue.v))}`);
    case "format":
      return error(SCHEMA_CODES.invalidValue, `${path}: Invalid value: ${formatErrorValue(issue.v)}: ${path} in body must be of type ${String(issue.a)}: ${quoteGo(String(issue.v))}`);
    case "required":
      return error(SCHEMA_CODES.required, `${path}: Required value`);
    case "enum":
      return error(SCHEMA_CODES.unsupportedValue, `${path}: Unsupported value: ${formatErrorValue(issue.v)}: supported values: ${supportedValues(issue.a)}`);
    case "minLength":
      return invalid(`should be at least ${String(issue.a)} chars long`);
    case "maxLength":
      return error(SCHEMA_CODES.invalidValue, `${path}: Too long: may not be more than ${String(issue.a)} bytes`);
    case "pattern":
      return invalid(`should match '${String(issue.a)}'`);
    case "minimum":
      return invalid(`should be greater than${issue.b ? "" : " or equal to"} ${formatLimit(issue.a, issue.v)}`);
    case "maximum":
      return invalid(`should be less than${issue.b ? "" : " or equal to"} ${formatLimit(issue.a, issue.v)}`);
    case "multipleOf":
      return invalid(`should be a multiple of ${formatLimit(issue.a, issue.v)}`);
    case "minItems":
      return invalid(`should have at least ${String(issue.a)} items`);
    case "maxItems":
      return error(SCHEMA_CODES.invalidValue, `${path}: Too many: ${String(issue.v)}: must have at most ${String(issue.a)} items`);
    case "minProperties":
      return invalid(`should have at least ${String(issue.a)} properties`);
    case "maxProperties":
      return error(SCHEMA_CODES.invalidValue, `${path}: Too many: ${String(issue.v)}: must have at most ${String(issue.a)} items`);
    case "oneOf":
    case "anyOf":
    case "allOf":
    case "not":
      return error(SCHEMA_CODES.composition, compositionMessage(issue, path));
    case "duplicate":
      return error(SCHEMA_CODES.duplicate, `${formatFieldErrorPath(issue.p)}: Duplicate value: ${duplicateValue(issue)}`);
    case "listMapItem":
      return error(SCHEMA_CODES.invalidValue, `${formatFieldErrorPath(issue.p)}: Invalid value: ${formatErrorValue(issue.v)}: must be an object for an array of list-type map`);
    case "celRule":
      return error(SCHEMA_CODES.celRule, celRuleMessage(issue));
    case "celError":
      return error(SCHEMA_CODES.celError, `${formatFieldErrorPath(issue.p)}: Invalid value: ${quoteGo(String(issue.v))}: ${String(issue.a)}`);
    case "celSkipped":
      return { code: SCHEMA_CODES.celSkipped, severity: "info", message: CEL_SKIPPED_MESSAGE };
    default:
      return error(SCHEMA_CODES.invalidValue, `${path}: Invalid value: ${formatErrorValue(issue.v)}`);
  }
}

function unknownFieldMessage(issue: SchemaIssue): string {
  // The API server's strict field validation says `unknown field "spec.x"`; pruning would drop it silently.
  const name = issue.p[issue.p.length - 1];
  const names = Array.isArray(issue.a) ? (issue.a as string[]) : [];
  const suggestion = typeof name === "string" ? suggestFieldName(name, names) : undefined;
  const base = `unknown field ${quoteGo(formatOpenApiPath(issue.p))}`;
  return suggestion === undefined ? base : `${base}, did you mean \`${suggestion}\`?`;
}

function supportedValues(values: unknown): string {
  const list = values instanceof Set ? [...(values as Set<unknown>)] : Array.isArray(values) ? values : [];
  return list.map((v) => quoteGo(typeof v === "string" ? v : JSON.stringify(v))).join(", ");
}

/** Limits print as int64 when the value is an integer (kube-openapi MaximumNativeType), else as Go's %v of a float. */
function formatLimit(limit: unknown, value: unknown): string {
  const n = Number(limit);
  return typeof value === "number" && Number.isInteger(value) ? String(Math.trunc(n)) : formatGoFloat(n);
}

/**
 * kube-openapi's composite errors. The API server attaches them to the root (`<nil>: Invalid value: "":`),
 * which tells a reader nothing; the node's own path is used instead.
 */
function compositionMessage(issue: SchemaIssue, path: string): string {
  const quoted = quoteGo(path);
  let detail: string;
  if (issue.k === "oneOf") {
    const valid = Number(issue.a);
    detail = `${quoted} must validate one and only one schema (oneOf). ${valid === 0 ? "Found none valid" : `Found ${valid} valid alternatives`}`;
  } else if (issue.k === "anyOf") detail = `${quoted} must validate at least one schema (anyOf)`;
  else if (issue.k === "allOf") detail = `${quoted} must validate all the schemas (allOf)${issue.a ? ". None validated" : ""}`;
  else detail = `${quoted} must not validate the schema (not)`;
  return `${path}: Invalid value: "": ${detail}`;
}

function duplicateValue(issue: SchemaIssue): string {
  if (issue.a !== "map" || !Array.isArray(issue.v)) return formatErrorValue(issue.v);
  return formatGoSharpV(Object.fromEntries(issue.v as [string, unknown][]));
}

/** apiextensions fieldErrorForReason: the rule's `reason` picks the error type. */
function celRuleMessage(issue: SchemaIssue): string {
  const path = formatFieldErrorPath(issue.p);
  const detail = String(issue.a);
  switch (issue.b) {
    case "FieldValueForbidden":
      return `${path}: Forbidden: ${detail}`;
    case "FieldValueRequired":
      return `${path}: Required value: ${detail}`;
    case "FieldValueDuplicate":
      return `${path}: Duplicate value: ${quoteGo(String(issue.v))}`;
    default:
      return `${path}: Invalid value: ${quoteGo(String(issue.v))}: ${detail}`;
  }
}
