import { createHmac, createSign, generateKeyPairSync, timingSafeEqual } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubSimulator } from "../github-simulator/github-simulator.ts";
import type { GitHubSimulator, SimulatorApp } from "../github-simulator/github-simulator.ts";
import { validateResponse, validateWebhookPayload } from "../github-simulator/openapi-validator.ts";

const SECRET = "It's a Secret to Everybody";
const APP_ID = 424242;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const otherKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });

function signJwt(claims: Record<string, unknown>, privateKey = keys.privateKey): string {
  const header = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT" })).toString("base64url");
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = createSign("RSA-SHA256").update(`${header}.${payload}`).sign(privateKey).toString("base64url");
  return `${header}.${payload}.${signature}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const goodJwt = () => signJwt({ iat: nowSeconds() - 30, exp: nowSeconds() + 540, iss: APP_ID });

function appConfig(overrides: Partial<SimulatorApp> = {}): SimulatorApp {
  return {
    id: APP_ID,
    slug: "meshgate",
    name: "meshgate",
    clientId: "Iv23liTESTCLIENT",
    publicKeyPem: keys.publicKey.export({ type: "spki", format: "pem" }).toString(),
    permissions: { checks: "write", contents: "read", pull_requests: "write", issues: "write", deployments: "write", metadata: "read" },
    events: ["pull_request", "check_run", "check_suite", "issue_comment"],
    ...overrides,
  };
}

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A webhook receiver that records what it got and answers 202, as the Worker does. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(202, { "content-type": "text/plain" }).end("queued");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`, received, server };
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown> & unknown[];
}

