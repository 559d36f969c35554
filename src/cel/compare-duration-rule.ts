import { parseDuration } from "../mesh/parse-duration.ts";

const RULE = /^duration\(self\)\s*(>=|>|<=|<)\s*duration\('([^'\\]*)'\)$/;
const forms = new Map<string, { op: string; bound: bigint } | null>();

/**
 * A native evaluation of the commonest CRD rule form, `duration(self) >= duration('1ms')` (about 400
 * of Istio's rules), which the interpreter would otherwise run for every duration field. It answers only
 * when both sides parse as durations; anything else (errors and their exact texts included) is left to
 * CEL, so results are the interpreter's by construction. A test checks the two agree.
 */
export function compareDurationRule(rule: string, self: unknown): boolean | undefined {
  let form = forms.get(rule);
  if (form === undefined) {
    const m = RULE.exec(rule.trim());
    const bound = m ? parseDuration(m[2] ?? "") : undefined;
    form = m && bound && "nanos" in bound ? { op: m[1] ?? ">=", bound: bound.nanos } : null;
    forms.set(rule, form);
  }
  if (form === null || typeof self !== "string") return undefined;
  const value = parseDuration(self);
  if (!("nanos" in value)) return undefined;
  switch (form.op) {
    case ">=":
      return value.nanos >= form.bound;
    case ">":
      return value.nanos > form.bound;
    case "<=":
      return value.nanos <= form.bound;
    default:
      return value.nanos < form.bound;
  }
}
