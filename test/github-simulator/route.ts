import type { IncomingHttpHeaders } from "node:http";
import type { ApiResponse } from "./api-response.ts";
import type { AccessLevel, InstallationState, RepoState, SimulatorState, TokenState } from "./simulator-state.ts";
import type { RateLimitState } from "./rate-limiter.ts";
import type { WebhookSender } from "./webhook-sender.ts";

export interface RequestContext {
  state: SimulatorState;
  webhooks: WebhookSender;
  /** The request URL, absolute on the simulator's origin. */
  url: URL;
  params: Record<string, string>;
  body: unknown;
  headers: IncomingHttpHeaders;
  now: Date;
}

export interface TokenContext extends RequestContext {
  token: TokenState;
  installation: InstallationState;
  /** The installation's budget after this request. */
  rateLimit: RateLimitState;
}

export interface RepoContext extends TokenContext {
  repo: RepoState;
}

/** An installation permission a route needs: any one of `anyOf` at `level` or above. */
export interface PermissionNeed {
  level: AccessLevel;
  anyOf: string[];
}

/** Routes by who may call them: the app itself (JWT), an installation token, or a token on one repository. */
export type Route =
  | { kind: "app"; method: string; path: RegExp; handle(ctx: RequestContext): ApiResponse | Promise<ApiResponse> }
  | { kind: "token"; method: string; path: RegExp; resource: "core" | "graphql"; handle(ctx: TokenContext): ApiResponse | Promise<ApiResponse> }
  | { kind: "repo"; method: string; path: RegExp; permission: PermissionNeed; handle(ctx: RepoContext): ApiResponse | Promise<ApiResponse> };

/** `/repos/{owner}/{repo}` + rest, as a regular expression with named groups. */
export function repoPath(rest: string): RegExp {
  return new RegExp(`^/repos/(?<owner>[^/]+)/(?<repo>[^/]+)${rest}$`);
}

export function repoRoute(method: string, rest: string, permission: PermissionNeed, handle: (ctx: RepoContext) => ApiResponse | Promise<ApiResponse>): Route {
  return { kind: "repo", method, path: repoPath(rest), permission, handle };
}

export const read = (...anyOf: string[]): PermissionNeed => ({ level: "read", anyOf });
export const write = (...anyOf: string[]): PermissionNeed => ({ level: "write", anyOf });

/** The request body as an object, or null (routes answer 400/422 themselves). */
export function bodyObject(ctx: RequestContext): Record<string, unknown> | null {
  const body = ctx.body;
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}
