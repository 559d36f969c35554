import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, type JsonObject, type JsonValue } from "../../mesh/json.ts";
import { formatGo } from "../analyzers/format-go.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { validateHeaderOperations, validateDestination, validateRouteDestinations } from "./destinations.ts";
import { isDns1123Label } from "./dns-names.ts";
import { validateDuration, durationNanos } from "./durations.ts";
import { formatGoFixed, formatGoFloat } from "./format-go-float.ts";
import {
  checkCorsHeaderName, checkMatchHeaderName, checkRegex, checkStringMatch, checkStringMatchRegex, isAuthorityHeader, stringMatchType,
} from "./headers.ts";
import { validateLabels } from "./labels.ts";
import { checkPort } from "./ports.ts";
import { hasItems, isSet, listAt, numberAt, objectAt, stringAt } from "./read-spec.ts";
import { validateGatewayNames } from "./validate-gateway-names.ts";
import type { Issues } from "./webhook-issues.ts";

export interface HttpRouteContext {
  /** The VirtualService has no hosts: it is a delegate, included by a root's `delegate`. */
  readonly inDelegate: boolean;
  readonly gatewaySemantics: boolean;
}

/** `validateHTTPRoute`: one entry of a VirtualService's `http` list, at `path`. */
export function validateHttpRoute(out: Issues, route: JsonObject, path: FieldPath, context: HttpRouteContext): void {
  validateRouteConflicts(out, route, path, context.inDelegate);
  validateMatches(out, route, path);
  validateHeaderOperations(out, route.headers, [...path, "headers"]);
  validateCors(out, route.corsPolicy, [...path, "corsPolicy"]);
  validateFault(out, route.fault, [...path, "fault"]);
  validateMirrors(out, route, path);
  validateRedirect(out, route, path);
  validateDirectResponse(out, route.directResponse, [...path, "directResponse"]);
  validateRetries(out, route.retries, [...path, "retries"]);
  validateRewrite(out, route.rewrite, [...path, "rewrite"]);
  validateAuthorityRewrite(out, route, path);
  validateRouteDestinations(out, route.route, [...path, "route"], { http: true, gatewaySemantics: context.gatewaySemantics });
  validateDuration(out, route.timeout, [...path, "timeout"]);
}

function validateRouteConflicts(out: Issues, route: JsonObject, path: FieldPath, inDelegate: boolean): void {
  const family = WEBHOOK_FAMILIES.route;
  const has = (key: string) => isSet(route[key]);
  const hasRoute = hasItems(route.route);
  if (!inDelegate && has("delegate")) {
    // A root route hands the request to a delegate VirtualService and may do nothing else.
    const name = stringAt(route.name);
    if (has("redirect")) out.error(family, [...path, "redirect"], `root HTTP route ${name} must not specify redirect`);
    if (hasRoute) out.error(family, [...path, "route"], `root HTTP route ${name} must not specify route`);
    return;
  }
  if (inDelegate && has("delegate")) out.error(family, [...path, "delegate"], "delegate HTTP route cannot contain delegate");
  if (has("redirect")) {
    if (hasRoute) out.error(family, [...path, "redirect"], "HTTP route cannot contain both route and redirect");
    if (has("fault")) out.error(family, [...path, "fault"], "HTTP route cannot contain both fault and redirect");
    if (has("rewrite")) out.error(family, [...path, "rewrite"], "HTTP route rule cannot contain both rewrite and redirect");
    if (has("directResponse")) out.error(family, [...path, "directResponse"], "HTTP route rule cannot contain both direct_response and redirect");
  } else if (has("directResponse")) {
    if (hasRoute) out.error(family, [...path, "directResponse"], "HTTP route cannot contain both route and direct_response");
    if (has("fault")) out.error(family, [...path, "fault"], "HTTP route cannot contain both fault and direct_response");
    if (has("rewrite")) out.error(family, [...path, "rewrite"], "HTTP route rule cannot contain both rewrite and direct_response");
  } else if (!hasRoute) {
    out.error(family, path, "HTTP route, redirect or direct_response is required");
  }
  if (has("mirror") && hasItems(route.mirrors)) out.error(family, [...path, "mirrors"], "HTTP route cannot contain both mirror and mirrors");
}