async function call(sim: GitHubSimulator, method: string, path: string, auth: string | null, body?: unknown, accept?: string): Promise<Answer> {
  const headers: Record<string, string> = { accept: accept ?? "application/vnd.github+json" };
  if (auth !== null) headers["authorization"] = auth;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${sim.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

async function installationToken(sim: GitHubSimulator, installationId: number, body?: unknown): Promise<string> {
  const answer = await call(sim, "POST", `/app/installations/${installationId}/access_tokens`, `Bearer ${goodJwt()}`, body);
  expect(answer.status).toBe(201);
  return String(answer.json()["token"]);
}

function git(dir: string, args: string[], input?: string, env: Record<string, string> = {}): string {
  return execFileSync("git", args, { cwd: dir, input, env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", ...env } }).toString().trim();
}

describe("GitHub simulator", () => {
  let sim: GitHubSimulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let installationId: number;
  let token: string;
  let initialSha: string;
  const schemaProblems: string[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await startGitHubSimulator({ app: appConfig(), webhookSecret: SECRET, webhookUrl: receiver.url });
    sim.onResponse((r) => {
      if (!r.path.startsWith("/graphql")) schemaProblems.push(...validateResponse(r));
    });
    initialSha = (await sim.createRepository("acme", "mesh", { "mesh/reviews-vs.yaml": "kind: VirtualService\nmetadata:\n  name: reviews\n", "README.md": "# mesh\n", "docs/old.md": "one\ntwo\nthree\n" })).sha;
    await sim.createRepository("acme", "not-installed", { "README.md": "private\n" });
    installationId = (await sim.installApp("acme", ["mesh"])).installationId;
    token = await installationToken(sim, installationId);
  });

  afterAll(async () => {
    await sim.close();
    receiver.server.close();
  });

  it("stores real git objects: blob, tree and commit SHAs are the ones git computes", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "sim-test-"));
    try {
      git(scratch, ["init", "--quiet", "--bare"]);
      const blob = git(scratch, ["hash-object", "-w", "--stdin"], "kind: VirtualService\nmetadata:\n  name: reviews\n");
      const content = (await call(sim, "GET", "/repos/acme/mesh/contents/mesh/reviews-vs.yaml", `token ${token}`)).json();
      expect(content["sha"]).toBe(blob);

      // Rebuild the same tree and commit with plain git; the simulator's SHAs must match byte for byte.
      const readme = git(scratch, ["hash-object", "-w", "--stdin"], "# mesh\n");
      const old = git(scratch, ["hash-object", "-w", "--stdin"], "one\ntwo\nthree\n");
      const mesh = git(scratch, ["mktree"], `100644 blob ${blob}\treviews-vs.yaml\n`);
      const docs = git(scratch, ["mktree"], `100644 blob ${old}\told.md\n`);
      const root = git(scratch, ["mktree"], `100644 blob ${readme}\tREADME.md\n040000 tree ${docs}\tdocs\n040000 tree ${mesh}\tmesh\n`);
      const commit = (await call(sim, "GET", `/repos/acme/mesh/commits/${initialSha}`, `token ${token}`)).json() as unknown as {
        sha: string;
        commit: { tree: { sha: string }; message: string; author: { name: string; email: string; date: string } };
      };
      expect(commit.commit.tree.sha).toBe(root);
      const { name, email, date } = commit.commit.author;
      const when = `${Date.parse(date) / 1000} +0000`;
      const env = { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: when, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_COMMITTER_DATE: when };
      expect(git(scratch, ["commit-tree", root, "-m", commit.commit.message], undefined, env)).toBe(initialSha);

      const tree = (await call(sim, "GET", `/repos/acme/mesh/git/trees/${initialSha}?recursive=1`, `token ${token}`)).json();
      expect(tree["sha"]).toBe(root);
      expect(tree["truncated"]).toBe(false);
      expect((tree["tree"] as { path: string; sha: string }[]).map((e) => `${e.path} ${e.sha}`)).toEqual([`README.md ${readme}`, `docs ${docs}`, `docs/old.md ${old}`, `mesh ${mesh}`, `mesh/reviews-vs.yaml ${blob}`]);
      const ref = (await call(sim, "GET", "/repos/acme/mesh/git/ref/heads/main", `token ${token}`)).json();
      expect(ref["object"]).toMatchObject({ type: "commit", sha: initialSha });
      const blobAnswer = (await call(sim, "GET", `/repos/acme/mesh/git/blobs/${blob}`, `token ${token}`)).json();
      expect(Buffer.from(String(blobAnswer["content"]), "base64").toString()).toBe("kind: VirtualService\nmetadata:\n  name: reviews\n");
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  describe("app authentication", () => {
    const tokenRequest = (jwt: string) => call(sim, "POST", `/app/installations/${installationId}/access_tokens`, `Bearer ${jwt}`);

    it("issues an installation token for a good JWT (iss as number, string or client id)", async () => {
      for (const iss of [APP_ID, String(APP_ID), "Iv23liTESTCLIENT"]) {
        const answer = await tokenRequest(signJwt({ iat: nowSeconds() - 60, exp: nowSeconds() + 500, iss }));
        expect(answer.status).toBe(201);
        const body = answer.json();
        expect(body["token"]).toMatch(/^ghs_[A-Za-z0-9]{20,}$/);
        const expiresIn = Date.parse(String(body["expires_at"])) - Date.now();
        expect(expiresIn).toBeGreaterThan(59 * 60 * 1000);
        expect(expiresIn).toBeLessThanOrEqual(60 * 60 * 1000);
        expect(body["permissions"]).toMatchObject({ checks: "write", contents: "read" });
      }
      expect((await call(sim, "GET", "/app", `Bearer ${goodJwt()}`)).json()["id"]).toBe(APP_ID);
      expect((await call(sim, "GET", "/repos/acme/mesh/installation", `Bearer ${goodJwt()}`)).json()["id"]).toBe(installationId);
      expect((await call(sim, "GET", "/repos/acme/not-installed/installation", `Bearer ${goodJwt()}`)).status).toBe(404);
    });

    it("refuses expired, too long-lived, future-issued and foreign-key JWTs with GitHub's messages", async () => {
      const cases: [string, string][] = [
        [signJwt({ iat: nowSeconds() - 700, exp: nowSeconds() - 100, iss: APP_ID }), "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"],
        [signJwt({ iat: nowSeconds(), exp: nowSeconds() + 660, iss: APP_ID }), "'Expiration time' claim ('exp') is too far in the future"],
        [signJwt({ iat: nowSeconds() - 60, exp: nowSeconds() + 590, iss: APP_ID }), "'Expiration time' claim ('exp') is too far in the future"],
        [signJwt({ iat: nowSeconds() + 300, exp: nowSeconds() + 500, iss: APP_ID }), "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"],
        [signJwt({ iat: nowSeconds() - 30, exp: nowSeconds() + 500, iss: APP_ID }, otherKeys.privateKey), "A JSON web token could not be decoded"],
        [signJwt({ iat: nowSeconds() - 30, exp: nowSeconds() + 500, iss: 1 }), "A JSON web token could not be decoded"],
        ["not-a-jwt", "A JSON web token could not be decoded"],
      ];
      for (const [jwt, message] of cases) {
        const answer = await tokenRequest(jwt);
        expect(answer.status, message).toBe(401);
        expect(answer.json()["message"]).toBe(message);
      }
      // An installation token is not an app JWT, and an app JWT is not an installation token.
      expect((await call(sim, "GET", "/app", `token ${token}`)).status).toBe(401);
      expect((await call(sim, "GET", "/repos/acme/mesh", `Bearer ${goodJwt()}`)).status).toBe(403);
    });

    it("answers 401 to an unknown token, 404 to a repository the installation does not cover", async () => {
      const bad = await call(sim, "GET", "/repos/acme/mesh", "token ghs_notatokenatall0000000000");
      expect([bad.status, bad.json()["message"]]).toEqual([401, "Bad credentials"]);
      expect((await call(sim, "GET", "/repos/acme/not-installed", `token ${token}`)).status).toBe(404);
      const anonymous = await call(sim, "GET", "/repos/acme/mesh", null);
      expect(anonymous.status).toBe(404);
      expect(anonymous.headers.get("x-ratelimit-limit")).toBe("60");
      const unknown = await call(sim, "GET", "/repos/acme/mesh/made-up-route", `token ${token}`);
      expect(unknown.json()).toMatchObject({ message: "Not Found", status: "404" });
      expect(unknown.headers.get("x-ratelimit-limit")).toBe("5000");
    });

    it("enforces the token's permissions: 403 for checks:write on a token narrowed to contents:read", async () => {
      const narrow = await installationToken(sim, installationId, { permissions: { contents: "read" } });
      const head = (await call(sim, "GET", "/repos/acme/mesh/commits/main", `token ${narrow}`)).json()["sha"];
      const denied = await call(sim, "POST", "/repos/acme/mesh/check-runs", `token ${narrow}`, { name: "meshgate", head_sha: head });
      expect(denied.status).toBe(403);
      expect(denied.json()["message"]).toBe("Resource not accessible by integration");
      expect(denied.headers.get("x-accepted-github-permissions")).toBe("checks=write");
      expect(sim.checkRuns("acme", "mesh")).toHaveLength(0);
      const asking = await call(sim, "POST", `/app/installations/${installationId}/access_tokens`, `Bearer ${goodJwt()}`, { permissions: { administration: "write" } });
      expect(asking.status).toBe(422);
    });
  });

  it("counts the primary rate limit per installation and answers 403 once it is spent", async () => {
    const small = await startGitHubSimulator({ app: appConfig(), webhookSecret: SECRET, rateLimitPerHour: 3 });
    try {
      await small.createRepository("acme", "mesh", { "a.yaml": "a: 1\n" });
      const { installationId: id } = await small.installApp("acme", ["mesh"]);
      const limited = await installationToken(small, id);
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const answer = await call(small, "GET", "/repos/acme/mesh", `token ${limited}`);
        expect(answer.status).toBe(200);
        remaining.push(answer.headers.get("x-ratelimit-remaining"));
        expect(answer.headers.get("x-ratelimit-limit")).toBe("3");
        expect(answer.headers.get("x-ratelimit-resource")).toBe("core");
      }
      expect(remaining).toEqual(["2", "1", "0"]);
      const spent = await call(small, "GET", "/repos/acme/mesh", `token ${limited}`);
      expect(spent.status).toBe(403);
      expect(spent.json()["message"]).toBe(`API rate limit exceeded for installation ID ${id}.`);
      expect(spent.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(spent.headers.get("x-ratelimit-used")).toBe("3");
      expect(Number(spent.headers.get("x-ratelimit-reset"))).toBeGreaterThan(nowSeconds() + 3500);
      // A second token of the same installation shares the budget.
      expect((await call(small, "GET", "/repos/acme/mesh", `token ${await installationToken(small, id)}`)).status).toBe(403);
    } finally {
      await small.close();
    }
  });

  it("caps a pull request's file list at 3,000 files and a comparison's at 300", async () => {
    const big = await startGitHubSimulator({ app: appConfig(), webhookSecret: SECRET });
    try {
      await big.createRepository("acme", "big", { "README.md": "big\n" });
      const { installationId: id } = await big.installApp("acme", ["big"]);
      const bigToken = await installationToken(big, id);
      const files: Record<string, string> = {};
      for (let i = 0; i < 3001; i++) files[`mesh/vs-${String(i).padStart(4, "0")}.yaml`] = `n: ${i}\n`;
      await big.commit("acme", "big", "huge", files, "3,001 files");
      const { number, delivery } = await big.openPullRequest("acme", "big", { head: "huge", title: "Huge" });
      expect([delivery.status, delivery.error]).toEqual([0, "no webhook URL is set (setWebhookUrl)"]);
      const last = await call(big, "GET", `/repos/acme/big/pulls/${number}/files?per_page=100&page=30`, `token ${bigToken}`);
      expect(last.json()).toHaveLength(100);
      expect(last.headers.get("link")).not.toContain('rel="next"');
      expect((await call(big, "GET", `/repos/acme/big/pulls/${number}/files?per_page=100&page=31`, `token ${bigToken}`)).json()).toEqual([]);
      const compared = (await call(big, "GET", "/repos/acme/big/compare/main...huge", `token ${bigToken}`)).json();
      expect(compared["files"]).toHaveLength(300);
    } finally {
      await big.close();
    }
  });

  describe("a pull request", () => {
    let number: number;
    let headSha: string;

    beforeAll(async () => {
      const changes: Record<string, string | null> = { "mesh/reviews-vs.yaml": "kind: VirtualService\nmetadata:\n  name: reviews\n  namespace: prod\n", "docs/old.md": null };
      for (let i = 0; i < 33; i++) changes[`mesh/generated/vs-${String(i).padStart(2, "0")}.yaml`] = `kind: VirtualService\nmetadata:\n  name: vs-${i}\n`;
      headSha = await sim.commit("acme", "mesh", "canary", changes, "Shift canary weight");
      number = (await sim.openPullRequest("acme", "mesh", { head: "canary", title: "Shift canary", body: "20% to v2", user: "dev" })).number;
    });

    it("lists its files with GitHub's statuses, patches and Link pagination", async () => {
      const first = await call(sim, "GET", `/repos/acme/mesh/pulls/${number}/files`, `token ${token}`);
      expect(first.json()).toHaveLength(30);
      const link = first.headers.get("link") ?? "";
      expect(link).toContain(`/repos/acme/mesh/pulls/${number}/files?per_page=30&page=2>; rel="next"`);
      expect(link).toContain(`page=2>; rel="last"`);
      const second = await call(sim, "GET", `/repos/acme/mesh/pulls/${number}/files?per_page=30&page=2`, `token ${token}`);
      const rest = second.json() as unknown as { filename: string }[];
      expect(rest).toHaveLength(5);
      expect(second.headers.get("link")).toContain('rel="prev"');
      expect(second.headers.get("link")).not.toContain('rel="next"');

      const all = (await call(sim, "GET", `/repos/acme/mesh/pulls/${number}/files?per_page=100`, `token ${token}`)).json() as unknown as Record<string, unknown>[];
      expect(all).toHaveLength(35);
      expect(all.find((f) => f["filename"] === "docs/old.md")).toMatchObject({ status: "removed", additions: 0, deletions: 3, changes: 3 });
      const modified = all.find((f) => f["filename"] === "mesh/reviews-vs.yaml");
      expect(modified).toMatchObject({ status: "modified", additions: 1, deletions: 0, changes: 1 });
      expect(modified?.["patch"]).toBe("@@ -1,3 +1,4 @@\n kind: VirtualService\n metadata:\n   name: reviews\n+  namespace: prod");
      expect(modified?.["contents_url"]).toBe(`${sim.url}/repos/acme/mesh/contents/mesh/reviews-vs.yaml?ref=${headSha}`);

      const pull = (await call(sim, "GET", `/repos/acme/mesh/pulls/${number}`, `token ${token}`)).json() as unknown as { head: { sha: string }; base: { sha: string }; changed_files: number; user: { login: string } };
      expect(pull.head.sha).toBe(headSha);
      expect(pull.base.sha).toBe(initialSha);
      expect(pull.changed_files).toBe(35);
      expect(pull.user.login).toBe("dev");
      const pulls = (await call(sim, "GET", `/repos/acme/mesh/commits/${headSha}/pulls`, `token ${token}`)).json() as unknown as { number: number }[];
      expect(pulls.map((p) => p.number)).toEqual([number]);
    });

    it("is paginated the way @octokit/rest expects", async () => {
      const octokit = new Octokit({ auth: token, baseUrl: sim.url });
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: "acme", repo: "mesh", pull_number: number, per_page: 10 });
      expect(files).toHaveLength(35);
      expect(new Set(files.map((f) => f.filename)).size).toBe(35);
    });

    it("renames a file with previous_filename, and reports a pushed commit as synchronize", async () => {
      const { sha, delivery } = await sim.pushToPullRequest("acme", "mesh", number, { "README.md": null, "README-mesh.md": "# mesh\n" }, "Rename the README");
      expect(delivery.event).toBe("pull_request");
      expect(delivery.action).toBe("synchronize");
      expect(delivery.payload).toMatchObject({ before: headSha, after: sha, pull_request: { head: { sha } } });
      const files = (await call(sim, "GET", `/repos/acme/mesh/pulls/${number}/files?per_page=100`, `token ${token}`)).json() as unknown as Record<string, unknown>[];
      expect(files.find((f) => f["filename"] === "README-mesh.md")).toMatchObject({ status: "renamed", previous_filename: "README.md", additions: 0, deletions: 0 });
    });

    it("serves contents as base64 JSON, raw bytes on the raw media type, and 404 when missing", async () => {
      const json = (await call(sim, "GET", "/repos/acme/mesh/contents/mesh/reviews-vs.yaml?ref=canary", `token ${token}`)).json();
      expect(json).toMatchObject({ type: "file", encoding: "base64", path: "mesh/reviews-vs.yaml", name: "reviews-vs.yaml" });
      expect(Buffer.from(String(json["content"]), "base64").toString()).toContain("namespace: prod");
      for (const accept of ["application/vnd.github.raw", "application/vnd.github.raw+json"]) {
        const raw = await call(sim, "GET", "/repos/acme/mesh/contents/mesh/reviews-vs.yaml?ref=canary", `token ${token}`, undefined, accept);
        expect(raw.status).toBe(200);
        expect(raw.headers.get("content-type")).toBe("application/vnd.github.raw; charset=utf-8");
        expect(raw.text).toBe("kind: VirtualService\nmetadata:\n  name: reviews\n  namespace: prod\n");
      }
      const original = await call(sim, "GET", "/repos/acme/mesh/contents/mesh/reviews-vs.yaml", `token ${token}`, undefined, "application/vnd.github.raw");
      expect(original.text).not.toContain("namespace");
      const listing = (await call(sim, "GET", "/repos/acme/mesh/contents/mesh?ref=main", `token ${token}`)).json() as unknown as { name: string; type: string }[];
      expect(listing).toEqual([expect.objectContaining({ name: "reviews-vs.yaml", type: "file" })]);
      const missing = await call(sim, "GET", "/repos/acme/mesh/contents/mesh/nope.yaml?ref=canary", `token ${token}`);
      expect([missing.status, missing.json()["message"]]).toEqual([404, "Not Found"]);
    });

    it("compares two refs from their merge base", async () => {
      await sim.commit("acme", "mesh", "main", { "mesh/other.yaml": "kind: Gateway\n" }, "Meanwhile on main");
      const answer = (await call(sim, "GET", "/repos/acme/mesh/compare/main...canary", `token ${token}`)).json() as unknown as {
        status: string;
        ahead_by: number;
        behind_by: number;
        total_commits: number;
        merge_base_commit: { sha: string };
        commits: { commit: { message: string } }[];
        files: { filename: string }[];
      };
      expect(answer).toMatchObject({ status: "diverged", ahead_by: 2, behind_by: 1, total_commits: 2 });
      expect(answer.merge_base_commit.sha).toBe(initialSha);
      expect(answer.commits.map((c) => c.commit.message)).toEqual(["Shift canary weight", "Rename the README"]);
      expect(answer.files.map((f) => f.filename)).not.toContain("mesh/other.yaml");
      expect(answer.files).toHaveLength(36);
      expect((await call(sim, "GET", `/repos/acme/mesh/compare/${initialSha}...main`, `token ${token}`)).json()["status"]).toBe("ahead");
      await sim.commit("acme", "mesh", "feature/slashed", { "mesh/s.yaml": "s: 1\n" }, "slashed");
      expect((await call(sim, "GET", "/repos/acme/mesh/commits/feature/slashed", `token ${token}`)).json()["commit"]).toMatchObject({ message: "slashed" });
      expect((await call(sim, "GET", "/repos/acme/mesh/compare/main...feature/slashed", `token ${token}`)).json()).toMatchObject({ status: "ahead", ahead_by: 1 });
      expect((await call(sim, "GET", "/repos/acme/mesh/compare/main...nope", `token ${token}`)).status).toBe(404);
    });

    it("keeps issue comments as the app's bot, paginates them, and refuses bodies over 65536 characters", async () => {
      const path = `/repos/acme/mesh/issues/${number}/comments`;
      const created = await call(sim, "POST", path, `token ${token}`, { body: "<!-- meshgate -->\nfirst" });
      expect(created.status).toBe(201);
      const comment = created.json();
      expect(comment["user"]).toMatchObject({ login: "meshgate[bot]", type: "Bot" });
      expect(created.headers.get("location")).toBe(comment["url"]);
      const edited = await call(sim, "PATCH", `/repos/acme/mesh/issues/comments/${String(comment["id"])}`, `token ${token}`, { body: "<!-- meshgate -->\nsecond" });
      expect(edited.json()["body"]).toBe("<!-- meshgate -->\nsecond");

      const tooLong = await call(sim, "POST", path, `token ${token}`, { body: "x".repeat(65537) });
      expect(tooLong.status).toBe(422);
      expect(tooLong.json()).toMatchObject({ message: "Validation Failed", errors: [{ resource: "IssueComment", code: "unprocessable", field: "data", message: "Body is too long (maximum is 65536 characters)" }] });
      expect((await call(sim, "POST", path, `token ${token}`, { body: "x".repeat(65536) })).status).toBe(201);

      for (let i = 0; i < 3; i++) await sim.commentOnPullRequest("acme", "mesh", number, `note ${i}`, "dev");
      const page1 = await call(sim, "GET", `${path}?per_page=2`, `token ${token}`);
      expect(page1.headers.get("link")).toMatch(/page=2>; rel="next", <[^>]*page=3>; rel="last"/);
      const state = sim.issueComments("acme", "mesh", number);
      expect(state.map((c) => c.user)).toEqual(["meshgate[bot]", "meshgate[bot]", "dev", "dev", "dev"]);
      expect(state[0]?.body).toBe("<!-- meshgate -->\nsecond");
      expect((await call(sim, "DELETE", `/repos/acme/mesh/issues/comments/${String(comment["id"])}`, `token ${token}`)).status).toBe(204);
      expect(sim.issueComments("acme", "mesh", number)).toHaveLength(4);
    });

    it("keeps check runs: ≤ 50 annotations per request, appended across updates, conclusion required to complete", async () => {
      const head = (await call(sim, "GET", `/repos/acme/mesh/pulls/${number}`, `token ${token}`)).json() as unknown as { head: { sha: string } };
      const annotation = (line: number) => ({ path: "mesh/reviews-vs.yaml", start_line: line, end_line: line, annotation_level: "warning", message: `finding ${line}` });
      const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => annotation(from + i));

      const tooMany = await call(sim, "POST", "/repos/acme/mesh/check-runs", `token ${token}`, { name: "meshgate", head_sha: head.head.sha, output: { title: "t", summary: "s", annotations: batch(1, 51) } });
      expect(tooMany.status).toBe(422);
      expect(tooMany.json()["message"]).toBe("Invalid request.\n\nNo more than 50 items are allowed; 51 were supplied.");
      const unknownSha = await call(sim, "POST", "/repos/acme/mesh/check-runs", `token ${token}`, { name: "meshgate", head_sha: "0".repeat(40) });
      expect([unknownSha.status, unknownSha.json()["message"]]).toEqual([422, `No commit found for SHA: ${"0".repeat(40)}`]);
      const noConclusion = await call(sim, "POST", "/repos/acme/mesh/check-runs", `token ${token}`, { name: "meshgate", head_sha: head.head.sha, status: "completed" });
      expect(noConclusion.status).toBe(422);

      const created = await call(sim, "POST", "/repos/acme/mesh/check-runs", `token ${token}`, { name: "meshgate", head_sha: head.head.sha, status: "in_progress", output: { title: "Reviewing", summary: "…", annotations: batch(1, 50) } });
      expect(created.status).toBe(201);
      const id = Number(created.json()["id"]);
      const patch = (body: unknown) => call(sim, "PATCH", `/repos/acme/mesh/check-runs/${id}`, `token ${token}`, body);
      expect((await patch({ output: { summary: "…", annotations: batch(51, 51) } })).status).toBe(422);
      expect((await patch({ output: { summary: "…", annotations: batch(51, 50) } })).status).toBe(200);
      const done = await patch({ conclusion: "failure", output: { title: "2 errors", summary: "Summary", annotations: batch(101, 20) } });
      expect(done.json()).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "2 errors", summary: "Summary", annotations_count: 120 } });
      expect(done.json()["completed_at"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      const [run] = sim.checkRuns("acme", "mesh", head.head.sha);
      expect(run?.annotations.map((a) => a.start_line)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      const annotations = await call(sim, "GET", `/repos/acme/mesh/check-runs/${id}/annotations?per_page=100`, `token ${token}`);
      expect(annotations.json()).toHaveLength(100);
      expect(annotations.headers.get("link")).toContain('rel="next"');
      const listed = (await call(sim, "GET", `/repos/acme/mesh/commits/${head.head.sha}/check-runs?check_name=meshgate`, `token ${token}`)).json();
      expect(listed["total_count"]).toBe(1);
      expect((listed["check_runs"] as { pull_requests: { number: number }[] }[])[0]?.pull_requests.map((p) => p.number)).toEqual([number]);
    });

    it("reports collaborator permissions by role", async () => {
      sim.setCollaboratorPermission("acme", "mesh", "maintainer", "maintain");
      const maintainer = (await call(sim, "GET", "/repos/acme/mesh/collaborators/maintainer/permission", `token ${token}`)).json();
      expect(maintainer).toMatchObject({ permission: "write", role_name: "maintain", user: { login: "maintainer", permissions: { push: true, admin: false } } });
      expect((await call(sim, "GET", "/repos/acme/mesh/collaborators/acme/permission", `token ${token}`)).json()["permission"]).toBe("admin");
      expect((await call(sim, "GET", "/repos/acme/mesh/collaborators/dev/permission", `token ${token}`)).json()["permission"]).toBe("none");
      expect((await call(sim, "GET", "/repos/acme/mesh/collaborators/nobody-here/permission", `token ${token}`)).status).toBe(404);
    });

    it("creates deployments and statuses, refusing a deployment whose checks failed", async () => {
      const blocked = await call(sim, "POST", "/repos/acme/mesh/deployments", `token ${token}`, { ref: "canary", auto_merge: false, environment: "staging" });
      expect(blocked.status).toBe(409);
      expect(blocked.json()["message"]).toBe("Conflict: Commit status checks failed for canary.");
      const created = await call(sim, "POST", "/repos/acme/mesh/deployments", `token ${token}`, { ref: "canary", auto_merge: false, environment: "staging", required_contexts: [], payload: { weight: 20 } });
      expect(created.status).toBe(201);
      expect(created.json()).toMatchObject({ ref: "canary", environment: "staging", production_environment: false, payload: { weight: 20 } });
      const id = Number(created.json()["id"]);
      const status = await call(sim, "POST", `/repos/acme/mesh/deployments/${id}/statuses`, `token ${token}`, { state: "in_progress", log_url: "https://ci.example/1" });
      expect(status.status).toBe(201);
      expect((await call(sim, "GET", `/repos/acme/mesh/deployments/${id}/statuses`, `token ${token}`)).json()).toHaveLength(1);
      expect((await call(sim, "POST", `/repos/acme/mesh/deployments/${id}/statuses`, `token ${token}`, { state: "done" })).status).toBe(422);
      expect((await call(sim, "POST", "/repos/acme/mesh/deployments", `token ${token}`, { ref: "no-such-branch" })).json()["message"]).toBe("No ref found for: no-such-branch");
    });
  });

  describe("webhook deliveries", () => {
    it("signs the exact body with the secret (sha256 and sha1) and sends GitHub's headers", async () => {
      await sim.commit("acme", "mesh", "signed", { "mesh/x.yaml": "kind: Gateway\n" }, "x");
      const before = receiver.received.length;
      const { delivery } = await sim.openPullRequest("acme", "mesh", { head: "signed", title: "Signed", draft: true });
      expect(delivery.status).toBe(202);
      expect(delivery.responseBody).toBe("queued");
      const got = receiver.received[before];
      if (got === undefined) throw new Error("no delivery received");
      const expected = `sha256=${createHmac("sha256", SECRET).update(got.body).digest("hex")}`;
      const signature = String(got.headers["x-hub-signature-256"]);
      expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);
      expect(got.headers["x-hub-signature"]).toBe(`sha1=${createHmac("sha1", SECRET).update(got.body).digest("hex")}`);
      expect(got.headers).toMatchObject({ "x-github-event": "pull_request", "x-github-delivery": delivery.id, "x-github-hook-installation-target-type": "integration", "x-github-hook-installation-target-id": String(APP_ID), "content-type": "application/json" });
      expect(String(got.headers["user-agent"])).toMatch(/^GitHub-Hookshot\/[0-9a-f]+$/);
      const payload = JSON.parse(got.body.toString()) as { action: string; pull_request: { draft: boolean }; installation: { id: number } };
      expect(payload).toMatchObject({ action: "opened", pull_request: { draft: true }, installation: { id: installationId } });
      expect(validateWebhookPayload("pull_request", "opened", payload)).toEqual([]);
      // GitHub's documented test vector for the same HMAC.
      expect(createHmac("sha256", SECRET).update("Hello, World!").digest("hex")).toBe("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    });

    it("redelivers with the same GUID and the same bytes", async () => {
      const original = await sim.deliver("check_suite", { action: "rerequested" });
      const before = receiver.received.length;
      const again = await sim.redeliver(original.id);
      expect(again.id).toBe(original.id);
      expect(again.redelivery).toBe(true);
      const [first, second] = receiver.received.filter((r) => r.headers["x-github-delivery"] === original.id);
      expect(receiver.received.length).toBe(before + 1);
      expect(second?.body.equals(first?.body ?? Buffer.alloc(0))).toBe(true);
      expect(second?.headers["x-hub-signature-256"]).toBe(first?.headers["x-hub-signature-256"]);
      expect(sim.deliveries.filter((d) => d.id === original.id)).toHaveLength(2);
    });

    it("sends check_run.rerequested and issue_comment.created payloads that match GitHub's schemas", async () => {
      const run = sim.checkRuns("acme", "mesh")[0];
      if (run === undefined) throw new Error("no check run");
      const rerequested = await sim.rerequestCheckRun("acme", "mesh", run.id);
      expect(validateWebhookPayload("check_run", "rerequested", rerequested.payload)).toEqual([]);
      const comment = await sim.commentOnPullRequest("acme", "mesh", 1, "/meshgate recheck", "dev");
      expect(validateWebhookPayload("issue_comment", "created", comment.payload)).toEqual([]);
      expect(comment.payload).toMatchObject({ comment: { body: "/meshgate recheck", user: { login: "dev" } }, issue: { number: 1, pull_request: {} } });
      await expect(sim.deliver("star", { action: "created" })).rejects.toThrow(/not subscribed/);
    });
  });

  it("delivers the events the app's own writes cause when asked to, sent by its bot", async () => {
    const own = await startGitHubSimulator({ app: appConfig(), webhookSecret: SECRET, webhookUrl: receiver.url, deliverOwnEvents: true });
    try {
      await own.createRepository("acme", "mesh", { "a.yaml": "a: 1\n" });
      const sha = await own.commit("acme", "mesh", "topic", { "a.yaml": "a: 2\n" }, "a");
      const { installationId: id } = await own.installApp("acme", ["mesh"]);
      const ownToken = await installationToken(own, id);
      const { number } = await own.openPullRequest("acme", "mesh", { head: "topic", title: "A" });
      const comment = (await call(own, "POST", `/repos/acme/mesh/issues/${number}/comments`, `token ${ownToken}`, { body: "review" })).json();
      await call(own, "PATCH", `/repos/acme/mesh/issues/comments/${String(comment["id"])}`, `token ${ownToken}`, { body: "review 2" });
      await call(own, "POST", "/repos/acme/mesh/check-runs", `token ${ownToken}`, { name: "meshgate", head_sha: sha, conclusion: "success", output: { title: "ok", summary: "ok" } });
      const expected = ["issue_comment.created", "issue_comment.edited", "check_run.created", "check_run.completed"];
      for (let i = 0; i < 100 && own.deliveries.length < 2 + expected.length; i++) await new Promise((r) => setTimeout(r, 10));
      const caused = own.deliveries.slice(2);
      expect(caused.map((d) => `${d.event}.${d.action ?? ""}`).sort()).toEqual([...expected].sort());
      for (const d of caused) {
        expect(validateWebhookPayload(d.event, d.action ?? undefined, d.payload)).toEqual([]);
        expect(d.payload).toMatchObject({ sender: { login: "meshgate[bot]", type: "Bot" } });
      }
      expect(caused.find((d) => d.action === "edited")?.payload).toMatchObject({ changes: { body: { from: "review" } } });
    } finally {
      await own.close();
    }
  });

  it("injects failures for the next matching requests only, with secondary-limit bodies for 429", async () => {
    sim.injectFailure({ method: "GET", path: /\/pulls\/\d+$/, status: 429, headers: { "retry-after": "1" }, times: 2 });
    sim.injectFailure({ path: /\/repos\/acme\/mesh$/, status: 502 });
    for (let i = 0; i < 2; i++) {
      const limited = await call(sim, "GET", "/repos/acme/mesh/pulls/1", `token ${token}`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("1");
      expect(limited.json()["message"]).toMatch(/^You have exceeded a secondary rate limit/);
    }
    expect((await call(sim, "GET", "/repos/acme/mesh/pulls/1", `token ${token}`)).status).toBe(200);
    expect((await call(sim, "GET", "/repos/acme/mesh", `token ${token}`)).status).toBe(502);
    expect((await call(sim, "GET", "/repos/acme/mesh", `token ${token}`)).status).toBe(200);
    const statuses = sim.requests.filter((r) => r.path === "/repos/acme/mesh/pulls/1").map((r) => r.status);
    expect(statuses.slice(-3)).toEqual([429, 429, 200]);
    expect(sim.requests.at(-1)).toMatchObject({ method: "GET", path: "/repos/acme/mesh", status: 200, installationId });
  });

  it("answers GraphQL object queries from the same git store", async () => {
    const answer = await call(sim, "POST", "/graphql", `bearer ${token}`, { query: 'query($e: String!) { repository(owner: "acme", name: "mesh") { object(expression: $e) { ... on Blob { text } } } }', variables: { e: "canary:mesh/reviews-vs.yaml" } });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ data: { repository: { object: { text: "kind: VirtualService\nmetadata:\n  name: reviews\n  namespace: prod\n" } } } });
    expect(answer.headers.get("x-ratelimit-resource")).toBe("graphql");
  });

  it("produced only responses that match GitHub's OpenAPI description", () => {
    expect(schemaProblems).toEqual([]);
  });
});
