/**
 * Go's `%v` for a float64: shortest representation, exponent form (two-digit exponent at least) below
 * 1e-4 and from 1e21 up, so numbers in messages read as Istio prints them.
 */
export function formatGoFloat(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    return value.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  return String(value);
}

/** Go's `%f`: six decimals. */
export function formatGoFixed(value: number): string {
  return value.toFixed(6);
}
