import { quoteGo } from "./quote-go.ts";

/** The parts of a URL as Go's `net/url` splits them (the Kubernetes CEL URL library exposes these). */
export interface GoUrl {
  readonly scheme: string;
  readonly opaque: string;
  readonly host: string;
  readonly path: string;
  /** The path as written (still percent-encoded), what Go's `EscapedPath()` returns for valid input. */
  readonly escapedPath: string;
  readonly rawQuery: string;
  readonly fragment: string;
}

/** A URL Go would refuse, with Go's error text (`parse "x": invalid URI for request`). */
export class GoUrlError extends Error {
  override readonly name = "GoUrlError";
}

/**
 * Parses like Go's `url.ParseRequestURI` (absolute URI or absolute path, no fragment), which the
 * Kubernetes `url()` and `isURL()` CEL functions use; then splits off a fragment like `url.Parse`.
 * See https://pkg.go.dev/net/url#ParseRequestURI and k8s.io/apiserver/pkg/cel/library/urls.go.
 */
export function parseGoUrl(raw: string): GoUrl {
  parseGo(raw, true); // validates; Kubernetes then re-parses with url.Parse to keep the fragment apart
  const hash = raw.indexOf("#");
  const parsed = parseGo(hash < 0 ? raw : raw.slice(0, hash), false);
  return { ...parsed, fragment: hash < 0 ? "" : raw.slice(hash + 1) };
}

export function isGoRequestUri(raw: string): boolean {
  try {
    parseGo(raw, true);
    return true;
  } catch {
    return false;
  }
}

function parseGo(raw: string, viaRequest: boolean): GoUrl {
  const fail = (reason: string): never => {
    throw new GoUrlError(`parse ${quoteGo(raw)}: ${reason}`);
  };
  if (/[\x00-\x1f\x7f]/.test(raw)) fail("net/url: invalid control character in URL");
  if (raw === "" && viaRequest) fail("empty url");
  if (raw === "*") return { scheme: "", opaque: "", host: "", path: "*", escapedPath: "*", rawQuery: "", fragment: "" };

  const [schemeRaw, afterScheme] = splitScheme(raw, fail);
  const scheme = schemeRaw.toLowerCase();
  let rest = afterScheme;
  let rawQuery = "";
  if (rest.endsWith("?") && rest.indexOf("?") === rest.length - 1) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf("?");
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith("/")) {
    if (scheme !== "") return { scheme, opaque: rest, host: "", path: "", escapedPath: "", rawQuery, fragment: "" };
    if (viaRequest) fail("invalid URI for request");
    if ((rest.split("/")[0] ?? "").includes(":")) fail("first path segment in URL cannot contain colon");
  }
  let host = "";
  if ((scheme !== "" || (!viaRequest && !rest.startsWith("///"))) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    host = parseAuthority(authority, fail);
  }
  checkEscapes(rest, fail);
  return { scheme, opaque: "", host, path: decodePercent(rest), escapedPath: rest, rawQuery, fragment: "" };
}

type Fail = (reason: string) => never;

function splitScheme(raw: string, fail: Fail): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? "";
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ["", raw];
      continue;
    }
    if (c === ":") {
      if (i === 0) fail("missing protocol scheme");
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ["", raw];
  }
  return ["", raw];
}

function parseAuthority(authority: string, fail: Fail): string {
  const at = authority.lastIndexOf("@");
  const host = at < 0 ? authority : authority.slice(at + 1);
  if (at >= 0 && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at))) fail("net/url: invalid userinfo");
  if (host.startsWith("[")) {
    const close = host.lastIndexOf("]");
    if (close < 0) fail("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!/^(:[0-9]*)?$/.test(colonPort)) fail(`invalid port ${quoteGo(colonPort)} after host`);
  } else {
    const colon = host.lastIndexOf(":");
    if (colon >= 0 && !/^:[0-9]*$/.test(host.slice(colon))) fail(`invalid port ${quoteGo(host.slice(colon))} after host`);
  }
  checkEscapes(host, fail);
  for (const c of host) {
    // Go's shouldEscape(c, encodeHost) for ASCII: letters, digits and these are allowed in a host.
    if (c < "\x80" && !/[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"%]/.test(c)) fail(`invalid character ${quoteGo(c)} in host name`);
  }
  return decodePercent(host);
}

function checkEscapes(text: string, fail: Fail): void {
  const bad = /%(?![0-9A-Fa-f]{2})(.{0,2})/s.exec(text);
  if (bad) fail(`invalid URL escape ${quoteGo(`%${bad[1] ?? ""}`)}`);
}

function decodePercent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // escapes of invalid UTF-8: Go keeps the bytes; the raw text is the closest string
  }
}
