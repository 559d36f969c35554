import type { IncomingHttpHeaders } from "node:http";
import type { ApiResponse } from "./api-response.ts";
import { apiError, notFound } from "./api-response.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import { rateLimitHeaders } from "./rate-limiter.ts";
import type { PermissionNeed, RequestContext, Route } from "./route.ts";
import type { InstallationState, SimulatorState, TokenState } from "./simulator-state.ts";
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
  remoteAddress: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const SECONDARY_LIMIT = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID";

/** Who is calling, from the Authorization header; decides the rate-limit bucket. */
type Caller =
  | { kind: "anonymous" }
  | { kind: "bad-token" }
  | { kind: "jwt"; value: string }
  | { kind: "installation"; token: TokenState; installation: InstallationState };

/** "The primary rate limit for unauthenticated requests is 60 requests per hour" (per originating IP). */
const ANONYMOUS_LIMIT = 60;

/**
 * One REST or GraphQL request, in GitHub's order: credentials, primary rate limit, route, (injected
 * failures), repository visibility, installation permissions, then the route itself.
 */
export async function handleApiRequest(runtime: SimulatorRuntime, request: ApiRequest, requestId: string): Promise<{ response: ApiResponse; installationId?: number }> {
  const now = new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const caller = identifyCaller(runtime, request.headers, now);
  const installationId = caller.kind === "installation" ? caller.installation.id : undefined;
  const answer = (response: ApiResponse, headers: Record<string, string>) => ({ response: withHeaders(response, headers), ...(installationId === undefined ? {} : { installationId }) });

  const match = findRoute(runtime.routes, request.method, request.url.pathname);
  const resource = match?.route.kind === "token" ? match.route.resource : "core";
  // App JWT requests are checked before they count; everyone else is counted first, as on GitHub.
  if (match?.route.kind === "app" || (match === null && caller.kind === "jwt")) {
    const jwtCheck = caller.kind === "jwt" ? verifyAppJwt(caller.value, runtime.state.app, nowSeconds) : { ok: false as const, message: "A JSON web token could not be decoded" };
    if (!jwtCheck.ok) return answer(apiError(401, jwtCheck.message), {});
  }
  const bucket =
    caller.kind === "installation" ? `installation:${caller.installation.id}` : caller.kind === "jwt" ? `app:${runtime.state.app.id}` : `anonymous:${request.remoteAddress}`;
  const limit = runtime.limiter.take(bucket, resource, nowSeconds, caller.kind === "anonymous" || caller.kind === "bad-token" ? ANONYMOUS_LIMIT : undefined);
  const headers = rateLimitHeaders(limit.state);
  if (!limit.allowed) {
    const message =
      caller.kind === "installation"
        ? `API rate limit exceeded for installation ID ${caller.installation.id}.`
        : caller.kind === "jwt"
          ? `API rate limit exceeded for app ID ${runtime.state.app.id}.`
          : `API rate limit exceeded for ${request.remoteAddress}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`;
    return answer(apiError(403, message, {}, "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"), headers);
  }
  if (caller.kind === "bad-token") return answer(apiError(401, "Bad credentials"), headers);
  if (match === null) return answer(notFound(), headers);

  const { route, params } = match;
  let body: unknown = undefined;
  if (request.body.length > 0) {
    try {
      body = JSON.parse(request.body.toString("utf8"));
    } catch {
      return answer(apiError(400, "Problems parsing JSON"), headers);
    }
  }
  const base: RequestContext = { state: runtime.state, webhooks: runtime.webhooks, url: request.url, params, body, headers: request.headers, now };
  const run = async (handle: () => ApiResponse | Promise<ApiResponse>) => answer(await injectedOr(runtime, request, requestId, handle), headers);

  if (route.kind === "app") return run(() => route.handle(base));
  if (caller.kind === "anonymous") {
    // Private repositories are invisible without credentials; GraphQL always wants them.
    return answer(route.kind === "token" && route.resource === "graphql" ? apiError(401, "This endpoint requires you to be authenticated.") : notFound(), headers);
  }
  if (caller.kind === "jwt") return answer(apiError(403, "Resource not accessible by integration"), headers);
  const { token, installation } = caller;
  const tokenContext = { ...base, token, installation, rateLimit: limit.state };
  if (route.kind === "token") return run(() => route.handle(tokenContext));
  const repo = runtime.state.repo(params["owner"] ?? "", params["repo"] ?? "");
  if (repo === undefined || runtime.state.installationFor(repo)?.id !== installation.id || (token.repos !== null && !token.repos.has(repo.fullName.toLowerCase()))) {
    return answer(notFound(), headers);
  }
  if (!permitted(token, route.permission)) {
    const accepted = route.permission.anyOf.map((scope) => `${scope}=${route.permission.level}`).join("; ");
    return answer(apiError(403, "Resource not accessible by integration"), { ...headers, "x-accepted-github-permissions": accepted });
  }
  return run(() => route.handle({ ...tokenContext, repo }));
}

function identifyCaller(runtime: SimulatorRuntime, headers: IncomingHttpHeaders, now: Date): Caller {
  const credentials = readCredentials(headers);
  if (credentials === null) return { kind: "anonymous" };
  if (credentials.kind === "jwt") return { kind: "jwt", value: credentials.value };
  const token = runtime.state.tokens.get(credentials.value);
  const installation = token === undefined ? undefined : runtime.state.installations.get(token.installationId);
  if (token === undefined || installation === undefined || token.expiresAt <= now.getTime()) return { kind: "bad-token" };
  return { kind: "installation", token, installation };
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
