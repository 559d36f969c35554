import type { Route } from "./route.ts";
import { invalidRequest, ok } from "./api-response.ts";
import type { GraphqlObjectSource } from "./graphql-api.ts";
import { executeGitHubGraphql } from "./graphql-api.ts";
import type { RateLimitState } from "./rate-limiter.ts";
import type { SimulatorState } from "./simulator-state.ts";

/** Git objects for the GraphQL resolvers, read from the same bare repositories the REST API serves. */
export function graphqlObjectSource(state: SimulatorState, visible: (fullName: string) => boolean, rateLimit?: RateLimitState): GraphqlObjectSource {
  return {
    ...(rateLimit === undefined
      ? {}
      : { rateLimit: () => ({ limit: rateLimit.limit, used: rateLimit.used, remaining: rateLimit.remaining, resetAt: new Date(rateLimit.reset * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") }) }),
    repositoryExists: (owner, repo) => {
      const found = state.repo(owner, repo);
      return found !== undefined && visible(found.fullName);
    },
    readObject: (owner, repo, expression) => {
      const found = state.repo(owner, repo);
      if (found === undefined || !visible(found.fullName)) return null;
      const object = found.git.readObject(expression);
      if (object === null || object.type === "tag") return null;
      if (object.type === "blob") return { type: "blob", oid: object.oid, bytes: new Uint8Array(object.bytes) };
      if (object.type === "commit") return { type: "commit", oid: object.oid };
      const entries = object.entries
        .filter((e) => e.type !== "commit")
        .map((e) => ({ name: e.path, type: e.type === "tree" ? ("tree" as const) : ("blob" as const), oid: e.oid, mode: Number.parseInt(e.mode, 8) }));
      return { type: "tree", oid: object.oid, entries };
    },
  };
}

/** `POST /graphql`, answered by the other half of the simulator (graphql-api.ts) over the git store. */
export const graphqlRoute: Route = {
  kind: "token",
  method: "POST",
  path: /^\/graphql$/,
  resource: "graphql",
  handle: async (ctx) => {
    const body = ctx.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) return invalidRequest("A query attribute must be specified and must be a string.");
    const request = body as { query: string; variables?: Record<string, unknown> };
    const visible = (fullName: string) => {
      const repo = ctx.state.repos.get(fullName.toLowerCase());
      return repo !== undefined && ctx.state.installationFor(repo)?.id === ctx.installation.id && (ctx.token.repos === null || ctx.token.repos.has(fullName.toLowerCase()));
    };
    // GraphQL answers 200 even when the query fails; errors travel in the body.
    return ok(await executeGitHubGraphql(request, graphqlObjectSource(ctx.state, visible, ctx.rateLimit)));
  },
};
