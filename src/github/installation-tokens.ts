import { createAppJwt } from "./create-app-jwt.ts";
import { createGitHubClient, type GitHubClientOptions } from "./create-github-client.ts";

/** Tokens are renewed this long before GitHub's expiry, so no request ever carries a dying token. */
const RENEW_BEFORE_MS = 5 * 60_000;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

export interface InstallationTokens {
  /** `onRequest` is called if GitHub had to be asked (the cache missed). */
  get(installationId: number, onRequest?: () => void): Promise<string>;
}

/**
 * Installation access tokens (one hour each), fetched with the App JWT and cached until five minutes
 * before they expire. The cache lives as long as the isolate: a cold one just asks GitHub again.
 */
export function installationTokens(
  app: { readonly appId: string; readonly key: CryptoKey },
  client: Omit<GitHubClientOptions, "authorization">,
  now: () => number = Date.now,
): InstallationTokens {
  const cache = new Map<number, CachedToken>();
  return {
    async get(installationId, onRequest) {
      const hit = cache.get(installationId);
      if (hit && hit.expiresAt - RENEW_BEFORE_MS > now()) return hit.token;
      const jwt = await createAppJwt(app.appId, app.key, Math.floor(now() / 1000));
      const octokit = createGitHubClient({ ...client, authorization: `Bearer ${jwt}`, ...(onRequest ? { onRequest } : {}) });
      const { data } = await octokit.rest.apps.createInstallationAccessToken({ installation_id: installationId });
      cache.set(installationId, { token: data.token, expiresAt: Date.parse(data.expires_at) });
      return data.token;
    },
  };
}
