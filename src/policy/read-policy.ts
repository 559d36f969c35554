import { parse } from "yaml";
import { formatFieldPath } from "../mesh/field-path.ts";
import { isObject, type JsonObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import { checkJsonSchema } from "./check-json-schema.ts";
import type { Policy, PolicyRule } from "./policy.ts";

/** A policy file that cannot be used: the message says which field is wrong. */
export class PolicyError extends Error {
  override readonly name = "PolicyError";
}

const SEVERITIES = new Set(["error", "warning", "info"]);
/** The keywords checkJsonSchema applies: a parameter schema using any other would be silently ignored. */
const SCHEMA_KEYWORDS = new Set(["type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "minLength", "pattern", "format", "items", "minItems", "properties", "required", "additionalProperties", "oneOf", "description", "default", "title"]);
const TYPES = new Set(["number", "integer", "string", "boolean", "array", "object"]);
/** Keys `.meshgate.yaml` uses beside the parameters of a policy. */
const RESERVED = new Set(["severity", "off", "exempt"]);

/** Reads one `policy.yaml`. Throws PolicyError naming the file and the field at fault. */
export function readPolicy(path: string, text: string): Policy {
  const data: unknown = parse(text);
  const fail = (why: string): never => {
    throw new PolicyError(`${path}: ${why}`);
  };
  if (!isObject(data)) return fail("not a YAML mapping");
  const str = (key: string): string => readString(data[key]) ?? fail(`\`${key}\` must be a string`);
  const severity = str("severity");
  if (!SEVERITIES.has(severity)) fail("`severity` must be error, warning or info");
  const code = str("code");
  if (!/^MG5\d{3}$/.test(code)) fail("`code` must be MG5xxx");
  const kinds = readArray(data.kinds).filter((k): k is string => typeof k === "string");
  if (kinds.length === 0) fail("`kinds` must list at least one kind");
  const rules = readArray(data.rules).map((r, i) => readRule(r, `rules[${i}]`, fail));
  if (rules.length === 0) fail("`rules` must hold at least one rule");
  return {
    id: str("id"),
    code,
    title: str("title"),
    severity: severity as Policy["severity"],
    description: str("description").trim(),
    kinds,
    ...readParameters(data.parameters, fail),
    rules,
  };
}

/**
 * `parameters`: each a JSON Schema with a `default` (`maxStep: {type: number, maximum: 100, default: 20}`).
 * The default must satisfy its own schema, so a policy never starts from a value `.meshgate.yaml` could not set.
 */
function readParameters(value: unknown, fail: (why: string) => never): Pick<Policy, "parameters" | "parameterSchemas"> {
  if (value === undefined || value === null) return { parameters: {}, parameterSchemas: {} };
  if (!isObject(value)) return fail("`parameters` must be a mapping of name to schema");
  const parameters: JsonObject = {};
  const parameterSchemas: Record<string, JsonObject> = {};
  for (const [name, schema] of Object.entries(value)) {
    const where = `parameters.${name}`;
    if (RESERVED.has(name)) fail(`\`${where}\`: ${[...RESERVED].join(", ")} are settings of every policy, not parameter names`);
    if (!isObject(schema)) return fail(`\`${where}\` must be a schema (\`type\`, \`default\`, ...)`);
    if (typeof schema.type !== "string" && !Array.isArray(schema.enum)) fail(`\`${where}\` needs a \`type\` or an \`enum\``);
    if (typeof schema.type === "string" && !TYPES.has(schema.type)) fail(`\`${where}.type\` must be one of ${[...TYPES].join(", ")}`);
    const unsupported = unsupportedKeyword(schema, [name]);
    if (unsupported) fail(`\`parameters.${formatFieldPath(unsupported)}\` is not a keyword meshgate checks`);
    if (!("default" in schema)) fail(`\`${where}\` needs a \`default\``);
    const issue = checkJsonSchema(schema, schema.default as JsonValue, [name])[0];
    if (issue) fail(`the default of \`parameters.${name}\` breaks its own schema: ${formatFieldPath(issue.path)} ${issue.message}`);
    parameters[name] = schema.default as JsonValue;
    parameterSchemas[name] = schema;
  }
  return { parameters, parameterSchemas };
}

/** The path of the first keyword checkJsonSchema would not apply, in a schema and the schemas nested in it. */
function unsupportedKeyword(schema: JsonObject, path: readonly (string | number)[]): (string | number)[] | undefined {
  for (const [key, sub] of Object.entries(schema)) {
    if (!SCHEMA_KEYWORDS.has(key)) return [...path, key];
    const nested: [string | number, JsonValue][] =
      key === "items" || key === "additionalProperties" ? [[key, sub]] : key === "properties" && isObject(sub) ? Object.entries(sub).map(([k, v]) => [`properties.${k}`, v]) : key === "oneOf" ? readArray(sub).map((v, i) => [`oneOf[${i}]`, v]) : [];
    for (const [k, v] of nested) {
      const found = isObject(v) ? unsupportedKeyword(v, [...path, k]) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

function readRule(value: unknown, where: string, fail: (why: string) => never): PolicyRule {
  if (!isObject(value)) return fail(`${where} must be a mapping`);
  const builtin = readString(value.builtin);
  if (builtin) return { kind: "builtin", name: builtin };
  const expression = readString(value.cel) ?? fail(`${where} needs \`cel\` or \`builtin\``);
  const message = readString(value.message) ?? fail(`${where}.message must be a string`);
  const path = (readString(value.path) ?? "spec").split(".");
  return { kind: "cel", expression, message, path };
}
