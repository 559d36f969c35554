/** A Go duration in nanoseconds, or why Go's `time.ParseDuration` rejects the text. */
export type ParsedDuration = { readonly nanos: bigint } | { readonly error: string };

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  "µs": 1_000n, // U+00B5 micro sign
  "μs": 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = 9_223_372_036_854_775_807n;
const COMPONENT = /^(\d*)(?:\.(\d*))?([^\d.]*)/;

/**
 * Parses a duration exactly as Go's `time.ParseDuration` does ("300ms", "1.5s", "1h30m", "-2s", "0"),
 * which is how Istio reads every duration field of its CRDs. Nanoseconds are a bigint because Go keeps
 * them in an int64, beyond what a double holds exactly, and "whole milliseconds" checks need exactness.
 */
export function parseDuration(text: string): ParsedDuration {
  const invalid = { error: `time: invalid duration "${text}"` };
  let rest = text;
  let negative = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    negative = rest.startsWith("-");
    rest = rest.slice(1);
  }
  if (rest === "0") return { nanos: 0n };
  if (rest === "") return invalid;
  let total = 0n;
  while (rest !== "") {
    const m = COMPONENT.exec(rest);
    const whole = m?.[1] ?? "";
    const fraction = m?.[2];
    const unitName = m?.[3] ?? "";
    if (!m || (whole === "" && (fraction === undefined || fraction === ""))) return invalid;
    if (unitName === "") return { error: `time: missing unit in duration "${text}"` };
    const unit = UNITS[unitName];
    if (unit === undefined) return { error: `time: unknown unit "${unitName}" in duration "${text}"` };
    let value = BigInt(whole === "" ? "0" : whole) * unit;
    if (fraction) value += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
    total += value;
    if (total > MAX_INT64 + (negative ? 1n : 0n)) return invalid;
    rest = rest.slice(m[0].length);
  }
  return { nanos: negative ? -total : total };
}
