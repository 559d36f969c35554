import type { MeshIndexStore } from "./mesh-index-store.ts";
import type { PullRequestReviewer } from "./pull-request-reviewer.ts";

/** The Worker's environment: secrets (set with `wrangler secret put`), settings, Durable Objects. */
export interface AppBindings {
  readonly GITHUB_APP_ID?: string;
  readonly GITHUB_PRIVATE_KEY?: string;
  readonly GITHUB_WEBHOOK_SECRET?: string;
  readonly GITHUB_API_URL?: string;
  readonly CHECK_API?: string;
  readonly PULL_REQUESTS: DurableObjectNamespace<PullRequestReviewer>;
  readonly MESH_INDEX: DurableObjectNamespace<MeshIndexStore>;
}

export const SECRET_NAMES = ["GITHUB_APP_ID", "GITHUB_PRIVATE_KEY", "GITHUB_WEBHOOK_SECRET"] as const;

/** Which secrets are set (never their values), for `/healthz`. */
export function configuredSecrets(env: Partial<Record<(typeof SECRET_NAMES)[number], string>>): Record<string, boolean> {
  return Object.fromEntries(SECRET_NAMES.map((n) => [n, typeof env[n] === "string" && env[n] !== ""]));
}
