import type { IncomingHttpHeaders } from "node:http";
import type { ApiResponse } from "./api-response.ts";
import { apiError, notFound } from "./api-response.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import { rateLimitHeaders } from "./rate-limiter.ts";
import type { PermissionNeed, RequestContext, Route } from "./route.ts";
import type { SimulatorState, TokenState } from "./simulator-state.ts";
import { verifyAppJwt } from "./verify-app-jwt.ts";
import type { WebhookSender } from "./webhook-sender.ts";

export interface InjectedFailure {
  method?: string;
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: object;
  /** How many matching requests fail; 1 when not given. */
  times?: number;
}

export interface SimulatorRuntime {
  state: SimulatorState;
  webhooks: WebhookSender;
  limiter: RateLimiter;
  routes: Route[];
  failures: { failure: InjectedFailure; remaining: number }[];
}

export interface ApiRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const SECONDARY_LIMIT = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID";

/**
 * One REST or GraphQL request, in GitHub's order: route, credentials, primary rate limit, (injected
 * failures), repository visibility, installation permissions, then the route itself.
 */
export async function handleApiRequest(runtime: SimulatorRuntime, request: ApiRequest, requestId: string): Promise<{ response: ApiResponse; installationId?: number }> {
  const path = request.url.pathname;
  const match = findRoute(runtime.routes, request.method, path);
  if (match === null) return { response: notFound() };
  const { route, params } = match;
  const now = new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  let body: unknown = undefined;
  if (request.body.length > 0) {
    try {
      body = JSON.parse(request.body.toString("utf8"));
    } catch {
      return { response: apiError(400, "Problems parsing JSON") };
    }
  }
  const base: RequestContext = { state: runtime.state, webhooks: runtime.webhooks, url: request.url, params, body, headers: request.headers, now };
  const credentials = readCredentials(request.headers);

  if (route.kind === "app") {
    if (credentials?.kind !== "jwt") return { response: apiError(401, "A JSON web token could not be decoded") };
    const check = verifyAppJwt(credentials.value, runtime.state.app, nowSeconds);
    if (!check.ok) return { response: apiError(401, check.message) };
    const limit = runtime.limiter.take(`app:${runtime.state.app.id}`, "core", nowSeconds);
    return { response: withHeaders(await injectedOr(runtime, request, requestId, () => route.handle(base)), rateLimitHeaders(limit.state)) };
  }

  if (credentials === null) {
    // Private repositories are invisible without credentials; GraphQL always wants them.
    return { response: route.kind === "token" && route.resource === "graphql" ? apiError(401, "This endpoint requires you to be authenticated.") : notFound() };
  }
  if (credentials.kind === "jwt") return { response: apiError(403, "Resource not accessible by integration") };
  const token = runtime.state.tokens.get(credentials.value);
  if (token === undefined || token.expiresAt <= now.getTime()) return { response: apiError(401, "Bad credentials") };
  const installation = runtime.state.installations.get(token.installationId);
  if (installation === undefined) return { response: apiError(401, "Bad credentials") };
  const installationId = installation.id;
  const resource = route.kind === "token" ? route.resource : "core";
  const limit = runtime.limiter.take(`installation:${installationId}`, resource, nowSeconds);
  const headers = rateLimitHeaders(limit.state);
  if (!limit.allowed) {
    return { installationId, response: withHeaders(apiError(403, `API rate limit exceeded for installation ID ${installationId}.`, {}, "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"), headers) };
  }
  const tokenContext = { ...base, token, installation, rateLimit: limit.state };
  if (route.kind === "token") {
    return { installationId, response: withHeaders(await injectedOr(runtime, request, requestId, () => route.handle(tokenContext)), headers) };
  }
  const repo = runtime.state.repo(params["owner"] ?? "", params["repo"] ?? "");
  if (repo === undefined || runtime.state.installationFor(repo)?.id !== installationId || (token.repos !== null && !token.repos.has(repo.fullName.toLowerCase()))) {
    return { installationId, response: withHeaders(notFound(), headers) };
  }
  if (!permitted(token, route.permission)) {
    const accepted = route.permission.anyOf.map((scope) => `${scope}=${route.permission.level}`).join("; ");
    return { installationId, response: withHeaders(apiError(403, "Resource not accessible by integration"), { ...headers, "x-accepted-github-permissions": accepted }) };
  }
  return { installationId, response: withHeaders(await injectedOr(runtime, request, requestId, () => route.handle({ ...tokenContext, repo })), headers) };
}

function findRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.path.exec(path);
    if (match === null) continue;
    const params: Record<string, string> = {};
    try {
      for (const [key, value] of Object.entries(match.groups ?? {})) if (value !== undefined) params[key] = decodeURIComponent(value);
    } catch {
      return null;
    }
    return { route, params };
  }
  return null;
}

/** `Authorization: token X` or `Bearer X`; a three-part `eyJ…` value is an app JWT. */
function readCredentials(headers: IncomingHttpHeaders): { kind: "jwt" | "token"; value: string } | null {
  const match = /^(token|bearer)\s+(\S+)$/i.exec(String(headers.authorization ?? "").trim());
  const value = match?.[2];
  if (value === undefined) return null;
  return { kind: /^eyJ[^.]*\.[^.]*\.[^.]*$/.test(value) ? "jwt" : "token", value };
}

/** Write access implies read; metadata is always readable. */
function permitted(token: TokenState, need: PermissionNeed): boolean {
  return need.anyOf.some((scope) => {
    if (scope === "metadata" && need.level === "read") return true;
    const granted = token.permissions[scope];
    return granted === "write" || (granted === "read" && need.level === "read");
  });
}

/** A failure a test injected for this request, or the route's own answer. */
async function injectedOr(runtime: SimulatorRuntime, request: ApiRequest, requestId: string, handle: () => ApiResponse | Promise<ApiResponse>): Promise<ApiResponse> {
  const entry = runtime.failures.find(({ failure, remaining }) => remaining > 0 && (failure.method === undefined || failure.method.toUpperCase() === request.method) && failure.path.test(request.url.pathname));
  if (entry === undefined) return handle();
  entry.remaining--;
  const { status, headers, body } = entry.failure;
  const defaultBody =
    status === 429 || (status === 403 && headers?.["retry-after"] !== undefined)
      ? { message: `${SECONDARY_LIMIT} ${requestId}.`, documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits", status: String(status) }
      : { message: status >= 500 ? "Server Error" : "Injected failure", documentation_url: "https://docs.github.com/rest", status: String(status) };
  return { status, body: body ?? defaultBody, headers: headers ?? {} };
}

/** Route headers win over the common ones (an injected failure may set its own rate-limit headers). */
function withHeaders(response: ApiResponse, headers: Record<string, string>): ApiResponse {
  return { ...response, headers: { ...headers, ...(response.headers ?? {}) } };
}
