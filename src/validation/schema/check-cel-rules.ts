import { compileCel, type CompiledCel } from "../../cel/cel-environment.ts";
import { describeCelError } from "../../cel/describe-cel-error.ts";
import { compareDurationRule } from "../../cel/compare-duration-rule.ts";
import { CRD_RULE_SETS, CRD_RULES, type CrdRule, type PathSegment, type RuleSite, type SchemaIssue } from "../../generated/crd-validators.js";

/**
 * Evaluates the `x-kubernetes-validations` rules at the sites the schema walk recorded, as the API
 * server's CEL validator does on create: transition rules (`oldSelf`) are skipped, a false result
 * reports the rule's message, an evaluation error reports `<error> evaluating rule: <rule>`.
 */
export function checkCelRules(sites: readonly RuleSite[]): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  for (const [setIndex, data, path] of sites) {
    if (setIndex < 0) continue; // a node whose rules all held natively
    const set = CRD_RULE_SETS[setIndex];
    if (!set) continue;
    const self = set.c ? set.c(data) : data;
    for (const [i, ruleIndex] of set.r.entries()) {
      // A native predicate's `true` is cel-js's answer (see compile-native-rule.ts); anything else asks CEL.
      if (set.n[i]?.(data) === true) continue;
      const rule = CRD_RULES[ruleIndex];
      const issue = rule ? checkRule(rule, self, path, set.t) : undefined;
      if (issue) issues.push(issue);
    }
  }
  return issues;
}

function checkRule(rule: CrdRule, self: unknown, path: PathSegment[], type: string): SchemaIssue | undefined {
  const fast = compareDurationRule(rule.rule, self);
  if (fast === true) return undefined;
  if (fast === false) return { k: "celRule", p: [...path, ...fieldPathSegments(rule.fieldPath)], v: type, a: failureMessage(rule, self), b: rule.reason };
  let program: CompiledCel;
  try {
    program = compileCel(rule.rule);
  } catch (error) {
    return { k: "celError", p: path, v: type, a: `rule compile error: ${describeCelError(error)}` };
  }
  if (program.references.has("oldSelf")) return undefined;
  let result: unknown;
  try {
    result = program.evaluate({ self });
  } catch (error) {
    return { k: "celError", p: path, v: type, a: evaluationErrorText(error, rule) };
  }
  if (result === true) return undefined;
  return { k: "celRule", p: [...path, ...fieldPathSegments(rule.fieldPath)], v: type, a: failureMessage(rule, self), b: rule.reason };
}

function evaluationErrorText(error: unknown, rule: CrdRule): string {
  const text = describeCelError(error);
  if (text.startsWith("no such overload")) {
    return `'${text}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`;
  }
  return `${text} evaluating rule: ${ruleErrorString(rule)}`;
}

function ruleErrorString(rule: CrdRule): string {
  return rule.message?.trim() ? rule.message.trim() : rule.rule.trim();
}

function failureMessage(rule: CrdRule, self: unknown): string {
  if (rule.messageExpression) {
    try {
      const text = compileCel(rule.messageExpression).evaluate({ self });
      if (typeof text === "string" && text.trim() !== "" && !text.includes("\n")) return text;
    } catch {
      // The API server falls back to the static message when messageExpression fails.
    }
  }
  return rule.message?.trim() ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;
}

/** A rule's `fieldPath` (`.spec.ports`, `['a.b']`, `[0]`) as path steps below the rule's node. */
function fieldPathSegments(fieldPath: string | undefined): PathSegment[] {
  if (!fieldPath) return [];
  const out: PathSegment[] = [];
  for (const m of fieldPath.matchAll(/\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(m[2]);
    else if (m[3] !== undefined) out.push(Number(m[3]));
  }
  return out;
}
