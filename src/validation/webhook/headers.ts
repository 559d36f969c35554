import type { JsonObject } from "../../mesh/json.ts";
import { formatGo } from "../analyzers/format-go.ts";
import { checkRe2 } from "./check-re2.ts";

/** Istio's header-name, header-value and string-match rules. Each check returns Istio's text or undefined. */

// RFC 7230 tchars.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const STRICT_HEADER_NAME = /^[-A-Za-z0-9]+$/;
const PSEUDO_HEADERS = new Set([":method", ":scheme", ":authority", ":path", ":status"]);
const JWT_CLAIM_PREFIX = "@request.auth.claims";

/** `jwt.ToRoutingClaim(name).Match`: `@request.auth.claims.a.b` or `@request.auth.claims[a][b]`. */
export function isJwtClaimRoute(name: string): boolean {
  if (!name.toLowerCase().startsWith(JWT_CLAIM_PREFIX)) return false;
  const rest = name.slice(JWT_CLAIM_PREFIX.length);
  return (rest.startsWith(".") && rest.length > 1) || (rest.startsWith("[") && rest.endsWith("]") && rest.length > 2);
}

/** `ValidateHTTPHeaderNameOrJwtClaimRoute` (match header and withoutHeaders keys). */
export function checkMatchHeaderName(name: string): string | undefined {
  if (name === "") return "header name cannot be empty";
  if (isJwtClaimRoute(name) || PSEUDO_HEADERS.has(name) || HEADER_NAME.test(name)) return undefined;
  return `header name ${name} is not a valid header name`;
}

/** `ValidateCORSHTTPHeaderName`. */
export function checkCorsHeaderName(name: string): string | undefined {
  if (name === "") return "header name cannot be empty";
  return name === "*" || HEADER_NAME.test(name) ? undefined : `header name ${name} is not a valid header name`;
}

/** `ValidateStrictHTTPHeaderName` (RequestAuthentication outputClaimToHeaders). */
export function checkStrictHeaderName(name: string): string | undefined {
  if (name === "") return "header name cannot be empty";
  return STRICT_HEADER_NAME.test(name) ? undefined : `header name ${name} is not a valid header name`;
}

function isInternalHeader(name: string): boolean {
  return name.startsWith(":") || name.toLowerCase() === "host";
}

export function isAuthorityHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === ":authority" || lower === "host";
}

/** `ValidateHTTPHeaderWithAuthorityOperationName` (request headers to add or set). */
export function checkRequestHeaderSetName(name: string): string | undefined {
  if (name === "") return "header name cannot be empty";
  // The authority may be set here; validateAuthorityRewrite checks it is set only once.
  return isInternalHeader(name) && !isAuthorityHeader(name) ? formatGo(`invalid header %q: header cannot have ":" prefix`, [name]) : undefined;
}

/** `ValidateHTTPHeaderOperationName` (request headers to remove, response headers). */
export function checkHeaderOperationName(name: string): string | undefined {
  if (name === "") return "header name cannot be empty";
  if (name.toLowerCase() === "host") return formatGo("invalid header %q: cannot set Host header", [name]);
  return isInternalHeader(name) ? formatGo(`invalid header %q: header cannot have ":" prefix`, [name]) : undefined;
}

// No control characters other than horizontal tab.
const CONTROL_CHARS = /[\u0000-\u0008\u000A-\u001F\u007F]/;

/** `ValidateHTTPHeaderValue`: no control characters, and Envoy's `%VARIABLE%` syntax well formed. */
export function checkHeaderValue(value: string): string | undefined {
  if (CONTROL_CHARS.test(value)) return `header value configuration ${value} is invalid`;
  const err = checkEnvoyHeaderFormat(value);
  return err ? `header value configuration: ${err}` : undefined;
}

type FormatState = "literal" | "name" | "array" | "string-start" | "string" | "delimiter" | "args-end" | "var-end";

/** Port of Envoy's header_parser state machine (`header_value_validator.go`). */
function checkEnvoyHeaderFormat(value: string): string | undefined {
  let state: FormatState = "literal";
  for (let pos = 0; pos < value.length; pos++) {
    const ch = value[pos];
    const hasNext = pos + 1 < value.length;
    switch (state) {
      case "literal":
        if (ch !== "%") break;
        if (!hasNext) return "invalid header configuration. Un-escaped %";
        if (value[pos + 1] === "%") pos++;
        else state = "name";
        break;
      case "name":
        if (ch === "%") state = "literal";
        else if (ch === "(") state = "array";
        break;
      case "array":
        if (ch === "[") state = "string-start";
        else if (ch !== " ") state = "string";
        break;
      case "delimiter":
        if (ch === ",") state = "string-start";
        else if (ch === "]") state = "args-end";
        else if (ch !== " ") return "invalid header configuration. Expecting ',', ']', or whitespace";
        break;
      case "string-start":
        if (ch === '"') state = "string";
        else if (ch !== " ") return `invalid header configuration. Expecting '"'`;
        break;
      case "string":
        if (ch === "\\") {
          if (!hasNext) return "invalid header configuration. Un-terminated backslash in JSON string";
          pos++;
        } else if (ch === ")") state = "var-end";
        else if (ch === '"') state = "delimiter";
        break;
      case "args-end":
        if (ch === ")") state = "var-end";
        else if (ch !== " ") return "invalid header configuration. Expecting ')' or whitespace after '{}', but found '{}'";
        break;
      case "var-end":
        if (ch === "%") state = "literal";
        else if (ch !== " ") return "invalid header configuration. Expecting '%' or whitespace after";
        break;
    }
  }
  return state === "literal" ? undefined : `invalid header configuration. Un-terminated variable expression '${value}'`;
}

/** The match type of a StringMatch (`exact`, `prefix` or `regex`), or undefined when none is set. */
export function stringMatchType(sm: JsonObject): "exact" | "prefix" | "regex" | undefined {
  if (typeof sm.exact === "string") return "exact";
  if (typeof sm.prefix === "string") return "prefix";
  if (typeof sm.regex === "string") return "regex";
  return undefined;
}

/** `validateStringRegexp`. */
export function checkRegex(re: string, where: string): string | undefined {
  // Envoy bounds the RE2 program size; Istio approximates it by the length.
  if (re.length > 1024) return formatGo("%q: regex is too large, max length allowed is 1024", [where]);
  const err = checkRe2(re);
  return err ? `${formatGo("%q", [where])}: ${err}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)` : undefined;
}

/** `validateStringMatchRegexp`: only a regex match is checked. */
export function checkStringMatchRegex(sm: JsonObject, where: string): string | undefined {
  if (stringMatchType(sm) !== "regex") return undefined;
  const re = typeof sm.regex === "string" ? sm.regex : "";
  return re === "" ? formatGo("%q: regex string match should not be empty", [where]) : checkRegex(re, where);
}

/** `validateStringMatch`: a prefix match must not be empty, a regex must compile. */
export function checkStringMatch(sm: JsonObject, where: string): string | undefined {
  if (stringMatchType(sm) === "prefix" && sm.prefix === "") return formatGo("%q: prefix string match should not be empty", [where]);
  return checkStringMatchRegex(sm, where);
}
