/**
 * AuthorizationPolicy string matching ([api] L379-600): exact, prefix `abc*`, suffix `*abc`, presence `*`.
 * An absent request value never matches a positive pattern.
 */
export function matchAuthzValue(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (pattern === "*") return true;
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

/** A concrete value that the pattern matches: what a probe request sends for it. */
export function sampleForPattern(pattern: string): string {
  if (pattern === "*") return "any";
  if (pattern.endsWith("*")) return `${pattern.slice(0, -1)}x`;
  if (pattern.startsWith("*")) return `x${pattern.slice(1)}`;
  return pattern;
}
