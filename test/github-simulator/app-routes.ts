import { randomBytes } from "node:crypto";
import type { Route } from "./route.ts";
import { bodyObject } from "./route.ts";
import { apiError, notFound, ok, validationFailed } from "./api-response.ts";
import type { AccessLevel, TokenState } from "./simulator-state.ts";
import { isoSeconds } from "./simulator-state.ts";
import { renderApp, renderInstallation } from "./render-app.ts";
import { renderRepository } from "./render-repository.ts";

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** Endpoints a GitHub App calls with its JWT, and the installation's own repository list. */
export const appRoutes: Route[] = [
  { kind: "app", method: "GET", path: /^\/app$/, handle: (ctx) => ok(renderApp(ctx.state)) },
  { kind: "app", method: "GET", path: /^\/app\/installations$/, handle: (ctx) => ok([...ctx.state.installations.values()].map((i) => renderInstallation(ctx.state, i))) },
  {
    kind: "app",
    method: "GET",
    path: /^\/app\/installations\/(?<id>\d+)$/,
    handle: (ctx) => {
      const installation = ctx.state.installations.get(Number(ctx.params["id"]));
      return installation === undefined ? notFound() : ok(renderInstallation(ctx.state, installation));
    },
  },
  {
    kind: "app",
    method: "GET",
    path: /^\/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/installation$/,
    handle: (ctx) => {
      const repo = ctx.state.repo(ctx.params["owner"] ?? "", ctx.params["repo"] ?? "");
      const installation = repo === undefined ? undefined : ctx.state.installationFor(repo);
      return installation === undefined ? notFound() : ok(renderInstallation(ctx.state, installation));
    },
  },
  {
    kind: "app",
    method: "POST",
    path: /^\/app\/installations\/(?<id>\d+)\/access_tokens$/,
    handle: (ctx) => {
      const installation = ctx.state.installations.get(Number(ctx.params["id"]));
      if (installation === undefined) return notFound();
      const body = bodyObject(ctx) ?? {};
      const permissions = narrowPermissions(ctx.state.app.permissions, body["permissions"]);
      if (permissions === null) return apiError(422, "The permissions requested are not granted to this installation.");
      const repos = narrowRepositories(installation.repos, installation.repositorySelection === "all", installation.account.login, body["repositories"]);
      if (repos === "invalid") return validationFailed([{ resource: "Installation", code: "invalid", field: "repositories" }]);
      const token: TokenState = {
        token: `ghs_${randomBytes(18).toString("base64url").replace(/[-_]/g, "0")}`,
        installationId: installation.id,
        expiresAt: ctx.now.getTime() + TOKEN_LIFETIME_MS,
        permissions,
        repos,
      };
      ctx.state.tokens.set(token.token, token);
      const listed = repos === null ? [] : [...repos].map((name) => ctx.state.repos.get(name)).filter((r) => r !== undefined);
      return ok(
        {
          token: token.token,
          expires_at: isoSeconds(new Date(token.expiresAt)),
          permissions: { metadata: "read", ...permissions },
          repository_selection: repos === null ? installation.repositorySelection : "selected",
          ...(repos === null ? {} : { repositories: listed.map((r) => renderRepository(r, ctx.state.apiUrl)) }),
        },
        201,
      );
    },
  },
  {
    kind: "token",
    method: "GET",
    path: /^\/installation\/repositories$/,
    resource: "core",
    handle: (ctx) => {
      const visible = [...ctx.state.repos.values()].filter((repo) => ctx.state.installationFor(repo)?.id === ctx.installation.id && (ctx.token.repos === null || ctx.token.repos.has(repo.fullName.toLowerCase())));
      return ok({ total_count: visible.length, repository_selection: ctx.installation.repositorySelection, repositories: visible.map((r) => renderRepository(r, ctx.state.apiUrl)) });
    },
  },
];

/** A token may ask for a subset of the app's permissions, never more. */
function narrowPermissions(granted: Record<string, AccessLevel>, requested: unknown): Record<string, AccessLevel> | null {
  if (requested === undefined) return { ...granted };
  if (typeof requested !== "object" || requested === null) return null;
  const result: Record<string, AccessLevel> = {};
  for (const [scope, level] of Object.entries(requested)) {
    const has = granted[scope];
    if ((level !== "read" && level !== "write") || has === undefined || (level === "write" && has !== "write")) return null;
    result[scope] = level;
  }
  return result;
}

/** `repositories` narrows a token to some of the installation's repositories (by name, owner implied). */
function narrowRepositories(installed: Set<string>, all: boolean, owner: string, requested: unknown): Set<string> | null | "invalid" {
  if (requested === undefined) return null;
  if (!Array.isArray(requested)) return "invalid";
  const names = new Set<string>();
  for (const name of requested) {
    if (typeof name !== "string") return "invalid";
    const full = `${owner}/${name}`.toLowerCase();
    if (!all && !installed.has(full)) return "invalid";
    names.add(full);
  }
  return names;
}
