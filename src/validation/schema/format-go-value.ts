import { quoteGo } from "../../cel/quote-go.ts";

/**
 * A float the way Go's fmt prints it: `%v` switches to exponent form from 1e+06 on (`eprec` 6), `%#v`
 * from 1e+21 on. JavaScript's shortest round-trip digits are the ones Go's shortest formatting picks.
 */
export function formatGoFloat(x: number, eprec = 6): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa = "0", exponent = "0"] = x.toExponential().split("e");
  const exp = Number(exponent);
  if (exp < -4 || exp >= eprec) return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return String(x);
}

/** A JSON number as Kubernetes decodes it: integers are int64, everything else float64. */
function formatNumber(x: number, eprec: number): string {
  return Number.isInteger(x) && Math.abs(x) < 2 ** 63 ? BigInt(x).toString() : formatGoFloat(x, eprec);
}

/**
 * The bad value in an API server error (`field.Error.ErrorBody`): numbers and booleans plain, strings
 * quoted (`%q`), nil as `"null"`, anything else as Go's `%#v`.
 */
export function formatErrorValue(value: unknown): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === "string") return quoteGo(value);
  if (typeof value === "number") return formatNumber(value, 6);
  if (typeof value === "boolean") return String(value);
  return formatGoSharpV(value);
}

/** Go's `%#v` of a decoded JSON value (`map[string]interface {}{"name":"a"}`), map keys sorted like Go. */
export function formatGoSharpV(value: unknown): string {
  if (value === null || value === undefined) return "interface {}(nil)";
  if (typeof value === "string") return quoteGo(value);
  if (typeof value === "number") return formatNumber(value, 21);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map(formatGoSharpV).join(", ")}}`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[string]interface {}{${entries.map(([k, v]) => `${quoteGo(k)}:${formatGoSharpV(v)}`).join(", ")}}`;
}
