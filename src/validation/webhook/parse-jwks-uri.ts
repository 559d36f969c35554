/**
 * `security.ParseJwksURI` over Go's `url.Parse`: the checks that can fail for a jwksUri. Returns Go's
 * error text, or undefined when the URI is usable (scheme http or https, numeric port if any).
 */
export function checkJwksUri(uri: string): string | undefined {
  if (/[\u0000-\u001F\u007F]/.test(uri)) return `parse ${JSON.stringify(uri)}: net/url: invalid control character in URL`;
  const scheme = schemeOf(uri);
  if (scheme === undefined) return `parse ${JSON.stringify(uri)}: missing protocol scheme`;
  const lower = scheme.toLowerCase();
  if (lower !== "http" && lower !== "https") return `URI scheme ${JSON.stringify(lower)} is not supported`;
  const rest = uri.slice(scheme.length + 1);
  if (!rest.startsWith("//")) return undefined;
  const authority = rest.slice(2).split(/[/?#]/, 1)[0] ?? "";
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  const colon = hostPort.lastIndexOf(":");
  const port = colon >= 0 && !hostPort.slice(colon).includes("]") ? hostPort.slice(colon + 1) : "";
  if (port !== "" && !/^\d+$/.test(port)) return `parse ${JSON.stringify(uri)}: invalid port ${JSON.stringify(`:${port}`)} after host`;
  return undefined;
}

/** Go's `getScheme`: "" when there is no scheme, undefined when the text starts with `:`. */
function schemeOf(uri: string): string | undefined {
  for (let i = 0; i < uri.length; i++) {
    const c = uri[i] ?? "";
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return "";
      continue;
    }
    if (c === ":") return i === 0 ? undefined : uri.slice(0, i);
    return "";
  }
  return "";
}
