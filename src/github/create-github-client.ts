import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

const GitHubOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

/** Waits longer than this are not slept through in a request: the caller reschedules the whole job. */
const MAX_INLINE_WAIT_SECONDS = 60;
const MAX_RATE_LIMIT_RETRIES = 3;

export interface GitHubClientOptions {
  readonly baseUrl: string;
  /** An installation token (`token …`) or an App JWT (`Bearer …`), as the Authorization header value. */
  readonly authorization?: string;
  /** Called once per HTTP request actually sent, retries included: the API-call budget counts these. */
  readonly onRequest?: (method: string, url: string) => void;
  readonly log?: (message: string) => void;
}

/**
 * Octokit over fetch with GitHub's rules: secondary limits honour `retry-after`, primary limits wait for
 * `x-ratelimit-reset` (when short), 5xx answers are retried with backoff; a longer wait is thrown to the
 * caller, which retries the job later instead of holding a request open.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const log = options.log ?? (() => {});
  const counted: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    options.onRequest?.(request.method, request.url);
    return fetch(request);
  };
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    log(`GitHub ${kind} rate limit on ${request.method} ${request.url}: retry in ${retryAfter} s (attempt ${retryCount + 1})`);
    return retryAfter <= MAX_INLINE_WAIT_SECONDS && retryCount < MAX_RATE_LIMIT_RETRIES;
  };
  return new GitHubOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    userAgent: "meshgate",
    request: { fetch: counted },
    ...(options.authorization ? { auth: options.authorization.replace(/^(token|Bearer) /, "") } : {}),
    throttle: { onRateLimit: onLimit("primary"), onSecondaryRateLimit: onLimit("secondary") },
    retry: { retries: 3 },
    log: { debug: () => {}, info: () => {}, warn: log, error: log },
  });
}
