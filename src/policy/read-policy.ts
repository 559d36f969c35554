import { parse } from "yaml";
import { isObject, type JsonObject, readArray, readString } from "../mesh/json.ts";
import type { Policy, PolicyRule } from "./policy.ts";

/** A policy file that cannot be used: the message says which field is wrong. */
export class PolicyError extends Error {
  override readonly name = "PolicyError";
}

const SEVERITIES = new Set(["error", "warning", "info"]);

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
    parameters: isObject(data.parameters) ? (data.parameters as JsonObject) : {},
    rules,
  };
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
