import { execFile } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type CheckRunState, type GitHubSimulator, type IssueCommentState, type RequestRecord, startGitHubSimulator } from "../github-simulator/github-simulator.ts";
import { type DevServer, startWranglerDev } from "./start-wrangler-dev.ts";

const run = promisify(execFile);

export const APP_ID = 4242;

/** Exactly the permissions and events of `app.yml`, so the simulator enforces what GitHub would. */
export const APP_PERMISSIONS = { contents: "write", pull_requests: "write", checks: "write", deployments: "write", metadata: "read" } as const;
export const APP_EVENTS = ["pull_request", "check_run", "check_suite", "issue_comment"];

export interface AppHarness {
  readonly github: GitHubSimulator;
  readonly worker: DevServer;
  /** The App's secrets, so tests can assert they never leak into logs or GitHub. */
  readonly secrets: readonly string[];
  /** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
  waitFor<T>(what: string, check: () => T | undefined, timeoutMs?: number): Promise<T>;
  /**
   * Waits for the review of `headSha` on pull request `number`: its completed check run, then the
   * comment naming that head (written after the run). `calls`: every API request since `mark`.
   */
  reviewed(owner: string, repo: string, number: number, headSha: string, mark: number, timeoutMs?: number): Promise<{ run: CheckRunState; comment: IssueCommentState; calls: RequestRecord[] }>;
  stop(): Promise<void>;
}

/**
 * The App as users run it: the Worker bundled exactly as `wrangler deploy` would, served by workerd
 * (`wrangler dev`), talking over HTTP to the GitHub simulator, which signs and delivers webhooks to it.
 */
export async function startAppHarness(): Promise<AppHarness> {
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs1", format: "pem" } });
  const webhookSecret = randomBytes(20).toString("hex");
  const github = await startGitHubSimulator({
    app: { id: APP_ID, slug: "meshgate", name: "meshgate", publicKeyPem: keys.publicKey, permissions: { ...APP_PERMISSIONS }, events: APP_EVENTS },
    webhookSecret,
  });
  const dir = await mkdtemp(join(tmpdir(), "meshgate-app-"));
  let worker: DevServer;
  try {
    await run(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", join(dir, "bundle")], { env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } });
    worker = await startWranglerDev(join(dir, "bundle", "index.js"), {
      GITHUB_API_URL: github.url,
      GITHUB_APP_ID: String(APP_ID),
      GITHUB_PRIVATE_KEY: keys.privateKey,
      GITHUB_WEBHOOK_SECRET: webhookSecret,
    }, join(dir, "state")); // fresh Durable Object storage for every run, outside the watched bundle folder
  } catch (error) {
    await github.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  github.setWebhookUrl(`${worker.url}/webhooks/github`);
  async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${worker.log()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return {
    github,
    worker,
    secrets: [webhookSecret, ...keys.privateKey.split("\n").filter((l) => l.length > 40)],
    waitFor,
    async reviewed(owner, repo, number, headSha, mark, timeoutMs) {
      const short = headSha.slice(0, 7);
      const run = await waitFor(`the check run of ${short}`, () => github.checkRuns(owner, repo, headSha).find((r) => r.status === "completed"), timeoutMs);
      const comment = await waitFor(`the comment for ${short}`, () => github.issueComments(owner, repo, number).find((c) => c.body.includes(short)), timeoutMs);
      return { run, comment, calls: github.requests.slice(mark) };
    },
    async stop() {
      await worker.stop();
      await github.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
