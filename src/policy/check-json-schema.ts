import type { FieldPath } from "../mesh/field-path.ts";
import { isObject, type JsonValue } from "../mesh/json.ts";
import { suggestFieldName } from "../validation/schema/suggest-field-name.ts";

/** One place where data breaks its schema. */
export interface SchemaIssue {
  readonly path: FieldPath;
  readonly message: string;
}

type Schema = { readonly [key: string]: JsonValue };

function typeOf(v: JsonValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(expected: string, v: JsonValue): boolean {
  const actual = typeOf(v);
  return expected === actual || (expected === "number" && actual === "integer");
}

/**
 * Checks plain data against the JSON Schema subset meshgate publishes for `.meshgate.yaml` (type,
 * properties, required, additionalProperties, enum, const, oneOf, items, lengths, pattern, bounds, and
 * the formats `uri` and `date`, and `$ref`s within the schema).
 * The published schema is the single source: editors autocomplete from it, this walks it at run time.
 */
export function checkJsonSchema(schema: Schema, value: JsonValue, path: FieldPath = [], root: Schema = schema): SchemaIssue[] {
  if (typeof schema.$ref === "string") return checkJsonSchema(resolveRef(root, schema.$ref), value, path, root);
  if (Array.isArray(schema.oneOf)) {
    const options = schema.oneOf.filter(isObject).map((s) => checkJsonSchema(s, value, path, root));
    if (options.some((o) => o.length === 0)) return [];
    // Report against the option the value was meant for: the one whose shape it has (no issue at this very path).
    const shaped = options.filter((o) => !o.some((i) => i.path.length === path.length));
    return (shaped.length > 0 ? shaped : options).reduce((a, b) => (b.length < a.length ? b : a));
  }
  if ("const" in schema && value !== schema.const) return [{ path, message: `must be ${JSON.stringify(schema.const)}` }];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return [{ path, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}` }];
  if (typeof schema.type === "string" && !typeMatches(schema.type, value)) return [{ path, message: `must be ${schema.type === "object" ? "a mapping" : schema.type === "array" ? "a list" : `a ${schema.type}`}` }];
  const issues: SchemaIssue[] = [];
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) issues.push({ path, message: "must not be empty" });
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value)) issues.push({ path, message: `must match ${schema.pattern}` });
    if (schema.format === "uri" && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value)) issues.push({ path, message: "must be a URL" });
    if (schema.format === "date" && !isDate(value)) issues.push({ path, message: "must be a date, YYYY-MM-DD" });
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) issues.push({ path, message: `must be at least ${schema.minimum}` });
    if (typeof schema.maximum === "number" && value > schema.maximum) issues.push({ path, message: `must be at most ${schema.maximum}` });
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) issues.push({ path, message: `must be more than ${schema.exclusiveMinimum}` });
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) issues.push({ path, message: `must have at least ${schema.minItems} item(s)` });
    if (isObject(schema.items)) value.forEach((item, i) => issues.push(...checkJsonSchema(schema.items as Schema, item, [...path, i], root)));
  }
  if (isObject(value)) {
    const props = isObject(schema.properties) ? schema.properties : {};
    for (const key of Array.isArray(schema.required) ? schema.required : []) {
      if (typeof key === "string" && !(key in value)) issues.push({ path, message: `needs \`${key}\`` });
    }
    for (const [key, v] of Object.entries(value)) {
      const sub = props[key];
      if (isObject(sub)) issues.push(...checkJsonSchema(sub, v, [...path, key], root));
      else if (isObject(schema.additionalProperties)) issues.push(...checkJsonSchema(schema.additionalProperties, v, [...path, key], root));
      else if (schema.additionalProperties === false) issues.push({ path: [...path, key], message: `unknown field \`${key}\`${suggest(key, Object.keys(props))}` });
    }
  }
  return issues;
}

function suggest(key: string, names: readonly string[]): string {
  const best = suggestFieldName(key, names);
  return best ? `; did you mean \`${best}\`?` : "";
}

/** JSON Schema's `date` format (RFC 3339 full-date): a day that exists, so 2027-02-31 is refused. */
function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years below 100 as 19xx
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A local `$ref` (`#/definitions/severity`): the published schema names a shared part once. */
function resolveRef(root: Schema, ref: string): Schema {
  let node: JsonValue = root;
  for (const part of ref.replace(/^#\/?/, "").split("/").filter((p) => p !== "")) {
    node = isObject(node) ? (node[part.replace(/~1/g, "/").replace(/~0/g, "~")] ?? null) : null;
  }
  if (!isObject(node)) throw new Error(`JSON Schema $ref ${ref} does not resolve`);
  return node;
}
