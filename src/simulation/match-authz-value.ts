export interface MatchOptions {
  /** `hosts`: "The match is case-insensitive" ([api] Operation.hosts). */
  readonly ignoreCase?: boolean;
  /** `paths`: `{*}` and `{**}` templates are allowed ([api] L565-584). */
  readonly pathTemplate?: boolean;
}

/**
 * AuthorizationPolicy string matching ([api] L379-600): exact, prefix `abc*`, suffix `*abc`, presence `*`
 * ("will match when value is not empty"). An absent request value never matches a positive pattern.
 */
export function matchAuthzValue(pattern: string, value: string | undefined, options: MatchOptions = {}): boolean {
  if (value === undefined) return false;
  if (options.ignoreCase) return matchAuthzValue(pattern.toLowerCase(), value.toLowerCase(), { ...options, ignoreCase: false });
  if (options.pathTemplate && /\{\*\*?\}/.test(pattern)) return templateRegExp(pattern).test(value);
  if (pattern === "*") return value !== "";
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

/**
 * A path template as Envoy's URI template matcher reads it: `{*}` is exactly one path segment, `{**}`
 * (only last) zero or more. Everything else is literal, so it is escaped before the RegExp is built.
 */
function templateRegExp(pattern: string): RegExp {
  const source = pattern
    .split(/(\{\*\*?\})/)
    .map((part) => (part === "{*}" ? "[^/]+" : part === "{**}" ? ".*" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
}

/** A concrete value that the pattern matches: what a probe request sends for it. */
export function sampleForPattern(pattern: string): string {
  if (/\{\*\*?\}/.test(pattern)) return pattern.replace(/\{\*\*?\}/g, "x");
  if (pattern === "*") return "any";
  if (pattern.endsWith("*")) return `${pattern.slice(0, -1)}x`;
  if (pattern.startsWith("*")) return `x${pattern.slice(1)}`;
  return pattern;
}
