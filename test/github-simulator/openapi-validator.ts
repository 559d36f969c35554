// Validates the simulator's responses and webhook payloads against GitHub's official OpenAPI description
// (@octokit/openapi), so the simulator cannot drift into answering what a test wants (issue 4, section 3).
// The dereferenced description is ~70 MB: it is parsed once, on first use, and only the schemas actually
// needed are converted and compiled, cached per operation + status (and per webhook).
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { isObject } from "../../src/mesh/json.ts";
import type { JsonObject, JsonValue } from "../../src/mesh/json.ts";

const DESCRIPTION_URL = new URL("../../node_modules/@octokit/openapi/generated/api.github.com.deref.json", import.meta.url);

// Parameters GitHub lets span several path segments: file paths, refs such as `heads/feature/x`,
// branch names with slashes, and `base...head` where both may be such branch names.
const MULTI_SEGMENT_PARAMETERS = new Set(["path", "ref", "basehead", "branch", "dir"]);

// Statuses GitHub answers on any route (auth, permissions, rate limits, missing resources, validation,
// outages) without the description listing them per operation. Their body is GitHub's "Basic Error".
const BASIC_ERROR_SCHEMA = {
  type: "object",
  // The description's Basic Error marks nothing required; every error body GitHub sends has a message.
  required: ["message"],
  properties: { message: { type: "string" }, documentation_url: { type: "string" }, status: { type: "string" } },
};

const MAX_ERRORS = 20;

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly operationId: string;
  readonly segments: readonly SegmentMatcher[];
  readonly responses: JsonObject;
}

type SegmentMatcher =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "parameter"; readonly multi: boolean }
  | { readonly kind: "mixed"; readonly pattern: RegExp };

interface Webhook {
  readonly key: string;
  readonly event: string;
  /** The allowed `action` values; "any" when the payload has a free-form action (repository_dispatch). */
  readonly actions: readonly string[] | "any";
  readonly schema: JsonValue;
}

interface Description {
  readonly operations: readonly Operation[];
  readonly webhooks: readonly Webhook[];
}

let description: Description | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction | null>();

/** The operation a concrete request path (query string allowed) resolves to, or undefined if GitHub has no such route. */
export function findOperation(method: string, path: string): { operationId: string; template: string } | undefined {
  const operation = matchOperation(method, path);
  return operation && { operationId: operation.operationId, template: operation.template };
}

/**
 * Errors in a response against the operation's documented response schema; [] when valid.
 * Non-JSON answers (raw media types) and documented statuses without a schema (204, 302) are not checked;
 * a 2xx on a route GitHub does not have, or with a status the operation does not document, is an error.
 */
export function validateResponse(r: {
  method: string;
  path: string;
  status: number;
  body: unknown;
  contentType?: string;
}): string[] {
  const operation = matchOperation(r.method, r.path);
  const success = r.status >= 200 && r.status < 300;
  if (!operation) return success ? [`${r.method.toUpperCase()} ${r.path}: no such operation in GitHub's API`] : [];
  const mediaType = r.contentType?.split(";")[0]?.trim().toLowerCase();
  const label = `${operation.operationId} ${r.status}`;
  const response = documentedResponse(operation, r.status);
  if (response === undefined) {
    if (success) return [`${label}: status ${r.status} is not documented (documented: ${Object.keys(operation.responses).join(", ")})`];
    if (r.status < 400 || (mediaType !== undefined && !isJsonContentType(mediaType))) return [];
    return validateWith(compileCached("basic-error", () => BASIC_ERROR_SCHEMA), label, r.body);
  }
  const documented = mediaType !== undefined && documentedMediaTypes(response).includes(mediaType);
  // A media type the operation documents (application/vnd.github.object) is checked against its own schema;
  // any other JSON against the application/json schema; raw and diff media types are not checked.
  if (mediaType !== undefined && !documented && !isJsonContentType(mediaType)) return [];
  const chosen = documented ? mediaType : undefined;
  const key = `${operation.method} ${operation.template} ${r.status} ${chosen ?? "json"}`;
  return validateWith(compileCached(key, () => schemaOf(response, chosen)), label, r.body);
}

/** Errors in a webhook payload against the description's webhook for this event (X-GitHub-Event) and action. */
export function validateWebhookPayload(event: string, action: string | undefined, payload: unknown): string[] {
  const webhook = loadDescription().webhooks.find(
    (w) =>
      w.event === event &&
      (action === undefined ? w.actions.length === 0 : w.actions === "any" || w.actions.includes(action)),
  );
  const name = action === undefined ? event : `${event}.${action}`;
  if (!webhook) return [`${name}: no such webhook in GitHub's description`];
  const validate = compileCached(`webhook ${webhook.key}`, () => webhook.schema);
  return validateWith(validate, `webhook ${webhook.key}`, payload);
}

