import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GitRepository } from "./git-repository.ts";
import type { InjectedFailure, SimulatorRuntime } from "./handle-api-request.ts";
import { handleApiRequest } from "./handle-api-request.ts";
import { RateLimiter } from "./rate-limiter.ts";
import type { Permission, PullState, RepoState, SimulatorApp, UserState } from "./simulator-state.ts";
import { isoSeconds, SimulatorState } from "./simulator-state.ts";
import type { Delivery } from "./webhook-sender.ts";
import { WebhookSender } from "./webhook-sender.ts";
import { checkRunPayload, installationPayload, issueCommentPayload, pullRequestPayload } from "./webhook-payloads.ts";
import { appRoutes } from "./app-routes.ts";
import { checkRoutes } from "./check-routes.ts";
import { commentRoutes } from "./comment-routes.ts";
import { commitRoutes } from "./commit-routes.ts";
import { contentRoutes } from "./content-routes.ts";
import { deploymentRoutes } from "./deployment-routes.ts";
import { graphqlRoute } from "./graphql-route.ts";
import { pullRoutes } from "./pull-routes.ts";
import { repositoryRoutes } from "./repository-routes.ts";

export type { Delivery } from "./webhook-sender.ts";
export type { InjectedFailure } from "./handle-api-request.ts";
export type { Permission, SimulatorApp } from "./simulator-state.ts";

export interface SimulatorOptions {
  app: SimulatorApp;
  webhookSecret: string;
  webhookUrl?: string;
  /** Primary rate limit per installation per hour (GitHub's minimum for installations: 5,000). */
  rateLimitPerHour?: number;
  /**
   * Deliver the events the app's own writes cause, as GitHub does: `issue_comment.created/edited` for its
   * comments, `check_run.created/completed` for its runs (when the app subscribes to them). Off by
   * default so that a test sees only the deliveries it triggers.
   */
  deliverOwnEvents?: boolean;
}

export interface IssueCommentState {
  id: number;
  body: string;
  user: string;
  created_at: string;
  updated_at: string;
}

export interface CheckRunState {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  started_at: string;
  completed_at: string | null;
  details_url: string | null;
  external_id: string | null;
  app_id: number;
  check_suite_id: number;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: {
    path: string;
    start_line: number;
    end_line: number;
    start_column: number | null;
    end_column: number | null;
    annotation_level: string;
    title: string | null;
    message: string;
    raw_details: string | null;
  }[];
}

export interface RequestRecord {
  method: string;
  /** Without the query string. */
  path: string;
  query: Record<string, string>;
  status: number;
  installationId?: number;
  /** Epoch milliseconds when the request arrived. */
  at: number;
}

export interface ResponseRecord {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: unknown;
}

export interface GitHubSimulator {
  readonly url: string;
  setWebhookUrl(url: string): void;
  close(): Promise<void>;
  createRepository(owner: string, name: string, files: Record<string, string>, opts?: { defaultBranch?: string }): Promise<{ id: number; sha: string }>;
  installApp(owner: string, repos: string[]): Promise<{ installationId: number; delivery?: Delivery }>;
  commit(owner: string, repo: string, branch: string, changes: Record<string, string | null>, message: string): Promise<string>;
  openPullRequest(owner: string, repo: string, pr: { head: string; base?: string; title: string; body?: string; draft?: boolean; user?: string }): Promise<{ number: number; delivery: Delivery }>;
  pushToPullRequest(owner: string, repo: string, number: number, changes: Record<string, string | null>, message: string): Promise<{ sha: string; delivery: Delivery }>;
  rerequestCheckRun(owner: string, repo: string, checkRunId: number): Promise<Delivery>;
  commentOnPullRequest(owner: string, repo: string, number: number, body: string, user: string): Promise<Delivery>;
  deliver(event: string, payload: object): Promise<Delivery>;
  redeliver(deliveryId: string): Promise<Delivery>;
  setCollaboratorPermission(owner: string, repo: string, user: string, permission: Permission): void;
  injectFailure(failure: InjectedFailure): void;
  issueComments(owner: string, repo: string, number: number): IssueCommentState[];
  checkRuns(owner: string, repo: string, headSha?: string): CheckRunState[];
  readonly requests: readonly RequestRecord[];
  resetRequests(): void;
  onResponse(listener: (r: ResponseRecord) => void): void;
  readonly deliveries: readonly Delivery[];
}

/**
 * Starts a GitHub API simulator on 127.0.0.1 (random port): api.github.com as a GitHub App uses it,
 * with state kept in real bare git repositories, and webhooks signed and delivered to `webhookUrl`.
 */