/** `validateHTTPRouteMatchRequest`. */
function validateMatches(out: Issues, route: JsonObject, path: FieldPath): void {
  const family = WEBHOOK_FAMILIES.match;
  for (const [j, value] of listAt(route.match).entries()) {
    const match = objectAt(value);
    if (!match) continue;
    const at = [...path, "match", j];
    for (const [name, header] of Object.entries(objectAt(match.headers) ?? {})) {
      const hAt = [...at, "headers", name];
      if (header === null) out.error(family, hAt, `header match ${name} cannot be null`);
      const nameErr = checkMatchHeaderName(name);
      if (nameErr) out.error(family, hAt, nameErr);
      const err = isObject(header) ? checkStringMatch(header, "headers") : undefined;
      if (err) out.error(family, hAt, err);
    }
    for (const [name, header] of Object.entries(objectAt(match.withoutHeaders) ?? {})) {
      const hAt = [...at, "withoutHeaders", name];
      const nameErr = checkMatchHeaderName(name);
      if (nameErr) out.error(family, hAt, nameErr);
      // `regex: "*"` is not RE2 here: it means "the header is present".
      const err = isObject(header) && header.regex !== "*" ? checkStringMatch(header, "withoutHeaders") : undefined;
      if (err) out.error(family, hAt, err);
    }
    // An empty uri prefix is allowed (Envoy accepts it for paths), unlike scheme, method and authority.
    const uri = objectAt(match.uri);
    const uriErr = uri ? checkStringMatchRegex(uri, "uri") : undefined;
    if (uri && uriErr) out.error(family, [...at, "uri", stringMatchType(uri) ?? ""], uriErr);
    for (const field of ["scheme", "method", "authority"] as const) {
      const sm = objectAt(match[field]);
      const err = sm ? checkStringMatch(sm, field) : undefined;
      if (sm && err) out.error(family, [...at, field, stringMatchType(sm) ?? ""], err);
    }
    for (const [name, qp] of Object.entries(objectAt(match.queryParams) ?? {})) {
      const err = isObject(qp) ? checkStringMatch(qp, "queryParams") : undefined;
      if (err) out.error(family, [...at, "queryParams", name], err);
    }
    validateMatchSources(out, match, at);
  }
}

/** Port, source labels, gateways and source namespace of an HTTP, TCP or TLS match. */
export function validateMatchSources(out: Issues, match: JsonObject, at: FieldPath): void {
  const port = numberAt(match.port);
  const portErr = port !== 0 ? checkPort(port) : undefined;
  if (portErr) out.error(WEBHOOK_FAMILIES.port, [...at, "port"], portErr);
  validateLabels(out, match.sourceLabels, [...at, "sourceLabels"]);
  validateGatewayNames(out, match.gateways, [...at, "gateways"], false);
  const ns = stringAt(match.sourceNamespace);
  if (ns !== "" && !isDns1123Label(ns)) out.error(WEBHOOK_FAMILIES.match, [...at, "sourceNamespace"], `sourceNamespace match ${ns} is invalid`);
}

const CORS_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"]);
const SECOND = 1_000_000_000n;