function validateWith(validate: ValidateFunction | null, label: string, body: unknown): string[] {
  if (validate === null) return [];
  let value = body;
  if (typeof body === "string") {
    try {
      value = JSON.parse(body);
    } catch {
      return [`${label}: body is not JSON`];
    }
  }
  if (validate(value)) return [];
  const errors = closestBranchErrors(validate.errors ?? []);
  const messages = [...new Set(errors.map((e) => `${label}: ${e.instancePath || "/"} ${describeError(e)}`))];
  return messages.length > MAX_ERRORS
    ? [...messages.slice(0, MAX_ERRORS), `${label}: ... and ${messages.length - MAX_ERRORS} more`]
    : messages;
}

function describeError(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === "enum") return `${e.message} (${JSON.stringify(params["allowedValues"])})`;
  if (e.keyword === "format") return `${e.message}`;
  return e.message ?? e.keyword;
}

// With allErrors, a failed oneOf/anyOf reports every branch's errors. Keep only the branch that came closest:
// the one of the value's own type (an object is not measured against the array branch) with the fewest
// errors. That is the shape the response was meant to have.
function closestBranchErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const WRONG_TYPE = 1000;
  let kept = [...errors];
  for (const combinator of errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf")) {
    const prefix = combinator.schemaPath.replace(/\/(oneOf|anyOf)$/, `/${combinator.keyword}/`);
    const branches = new Map<string, number>();
    for (const e of kept) {
      const branch = e.schemaPath.startsWith(prefix) ? e.schemaPath.slice(prefix.length).split("/")[0] : undefined;
      const cost = e.keyword === "type" && e.instancePath === combinator.instancePath ? WRONG_TYPE : 1;
      if (branch !== undefined) branches.set(branch, (branches.get(branch) ?? 0) + cost);
    }
    if (branches.size === 0) continue;
    const [best] = [...branches].sort((a, b) => a[1] - b[1])[0] ?? [];
    kept = kept.filter((e) => !e.schemaPath.startsWith(prefix) || e.schemaPath.startsWith(`${prefix}${best}/`));
  }
  return kept;
}

function documentedResponse(operation: Operation, status: number): JsonObject | undefined {
  const responses = operation.responses;
  const response = responses[String(status)] ?? responses[`${Math.floor(status / 100)}XX`] ?? responses["default"];
  return isObject(response) ? response : undefined;
}

function documentedMediaTypes(response: JsonObject): string[] {
  const content = response["content"];
  return isObject(content) ? Object.keys(content) : [];
}

/** The response's schema for a media type (default: its JSON one) as JSON Schema, or null when it has none. */
function schemaOf(response: JsonObject, mediaType: string | undefined): JsonValue | null {
  const content = response["content"];
  if (!isObject(content)) return null;
  const media = mediaType === undefined ? Object.entries(content).find(([type]) => isJsonContentType(type))?.[1] : content[mediaType];
  return isObject(media) && media["schema"] !== undefined ? toJsonSchema(media["schema"]) : null;
}

function isJsonContentType(mediaType: string): boolean {
  return mediaType === "application/json" || mediaType.endsWith("+json");
}

function compileCached(key: string, schemaOf: () => JsonValue | null | object): ValidateFunction | null {
  let validate = compiled.get(key);
  if (validate === undefined) {
    const schema = schemaOf();
    validate = schema === null ? null : getAjv().compile(schema as object);
    compiled.set(key, validate);
  }
  return validate;
}

function getAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(ajv);
  }
  return ajv;
}

// Annotations of OpenAPI 3.0 that JSON Schema does not need; dropping them keeps compiled code small.
const DROPPED_KEYWORDS = new Set(["example", "examples", "discriminator", "xml", "externalDocs", "description", "title"]);