export async function startGitHubSimulator(options: SimulatorOptions): Promise<GitHubSimulator> {
  const state = new SimulatorState(options.app);
  const webhooks = new WebhookSender({ secret: options.webhookSecret, appId: options.app.id, events: options.app.events, url: options.webhookUrl, ownEvents: options.deliverOwnEvents ?? false });
  const runtime: SimulatorRuntime = {
    state,
    webhooks,
    limiter: new RateLimiter(options.rateLimitPerHour ?? 5000),
    routes: [...appRoutes, ...repositoryRoutes, ...pullRoutes, ...commitRoutes, ...contentRoutes, ...commentRoutes, ...checkRoutes, ...deploymentRoutes, graphqlRoute],
    failures: [],
  };
  const root = mkdtempSync(join(tmpdir(), "github-simulator-"));
  const requests: RequestRecord[] = [];
  const listeners: ((r: ResponseRecord) => void)[] = [];
  const server = createServer((req, res) => {
    serve(runtime, req, res, requests, listeners).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ message: `simulator error: ${error instanceof Error ? error.message : String(error)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.apiUrl = url;

  const repoOf = (owner: string, name: string): RepoState => state.repo(owner, name) ?? fail(`no repository ${owner}/${name}`);
  const pullOf = (repo: RepoState, number: number): PullState => repo.pulls.get(number) ?? fail(`no pull request #${number} in ${repo.fullName}`);
  const authorOf = (user: UserState) => ({ name: user.login, email: `${user.id}+${user.login}@users.noreply.github.com` });
  const commitOn = (repo: RepoState, branch: string, changes: Record<string, string | null>, message: string, author: UserState): string => {
    const parent = repo.git.branchHead(branch) ?? repo.git.branchHead(repo.defaultBranch);
    const now = new Date();
    const sha = repo.git.commit(branch, parent, changes, message, authorOf(author), now);
    repo.pushedAt = isoSeconds(now);
    return sha;
  };

  return {
    url,
    get requests() {
      return requests;
    },
    get deliveries() {
      return webhooks.deliveries;
    },
    setWebhookUrl: (hookUrl) => webhooks.setUrl(hookUrl),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      rmSync(root, { recursive: true, force: true });
    },
    createRepository: async (owner, name, files, opts) => {
      const fullName = `${owner}/${name}`;
      if (state.repos.has(fullName.toLowerCase())) throw new Error(`${fullName} already exists`);
      const ownerUser = state.user(owner);
      const defaultBranch = opts?.defaultBranch ?? "main";
      const now = isoSeconds(new Date());
      const repo: RepoState = {
        id: state.nextId(700_000_000),
        owner: ownerUser,
        name,
        fullName,
        defaultBranch,
        createdAt: now,
        pushedAt: now,
        git: new GitRepository(join(root, `${state.repos.size}-${owner}-${name}.git`), defaultBranch),
        nextNumber: 1,
        pulls: new Map(),
        comments: [],
        checkRuns: [],
        checkSuites: new Map(),
        deployments: [],
        collaborators: new Map(),
      };
      const sha = repo.git.commit(defaultBranch, null, files, "Initial commit", authorOf(ownerUser), new Date());
      state.repos.set(fullName.toLowerCase(), repo);
      return { id: repo.id, sha };
    },
    installApp: async (owner, repos) => {
      const account = state.user(owner);
      const installation = {
        id: state.nextId(50_000_000),
        account,
        repositorySelection: repos.length === 0 ? ("all" as const) : ("selected" as const),
        repos: new Set(repos.map((name) => `${owner}/${name}`.toLowerCase())),
        createdAt: isoSeconds(new Date()),
      };
      for (const name of installation.repos) if (!state.repos.has(name)) throw new Error(`no repository ${name}`);
      state.installations.set(installation.id, installation);
      if (webhooks.url === undefined) return { installationId: installation.id };
      const delivery = await webhooks.send("installation", installationPayload(state, installation, "created", account));
      return { installationId: installation.id, delivery };
    },
    commit: async (owner, name, branch, changes, message) => {
      const repo = repoOf(owner, name);
      return commitOn(repo, branch, changes, message, repo.owner);
    },
    openPullRequest: async (owner, name, pr) => {
      const repo = repoOf(owner, name);
      const base = pr.base ?? repo.defaultBranch;
      if (repo.git.branchHead(pr.head) === null) throw new Error(`no branch ${pr.head} in ${repo.fullName}`);
      if (repo.git.branchHead(base) === null) throw new Error(`no branch ${base} in ${repo.fullName}`);
      const now = isoSeconds(new Date());
      const user = pr.user === undefined ? repo.owner : state.user(pr.user);
      const pull: PullState = {
        number: repo.nextNumber++,
        id: state.nextId(1_500_000_000),
        title: pr.title,
        body: pr.body ?? null,
        draft: pr.draft ?? false,
        user,
        head: pr.head,
        base,
        state: "open",
        createdAt: now,
        updatedAt: now,
      };
      repo.pulls.set(pull.number, pull);
      const delivery = await webhooks.send("pull_request", pullRequestPayload(state, repo, pull, "opened", user));
      return { number: pull.number, delivery };
    },
    pushToPullRequest: async (owner, name, number, changes, message) => {
      const repo = repoOf(owner, name);
      const pull = pullOf(repo, number);
      const before = repo.git.branchHead(pull.head) ?? "";
      const sha = commitOn(repo, pull.head, changes, message, pull.user);
      pull.updatedAt = isoSeconds(new Date());
      const delivery = await webhooks.send("pull_request", pullRequestPayload(state, repo, pull, "synchronize", pull.user, { before, after: sha }));
      return { sha, delivery };
    },
    rerequestCheckRun: async (owner, name, checkRunId) => {
      const repo = repoOf(owner, name);
      const run = repo.checkRuns.find((r) => r.id === checkRunId) ?? fail(`no check run ${checkRunId} in ${repo.fullName}`);
      return webhooks.send("check_run", checkRunPayload(state, repo, run, "rerequested", repo.owner));
    },
    commentOnPullRequest: async (owner, name, number, body, login) => {
      const repo = repoOf(owner, name);
      const pull = pullOf(repo, number);
      const now = isoSeconds(new Date());
      const comment = { id: state.nextId(2_000_000_000), issueNumber: number, body, user: state.user(login), viaApp: false, createdAt: now, updatedAt: now };
      repo.comments.push(comment);
      return webhooks.send("issue_comment", issueCommentPayload(state, repo, pull, comment, "created"));
    },
    deliver: (event, payload) => webhooks.send(event, payload),
    redeliver: (id) => webhooks.redeliver(id),
    setCollaboratorPermission: (owner, name, login, permission) => {
      const repo = repoOf(owner, name);
      repo.collaborators.set(state.user(login).login.toLowerCase(), permission);
    },
    injectFailure: (failure) => {
      runtime.failures.push({ failure, remaining: failure.times ?? 1 });
    },
    issueComments: (owner, name, number) =>
      repoOf(owner, name)
        .comments.filter((c) => c.issueNumber === number)
        .map((c) => ({ id: c.id, body: c.body, user: c.user.login, created_at: c.createdAt, updated_at: c.updatedAt })),
    checkRuns: (owner, name, headSha) =>
      repoOf(owner, name)
        .checkRuns.filter((r) => headSha === undefined || r.headSha === headSha)
        .map((r) => ({
          id: r.id,
          name: r.name,
          head_sha: r.headSha,
          status: r.status,
          conclusion: r.conclusion,
          started_at: r.startedAt,
          completed_at: r.completedAt,
          details_url: r.detailsUrl,
          external_id: r.externalId,
          app_id: r.appId,
          check_suite_id: r.checkSuiteId,
          output: { ...r.output },
          annotations: r.annotations.map((a) => ({ ...a })),
        })),
    resetRequests: () => {
      requests.length = 0;
    },
    onResponse: (listener) => {
      listeners.push(listener);
    },
  };
}

async function serve(runtime: SimulatorRuntime, req: IncomingMessage, res: ServerResponse, requests: RequestRecord[], listeners: ((r: ResponseRecord) => void)[]): Promise<void> {
  const at = Date.now();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", runtime.state.apiUrl);
  const requestId = `${randomBytes(2).toString("hex").toUpperCase()}:${randomBytes(3).toString("hex").toUpperCase()}:${randomBytes(4).toString("hex").toUpperCase()}`;
  const { response, installationId } = await handleApiRequest(runtime, { method, url, remoteAddress: req.socket.remoteAddress ?? "127.0.0.1", headers: req.headers, body: Buffer.concat(chunks) }, requestId);
  const headers: Record<string, string> = {
    "x-github-api-version-selected": "2022-11-28",
    "x-github-media-type": "github.v3; format=json",
    "x-github-request-id": requestId,
    ...(response.headers ?? {}),
  };
  let payload: Buffer;
  let contentType: string;
  let parsed: unknown;
  if (response.raw !== undefined) {
    contentType = response.raw.contentType;
    payload = response.raw.bytes;
    parsed = response.raw.bytes.toString("utf8");
  } else if (response.body === undefined) {
    contentType = "";
    payload = Buffer.alloc(0);
    parsed = undefined;
  } else {
    contentType = "application/json; charset=utf-8";
    payload = Buffer.from(JSON.stringify(response.body));
    // Listeners see what went over the wire, not the simulator's own objects.
    parsed = listeners.length === 0 ? undefined : JSON.parse(payload.toString("utf8"));
  }
  if (contentType !== "") headers["content-type"] = contentType;
  res.writeHead(response.status, headers);
  res.end(payload);
  const query = Object.fromEntries(url.searchParams.entries());
  requests.push({ method, path: url.pathname, query, status: response.status, ...(installationId === undefined ? {} : { installationId }), at });
  for (const listener of listeners) listener({ method, path: url.pathname + url.search, status: response.status, contentType, body: parsed });
}

function fail(message: string): never {
  throw new Error(message);
}