/** `validateCORSPolicy`. */
function validateCors(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const cors = objectAt(value);
  if (!cors) return;
  const family = WEBHOOK_FAMILIES.route;
  for (const [i, origin] of listAt(cors.allowOrigins).entries()) {
    const sm = objectAt(origin) ?? {};
    const type = stringMatchType(sm);
    const text = type ? stringAt(sm[type]) : "";
    const err = text === "" ? `'${text}' is not a valid match type for CORS allow origins` : checkStringMatchRegex(sm, "corsPolicy.allowOrigins");
    if (err) out.error(family, [...path, "allowOrigins", i], err);
  }
  for (const [i, method] of listAt(cors.allowMethods).entries()) {
    const m = typeof method === "string" ? method : "";
    if (!CORS_METHODS.has(m)) out.error(family, [...path, "allowMethods", i], formatGo("%q is not a supported HTTP method", [m]));
  }
  for (const field of ["allowHeaders", "exposeHeaders"] as const) {
    for (const [i, name] of listAt(cors[field]).entries()) {
      const err = checkCorsHeaderName(typeof name === "string" ? name : "");
      if (err) out.error(WEBHOOK_FAMILIES.match, [...path, field, i], err);
    }
  }
  validateDuration(out, cors.maxAge, [...path, "maxAge"]);
  const maxAge = durationNanos(cors.maxAge);
  if (maxAge !== undefined && maxAge % SECOND > 0n) {
    out.error(WEBHOOK_FAMILIES.duration, [...path, "maxAge"], "max_age duration is accurate only to seconds precision");
  }
}

const GRPC_STATUSES = new Set([
  "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
  "DATA_LOSS", "UNAUTHENTICATED",
]);

function checkPercentage(value: JsonValue | undefined): string | undefined {
  const percentage = objectAt(value);
  if (!percentage) return undefined;
  const v = numberAt(percentage.value);
  if (v < 0 || v > 100 || (v > 0 && v < 0.0001)) return `percentage ${formatGoFloat(v)} is neither 0.0, nor in range [0.0001, 100.0]`;
  return undefined;
}

export function checkHttpStatus(status: number): string | undefined {
  return status < 200 || status > 600 ? `HTTP status ${status} is not in range 200-599` : undefined;
}

/** `validateHTTPFaultInjection`. */
function validateFault(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const fault = objectAt(value);
  if (!fault) return;
  const family = WEBHOOK_FAMILIES.route;
  const abort = objectAt(fault.abort);
  const delay = objectAt(fault.delay);
  if (!abort && !delay) out.error(family, path, "HTTP fault injection must have an abort and/or a delay");
  if (abort) {
    const at = [...path, "abort"];
    const pctErr = checkPercentage(abort.percentage);
    if (pctErr) out.error(family, [...at, "percentage"], pctErr);
    if (isSet(abort.grpcStatus)) {
      const status = stringAt(abort.grpcStatus);
      if (!GRPC_STATUSES.has(status)) {
        out.error(family, [...at, "grpcStatus"], formatGo("gRPC status %q is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'", [status]));
      }
    } else if (isSet(abort.http2Error)) {
      out.error(family, [...at, "http2Error"], "HTTP/2 abort fault injection not supported yet");
    } else if (isSet(abort.httpStatus)) {
      const err = checkHttpStatus(numberAt(abort.httpStatus));
      if (err) out.error(family, [...at, "httpStatus"], err);
    } else {
      out.warn(family, at, "abort configured, but error type not set");
    }
  }
  if (delay) {
    const at = [...path, "delay"];
    const pctErr = checkPercentage(delay.percentage);
    if (pctErr) out.error(family, [...at, "percentage"], pctErr);
    if (isSet(delay.fixedDelay)) validateDuration(out, delay.fixedDelay, [...at, "fixedDelay"]);
    else if (isSet(delay.exponentialDelay)) {
      validateDuration(out, delay.exponentialDelay, [...at, "exponentialDelay"]);
      out.error(family, [...at, "exponentialDelay"], "exponentialDelay not supported yet");
    }
  }
}