/** OpenAPI 3.0 schema → JSON Schema: `nullable: true` becomes a "null" type (or an anyOf with null). */
function toJsonSchema(schema: JsonValue): JsonValue {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith("x-") || key === "nullable") continue;
    if (key === "properties" && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, toJsonSchema(s)]));
    } else if (key === "enum" || key === "required" || key === "default" || key === "const") {
      out[key] = value;
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (schema["nullable"] !== true) return out;
  const type = out["type"];
  if (typeof type === "string") {
    out["type"] = [type, "null"];
    const values = out["enum"];
    if (Array.isArray(values) && !values.includes(null)) out["enum"] = [...values, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

function matchOperation(method: string, rawPath: string): Operation | undefined {
  const wanted = method.toLowerCase() === "head" ? "get" : method.toLowerCase();
  const segments = segmentsOf(rawPath.split(/[?#]/)[0] ?? "");
  let best: { operation: Operation; score: readonly number[] } | undefined;
  for (const operation of loadDescription().operations) {
    if (operation.method !== wanted) continue;
    const spanned = matchSegments(operation.segments, segments);
    if (spanned === undefined) continue;
    // Prefer literal segments over parameters (`/pulls/{n}/files` over a parameter in that place), then
    // parameters spanning fewer extra segments; ties keep the description's order (its canonical route
    // `compare/{basehead}` comes before the legacy `compare/{base}...{head}` Octokit appends).
    const literals = operation.segments.filter((s) => s.kind === "literal").length;
    const score = [literals, -spanned];
    if (!best || compareScores(score, best.score) > 0) best = { operation, score };
  }
  return best?.operation;
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** Extra segments consumed by multi-segment parameters when the path matches, else undefined. */
function matchSegments(matchers: readonly SegmentMatcher[], segments: readonly string[], m = 0, s = 0): number | undefined {
  if (m === matchers.length) return s === segments.length ? 0 : undefined;
  const matcher = matchers[m];
  const segment = segments[s];
  // `contents/` with an empty path is the repository's root directory (what Octokit asks for path "").
  const isLast = m === matchers.length - 1 && s === segments.length - 1;
  if (matcher?.kind === "parameter" && matcher.multi && segment === "" && isLast) return 0;
  if (matcher === undefined || segment === undefined || segment === "") return undefined;
  if (matcher.kind === "literal") return matcher.text === segment ? matchSegments(matchers, segments, m + 1, s + 1) : undefined;
  if (matcher.kind === "mixed") return matcher.pattern.test(segment) ? matchSegments(matchers, segments, m + 1, s + 1) : undefined;
  const maxTaken = matcher.multi ? segments.length - s - (matchers.length - m - 1) : 1;
  for (let taken = 1; taken <= maxTaken; taken++) {
    if (segments.slice(s, s + taken).includes("")) break;
    const rest = matchSegments(matchers, segments, m + 1, s + taken);
    if (rest !== undefined) return rest + taken - 1;
  }
  return undefined;
}

function segmentsOf(path: string): string[] {
  return path === "/" ? [] : path.split("/").slice(1);
}

function compileTemplate(template: string): SegmentMatcher[] {
  return segmentsOf(template).map((segment): SegmentMatcher => {
      const whole = /^\{([^}]+)\}$/.exec(segment);
      if (whole) return { kind: "parameter", multi: MULTI_SEGMENT_PARAMETERS.has(whole[1] ?? "") };
      if (!segment.includes("{")) return { kind: "literal", text: segment };
      const pattern = segment
        .split(/(\{[^}]+\})/)
        .map((part) => (part.startsWith("{") ? ".+?" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("");
      return { kind: "mixed", pattern: new RegExp(`^${pattern}$`) };
    });
}

function loadDescription(): Description {
  if (description) return description;
  const document: unknown = JSON.parse(readFileSync(DESCRIPTION_URL, "utf8"));
  if (!isObject(document) || !isObject(document["paths"])) throw new Error(`${DESCRIPTION_URL.pathname}: no paths`);
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document["paths"])) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!isObject(op) || typeof op["operationId"] !== "string" || !isObject(op["responses"])) continue;
      operations.push({ method, template, operationId: op["operationId"], segments: compileTemplate(template), responses: op["responses"] });
    }
  }
  // OpenAPI 3.1 calls the section `webhooks`; the 3.0 description GitHub publishes uses `x-webhooks`.
  const hooks = document["webhooks"] ?? document["x-webhooks"];
  const webhooks = isObject(hooks) ? Object.entries(hooks).flatMap(([key, item]) => readWebhook(key, item)) : [];
  description = { operations, webhooks };
  return description;
}

function readWebhook(key: string, item: JsonValue): Webhook[] {
  const post = isObject(item) ? item["post"] : undefined;
  if (!isObject(post)) return [];
  const body = post["requestBody"];
  const content = isObject(body) ? body["content"] : undefined;
  const media = isObject(content) ? content["application/json"] : undefined;
  const meta = post["x-github"];
  const subcategory = isObject(meta) ? meta["subcategory"] : undefined;
  if (!isObject(media) || media["schema"] === undefined || typeof subcategory !== "string") return [];
  // The event name as sent in X-GitHub-Event: a few subcategories are spelled with dashes
  // (`custom-property-values`, `sub-issues`) where the header has underscores.
  const event = subcategory.replaceAll("-", "_");
  const raw = media["schema"];
  return [{ key, event, actions: actionsOf(raw), schema: toJsonSchema(raw) }];
}

/** The `action` values a webhook schema allows (looking into oneOf branches, as pull-request-review-requested has). */
function actionsOf(schema: JsonValue): string[] | "any" {
  if (!isObject(schema)) return [];
  const properties = schema["properties"];
  const action = isObject(properties) ? properties["action"] : undefined;
  if (isObject(action) && !Array.isArray(action["enum"])) return "any";
  const values = isObject(action) && Array.isArray(action["enum"]) ? action["enum"] : [];
  const branches = ["oneOf", "anyOf", "allOf"].flatMap((k) => {
    const list = schema[k];
    return Array.isArray(list) ? list.flatMap((branch) => actionsOrNone(actionsOf(branch))) : [];
  });
  return [...new Set([...values.filter((v): v is string => typeof v === "string"), ...branches])];
}

function actionsOrNone(actions: string[] | "any"): string[] {
  return actions === "any" ? [] : actions;
}
