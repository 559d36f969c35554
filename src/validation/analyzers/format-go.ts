/**
 * Formats like Go's fmt for the verbs Istio's message templates use: %s, %v, %d, %q. Lists print the Go
 * way (`[a b]`), %q quotes like strconv.Quote, so texts match `istioctl analyze` byte for byte.
 */
export function formatGo(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%[svdq%]/g, (verb) => {
    if (verb === "%%") return "%";
    const arg = args[i++];
    if (verb === "%q") return quoteGo(arg);
    return formatValue(arg);
  });
}

function formatValue(arg: unknown): string {
  if (Array.isArray(arg)) return `[${arg.map(formatValue).join(" ")}]`;
  if (arg === undefined) return "%!v(MISSING)";
  return String(arg);
}

function quoteGo(arg: unknown): string {
  if (Array.isArray(arg)) return `[${arg.map(quoteGo).join(" ")}]`;
  return JSON.stringify(String(arg));
}