/** `mirror`, `mirrors`, `mirrorPercent` and `mirrorPercentage`. */
function validateMirrors(out: Issues, route: JsonObject, path: FieldPath): void {
  const family = WEBHOOK_FAMILIES.route;
  if (isSet(route.mirrorPercent)) {
    const v = numberAt(route.mirrorPercent);
    if (v > 100) out.error(family, [...path, "mirrorPercent"], `mirror_percent must have a max value of 100 (it has ${v})`);
    out.warn(family, [...path, "mirrorPercent"], `using deprecated setting "mirrorPercent", use "mirrorPercentage" instead`);
  }
  const pct = objectAt(route.mirrorPercentage);
  if (pct) {
    const v = numberAt(pct.value);
    if (v > 100) out.error(family, [...path, "mirrorPercentage"], `mirror_percentage must have a max value of 100 (it has ${formatGoFixed(v)})`);
    if (v < 0) out.error(family, [...path, "mirrorPercentage"], `mirror_percentage must have a min value of 0 (it has ${formatGoFixed(v)})`);
  }
  validateDestination(out, route.mirror, [...path, "mirror"]);
  for (const [i, mirror] of listAt(route.mirrors).entries()) {
    const at = [...path, "mirrors", i];
    if (!isObject(mirror)) {
      out.error(family, at, "mirror cannot be null");
      continue;
    }
    if (!isObject(mirror.destination)) {
      out.error(family, at, "destination is required for mirrors");
      continue;
    }
    validateDestination(out, mirror.destination, [...at, "destination"]);
    const mp = objectAt(mirror.percentage);
    if (!mp) continue;
    const v = numberAt(mp.value);
    if (v > 100) out.error(family, [...at, "percentage"], `mirror percentage must have a max value of 100 (it has ${formatGoFixed(v)})`);
    if (v < 0) out.error(family, [...at, "percentage"], `mirror percentage must have a min value of 0 (it has ${formatGoFixed(v)})`);
  }
}

/** `validateHTTPRedirect`: Istio reports only the first problem of a redirect. */
function validateRedirect(out: Issues, route: JsonObject, path: FieldPath): void {
  const redirect = objectAt(route.redirect);
  if (!redirect) return;
  const at = [...path, "redirect"];
  const err = checkRedirect(redirect, route);
  if (err) out.error(err.field === "port" ? WEBHOOK_FAMILIES.port : WEBHOOK_FAMILIES.route, err.field ? [...at, err.field] : at, err.message);
}

function checkRedirect(redirect: JsonObject, route: JsonObject): { field?: string; message: string } | undefined {
  const uri = stringAt(redirect.uri);
  const prefixRewrite = stringAt(redirect.prefixRewrite);
  if (uri !== "" && prefixRewrite !== "") return { field: "prefixRewrite", message: "redirect may only specify one of uri or prefix_rewrite" };
  if (prefixRewrite !== "") {
    const nonPrefix = listAt(route.match).some((m) => {
      const sm = objectAt(objectAt(m)?.uri);
      return sm !== undefined && stringMatchType(sm) !== "prefix";
    });
    if (nonPrefix) return { field: "prefixRewrite", message: "redirect prefix_rewrite requires all URI matches to use prefix match type" };
  }
  const hasPort = isSet(redirect.port) || isSet(redirect.derivePort);
  if (uri === "" && prefixRewrite === "" && stringAt(redirect.authority) === "" && !hasPort && stringAt(redirect.scheme) === "") {
    return { message: "redirect must specify URI, authority, scheme, or port" };
  }
  const code = numberAt(redirect.redirectCode);
  if (code !== 0 && (code < 300 || code > 399)) return { field: "redirectCode", message: `${code} is not a valid redirect code, must be 3xx` };
  const scheme = stringAt(redirect.scheme);
  if (scheme !== "" && scheme !== "http" && scheme !== "https") return { field: "scheme", message: `invalid redirect scheme, must be "http" or "https"` };
  const port = numberAt(redirect.port);
  const portErr = port > 0 ? checkPort(port) : undefined;
  return portErr ? { field: "port", message: portErr } : undefined;
}

const KB = 1024;
const MB = 1024 * KB;

