import { createGitHubClient } from "../github/create-github-client.ts";
import { type InstallationTokens, installationTokens } from "../github/installation-tokens.ts";
import { readPrivateKey } from "../github/read-private-key.ts";
import { repoGitHub, type RepoGitHub } from "../github/repo-github.ts";
import type { AppBindings } from "./app-bindings.ts";
import { log } from "./log.ts";

const DEFAULT_API_URL = "https://api.github.com";

export interface GitHubApp {
  readonly appId: number;
  /** A client for one repository acting as the installation; `onRequest` counts the calls it makes. */
  repository(installationId: number, owner: string, repo: string, onRequest?: () => void): Promise<RepoGitHub>;
}

/** Why the App cannot act: a secret is missing or unusable (the message names it, never its value). */
export class AppConfigError extends Error {}

// Per isolate: the imported key and the installation tokens outlive one request.
let cached: { readonly id: string; readonly pem: string; readonly url: string; readonly tokens: Promise<InstallationTokens> } | undefined;

/** The App's identity from its secrets, with installation tokens cached across requests. */
export function gitHubApp(env: AppBindings): GitHubApp {
  const { GITHUB_APP_ID: id, GITHUB_PRIVATE_KEY: pem } = env;
  if (!id || !/^\d+$/.test(id)) throw new AppConfigError("GITHUB_APP_ID is not set to the App's numeric ID (wrangler secret put GITHUB_APP_ID)");
  if (!pem) throw new AppConfigError("GITHUB_PRIVATE_KEY is not set (wrangler secret put GITHUB_PRIVATE_KEY < private-key.pem)");
  const baseUrl = env.GITHUB_API_URL || DEFAULT_API_URL;
  const logWarning = (message: string) => log("github.warning", { message });
  if (!cached || cached.id !== id || cached.pem !== pem || cached.url !== baseUrl) {
    const tokens = readPrivateKey(pem).then((key) => installationTokens({ appId: id, key }, { baseUrl, log: logWarning }));
    cached = { id, pem, url: baseUrl, tokens };
  }
  const tokens = cached.tokens;
  return {
    appId: Number(id),
    async repository(installationId, owner, repo, onRequest) {
      const token = await (await tokens).get(installationId, onRequest);
      const octokit = createGitHubClient({ baseUrl, authorization: `token ${token}`, log: logWarning, ...(onRequest ? { onRequest } : {}) });
      return repoGitHub(octokit, owner, repo);
    },
  };
}