/** `validateHTTPDirectResponse`. */
function validateDirectResponse(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const response = objectAt(value);
  if (!response) return;
  const body = objectAt(response.body);
  if (body) {
    const size = typeof body.string === "string"
      ? new TextEncoder().encode(body.string).length
      : Math.floor((stringAt(body.bytes).replace(/=+$/, "").length * 3) / 4);
    if (size > MB) out.error(WEBHOOK_FAMILIES.route, [...path, "body"], "large direct_responses may impact control plane performance, must be less than 1MB");
    else if (size > 100 * KB) out.warn(WEBHOOK_FAMILIES.route, [...path, "body"], "large direct_responses may impact control plane performance");
  }
  const err = checkHttpStatus(numberAt(response.status));
  if (err) out.error(WEBHOOK_FAMILIES.route, [...path, "status"], err);
}

const RETRY_ON = new Set([
  "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx", "refused-stream",
  "retriable-status-codes", "retriable-headers", "envoy-ratelimited", "http3-post-connect-failure",
  "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
]);

// The codes Go's `net/http.StatusText` knows: a retryOn entry may be any of them.
const HTTP_STATUS_TEXT = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423,
  424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/** `agent.ValidateHTTPRetry`. */
function validateRetries(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const retries = objectAt(value);
  if (!retries) return;
  const family = WEBHOOK_FAMILIES.route;
  const attempts = numberAt(retries.attempts);
  const retryOn = stringAt(retries.retryOn);
  if (attempts < 0) out.error(family, [...path, "attempts"], "attempts cannot be negative");
  if (attempts === 0 && (isSet(retries.perTryTimeout) || retryOn !== "" || isSet(retries.retryRemoteLocalities))) {
    out.error(family, [...path, "attempts"], "http retry policy configured when attempts are set to 0 (disabled)");
  }
  validateDuration(out, retries.perTryTimeout, [...path, "perTryTimeout"]);
  if (retryOn !== "") {
    for (const policy of retryOn.split(",")) {
      const status = /^[+-]?\d+$/.test(policy) ? Number(policy) : 0;
      if (!HTTP_STATUS_TEXT.has(status) && !RETRY_ON.has(policy)) {
        out.error(family, [...path, "retryOn"], formatGo("%q is not a valid retryOn policy", [policy]));
      }
    }
  }
  validateDuration(out, retries.backoff, [...path, "backoff"]);
}

/** `validateHTTPRewrite`. */
function validateRewrite(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const rewrite = objectAt(value);
  if (!rewrite) return;
  const family = WEBHOOK_FAMILIES.route;
  const uri = stringAt(rewrite.uri);
  const regexRewrite = objectAt(rewrite.uriRegexRewrite);
  if (uri !== "" && regexRewrite) {
    out.error(family, [...path, "uriRegexRewrite"], "rewrite may only contain one of URI or UriRegexRewrite");
    return;
  }
  if (uri === "" && !regexRewrite && stringAt(rewrite.authority) === "") {
    out.error(family, path, "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified");
    return;
  }
  if (!regexRewrite) return;
  const match = stringAt(regexRewrite.match);
  // Istio joins the two texts with a newline (errors.Join); one line reads better in a finding.
  const err = match === "" || stringAt(regexRewrite.rewrite) === ""
    ? "UriRegexRewrite requires both Rewrite and Match fields to be specified"
    : checkRegex(match, "HTTPRewrite.UriRegexRewrite.Match");
  if (err) out.error(family, [...path, "uriRegexRewrite"], `UriRegexRewrite has errors: ${err}`);
}

/** `validateAuthorityRewrite`: the authority may be rewritten in one place only. */
function validateAuthorityRewrite(out: Issues, route: JsonObject, path: FieldPath): void {
  let current = stringAt(objectAt(route.rewrite)?.authority);
  const request = objectAt(objectAt(route.headers)?.request);
  for (const op of ["set", "add"] as const) {
    for (const [name, v] of Object.entries(objectAt(request?.[op]) ?? {})) {
      if (!isAuthorityHeader(name)) continue;
      const value = typeof v === "string" ? v : "";
      if (current !== "") {
        out.error(WEBHOOK_FAMILIES.match, [...path, "headers", "request", op, name],
          formatGo("authority header cannot be set multiple times: have %q, attempting to set %q", [current, value]));
        return;
      }
      current = value;
    }
  }
}
