// Drives the GitHub simulator through a whole review over real HTTP and checks every answer it gave, and
// every webhook it delivered, against GitHub's official OpenAPI description (issue 4, section 3): the
// simulator may not invent routes, statuses or shapes.
import { createSign, generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubSimulator } from "../github-simulator/github-simulator.ts";
import type { GitHubSimulator } from "../github-simulator/github-simulator.ts";
import { findOperation, validateResponse, validateWebhookPayload } from "../github-simulator/openapi-validator.ts";

const APP_ID = 31337;
const SECRET = "conformance webhook secret";
// Small enough to exhaust in a test, large enough for the scenario (counted per installation).
const RATE_LIMIT = 80;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });

/** An RS256 app JWT, as GitHub asks an app to sign it: issued 60 s in the past, valid for 9 minutes. */
function appJwt(): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ iat: now - 60, exp: now + 540, iss: APP_ID })}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(keys.privateKey).toString("base64url")}`;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

interface Seen {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: unknown;
}

async function startReceiver(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(202).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`, server };
}

/** `count` changed mesh files, each a small VirtualService, so the PR's file list needs several pages. */
function meshFiles(count: number, weight: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const name = `svc-${String(i).padStart(2, "0")}`;
    files[`mesh/${name}-vs.yaml`] =
      `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\nspec:\n  hosts: [${name}]\n` +
      `  http:\n  - route:\n    - destination: {host: ${name}, subset: v1}\n      weight: ${100 - weight}\n` +
      `    - destination: {host: ${name}, subset: v2}\n      weight: ${weight}\n`;
  }
  return files;
}

/**
 * Places where GitHub's description contradicts what GitHub itself answers; the validator stays strict and
 * each is excused here only for exactly the values GitHub really sends.
 */
const DESCRIPTION_DEFECTS: { why: string; matches(error: string, body: unknown): boolean }[] = [
  {
    // The description joins the two account kinds with allOf (an account that is a user AND an enterprise);
    // apps/get-installation, for the same object, says anyOf. github/rest-api-description#2497.
    why: "apps/list-installations: account is allOf [simple-user, enterprise] instead of anyOf",
    matches: (error) =>
      /^apps\/list-installations 200: \/\d+\/account (must have required property '(name|slug|created_at|updated_at)'|must match a schema in anyOf)$/.test(error),
  },
  {
    // target_url is required, with `default: ""` for a status created without one, yet `format: uri`,
    // which "" is not (the deployment_status webhook describes the same field as a plain string).
    why: 'deployment statuses: target_url "" (the documented default) fails the documented format uri',
    matches: (error, body) => {
      const match = /^repos\/(create-deployment-status|list-deployment-statuses) 20[01]: (\/\d+)?\/target_url must match format "uri"$/.exec(error);
      if (!match) return false;
      const status: unknown = match[2] === undefined ? body : (body as unknown[])[Number(match[2].slice(1))];
      return (status as { target_url?: unknown }).target_url === "";
    },
  },
];

describe("GitHub simulator conformance with GitHub's OpenAPI description", () => {
  let sim: GitHubSimulator;
  let receiver: { url: string; server: Server };
  const seen: Seen[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await startGitHubSimulator({
      app: {
        id: APP_ID,
        slug: "meshgate",
        name: "meshgate",
        publicKeyPem: keys.publicKey.export({ type: "spki", format: "pem" }).toString(),
        permissions: { checks: "write", contents: "read", pull_requests: "write", issues: "write", deployments: "write", metadata: "read" },
        events: ["pull_request", "check_run", "check_suite", "issue_comment"],
      },
      webhookSecret: SECRET,
      webhookUrl: receiver.url,
      rateLimitPerHour: RATE_LIMIT,
    });
    sim.onResponse((r) => seen.push(r));
  });

  afterAll(async () => {
    await sim.close();
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  async function call(method: string, path: string, auth: string, body?: unknown, accept = "application/vnd.github+json"): Promise<Answer> {
    const headers: Record<string, string> = { accept, authorization: auth, "user-agent": "meshgate-conformance" };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(new URL(path, sim.url), { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: <T>() => JSON.parse(text) as T };
  }

  /** Every page of a list, following the Link header's rel="next" as Octokit does. */
  async function paginate<T>(path: string, auth: string): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let next: string | undefined = path;
    let pages = 0;
    while (next !== undefined) {
      const answer = await call("GET", next, auth);
      expect(answer.status).toBe(200);
      items.push(...answer.json<T[]>());
      pages++;
      next = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get("link") ?? "")?.[1];
    }
    return { items, pages };
  }

  it("answers a whole review the way GitHub's API is described", { timeout: 60_000 }, async () => {
    const base = await sim.createRepository("acme", "mesh", { ...meshFiles(23, 0), "README.md": "# mesh\n", ".meshgate.yaml": "failOn: error\n" });
    const { installationId } = await sim.installApp("acme", ["mesh"]);

    // The app authenticates with its JWT, finds its installation and takes an installation token.
    const jwt = `Bearer ${appJwt()}`;
    expect((await call("GET", "/app", jwt)).status).toBe(200);
    expect((await call("GET", "/app/installations", jwt)).status).toBe(200);
    expect((await call("GET", `/app/installations/${installationId}`, jwt)).status).toBe(200);
    expect((await call("GET", "/repos/acme/mesh/installation", jwt)).json()["id"]).toBe(installationId);
    const created = await call("POST", `/app/installations/${installationId}/access_tokens`, jwt);
    expect(created.status).toBe(201);
    const auth = `token ${created.json()["token"]}`;
    expect((await call("GET", "/installation/repositories", auth)).json()["total_count"]).toBe(1);
    expect((await call("GET", "/repos/acme/mesh", auth)).json()["default_branch"]).toBe("main");

    // A PR that shifts canary weight in every file, then a push that adds one file and deletes another.
    await sim.commit("acme", "mesh", "canary", meshFiles(23, 20), "Shift 20% to v2");
    const { number } = await sim.openPullRequest("acme", "mesh", { head: "canary", title: "Canary: 20% to v2", body: "Shift weight" });
    const push = await sim.pushToPullRequest("acme", "mesh", number, { "mesh/extra-vs.yaml": "kind: VirtualService\n", "README.md": null }, "Add extra, drop README");
    const head = push.sha;
    expect((await call("GET", "/repos/acme/mesh/pulls?state=open", auth)).json<unknown[]>()).toHaveLength(1);
    const pull = (await call("GET", `/repos/acme/mesh/pulls/${number}`, auth)).json<{ head: { sha: string }; base: { sha: string } }>();
    expect(pull.head.sha).toBe(head);

    const files = await paginate<{ filename: string; status: string }>(`/repos/acme/mesh/pulls/${number}/files?per_page=10`, auth);
    expect(files.pages).toBe(3);
    expect(files.items).toHaveLength(25);
    expect(files.items.filter((f) => f.status !== "modified").map((f) => `${f.status} ${f.filename}`).sort()).toEqual([
      "added mesh/extra-vs.yaml",
      "removed README.md",
    ]);

    // Contents as JSON (base64), raw, a directory, the root, and at a ref; trees, blobs, refs, commits, compare.
    const file = (await call("GET", `/repos/acme/mesh/contents/mesh/svc-00-vs.yaml?ref=${head}`, auth)).json<{ content: string; sha: string }>();
    expect(Buffer.from(file.content, "base64").toString("utf8")).toContain("weight: 20");
    const raw = await call("GET", `/repos/acme/mesh/contents/mesh/svc-00-vs.yaml?ref=${base.sha}`, auth, undefined, "application/vnd.github.raw+json");
    expect(raw.text).toContain("weight: 0");
    expect((await call("GET", "/repos/acme/mesh/contents/mesh?ref=canary", auth)).json<unknown[]>()).toHaveLength(24);
    expect((await call("GET", "/repos/acme/mesh/contents/", auth)).status).toBe(200);
    expect((await call("GET", "/repos/acme/mesh/contents/.meshgate.yaml", auth)).status).toBe(200);
    const tree = (await call("GET", `/repos/acme/mesh/git/trees/${head}?recursive=1`, auth)).json<{ tree: unknown[]; truncated: boolean }>();
    expect(tree.truncated).toBe(false);
    expect(tree.tree.length).toBeGreaterThan(24);
    expect((await call("GET", `/repos/acme/mesh/git/blobs/${file.sha}`, auth)).status).toBe(200);
    expect((await call("GET", "/repos/acme/mesh/git/ref/heads/canary", auth)).json<{ object: { sha: string } }>().object.sha).toBe(head);
    expect((await call("GET", `/repos/acme/mesh/commits/${head}`, auth)).status).toBe(200);
    expect((await call("GET", `/repos/acme/mesh/commits/${head}/pulls`, auth)).json<unknown[]>()).toHaveLength(1);
    const compare = (await call("GET", `/repos/acme/mesh/compare/${base.sha}...${head}`, auth)).json<{ ahead_by: number; files: unknown[] }>();
    expect(compare.ahead_by).toBe(2);
    expect(compare.files).toHaveLength(25);

    // The sticky comment: created, listed, edited in place, read back.
    const comment = await call("POST", `/repos/acme/mesh/issues/${number}/comments`, auth, { body: "<!-- meshgate -->\nreviewing" });
    expect(comment.status).toBe(201);
    const commentId = comment.json()["id"];
    expect((await call("GET", `/repos/acme/mesh/issues/${number}/comments?per_page=100`, auth)).json<unknown[]>()).toHaveLength(1);
    expect((await call("PATCH", `/repos/acme/mesh/issues/comments/${commentId}`, auth, { body: "<!-- meshgate -->\n2 findings" })).status).toBe(200);
    expect((await call("GET", `/repos/acme/mesh/issues/comments/${commentId}`, auth)).json()["body"]).toBe("<!-- meshgate -->\n2 findings");

    // The check run: created in progress with a first batch of 50 annotations, completed with a second batch.
    const annotation = (i: number) => ({
      path: `mesh/svc-${String(i % 23).padStart(2, "0")}-vs.yaml`,
      start_line: 10,
      end_line: 10,
      annotation_level: i % 2 === 0 ? "warning" : "failure",
      title: `MG40${i % 10}`,
      message: `finding ${i}`,
    });
    const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => annotation(from + i));
    const run = await call("POST", "/repos/acme/mesh/check-runs", auth, {
      name: "meshgate",
      head_sha: head,
      status: "in_progress",
      output: { title: "Reviewing", summary: "Reviewing 25 files", annotations: batch(0, 50) },
    });
    expect(run.status).toBe(201);
    const runId = run.json()["id"];
    const completed = await call("PATCH", `/repos/acme/mesh/check-runs/${runId}`, auth, {
      status: "completed",
      conclusion: "failure",
      output: { title: "62 findings", summary: "62 findings", annotations: batch(50, 12) },
    });
    expect(completed.json()["conclusion"]).toBe("failure");
    expect((await call("GET", `/repos/acme/mesh/check-runs/${runId}`, auth)).status).toBe(200);
    const annotations = await paginate<{ message: string }>(`/repos/acme/mesh/check-runs/${runId}/annotations?per_page=50`, auth);
    expect(annotations.items).toHaveLength(62);
    const forRef = (await call("GET", `/repos/acme/mesh/commits/${head}/check-runs?check_name=meshgate`, auth)).json<{ total_count: number }>();
    expect(forRef.total_count).toBe(1);
    expect((await call("POST", `/repos/acme/mesh/check-runs/${runId}/rerequest`, auth)).status).toBe(201);

    // Who may steer a rollout: a collaborator's permission.
    sim.setCollaboratorPermission("acme", "mesh", "octocat", "write");
    expect((await call("GET", "/repos/acme/mesh/collaborators/octocat/permission", auth)).json()["permission"]).toBe("write");

    // Deployments and their statuses.
    const deployment = await call("POST", "/repos/acme/mesh/deployments", auth, { ref: head, environment: "canary", auto_merge: false, required_contexts: [], description: "20% to v2" });
    expect(deployment.status).toBe(201);
    const deploymentId = deployment.json()["id"];
    expect((await call("GET", "/repos/acme/mesh/deployments?environment=canary", auth)).json<unknown[]>()).toHaveLength(1);
    expect((await call("GET", `/repos/acme/mesh/deployments/${deploymentId}`, auth)).status).toBe(200);
    const status = await call("POST", `/repos/acme/mesh/deployments/${deploymentId}/statuses`, auth, { state: "in_progress", description: "step 1 of 5" });
    expect(status.status).toBe(201);
    expect((await call("GET", `/repos/acme/mesh/deployments/${deploymentId}/statuses`, auth)).json<unknown[]>()).toHaveLength(1);

    // Failures as GitHub gives them: a missing file, a repository the app cannot see, a commit that does not exist.
    expect((await call("GET", "/repos/acme/mesh/contents/mesh/nope.yaml", auth)).status).toBe(404);
    expect((await call("GET", "/repos/acme/elsewhere", auth)).status).toBe(404);
    const unknownSha = "0".repeat(40);
    expect((await call("POST", "/repos/acme/mesh/check-runs", auth, { name: "meshgate", head_sha: unknownSha })).status).toBe(422);

    // GraphQL: many files at the head in one request, by alias.
    const graphql = await call("POST", "/graphql", auth, {
      query: `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {
        a0: object(expression: "${head}:mesh/svc-00-vs.yaml") { ... on Blob { text isBinary isTruncated byteSize oid } }
        a1: object(expression: "${head}:README.md") { ... on Blob { text } }
      } rateLimit { cost remaining } }`,
      variables: { owner: "acme", name: "mesh" },
    });
    expect(graphql.status).toBe(200);
    expect(graphql.json()).toEqual({
      data: {
        repository: {
          a0: { text: Buffer.from(file.content, "base64").toString("utf8"), isBinary: false, isTruncated: false, byteSize: expect.any(Number), oid: file.sha },
          a1: null,
        },
        rateLimit: { cost: 1, remaining: RATE_LIMIT - 1 },
      },
    });

    // Webhooks the scenario caused: a PR comment and a check-run re-request.
    await sim.commentOnPullRequest("acme", "mesh", number, "/meshgate recheck", "octocat");
    await sim.rerequestCheckRun("acme", "mesh", Number(runId));
    await expect.poll(() => sim.deliveries.filter((d) => d.event === "check_run").length).toBe(2);
  });

  it("answers an exhausted rate limit as GitHub does", async () => {
    await sim.createRepository("umbrella", "edge", { "README.md": "# edge\n" });
    const { installationId } = await sim.installApp("umbrella", ["edge"]);
    const auth = `token ${(await call("POST", `/app/installations/${installationId}/access_tokens`, `Bearer ${appJwt()}`)).json()["token"]}`;
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT; i++) statuses.push((await call("GET", "/repos/umbrella/edge", auth)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE_LIMIT);
    const exhausted = await call("GET", "/repos/umbrella/edge", auth);
    expect(exhausted.status).toBe(403);
    expect(exhausted.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(exhausted.json()["message"]).toMatch(/^API rate limit exceeded/);
  });

  it("gave only answers GitHub's OpenAPI description allows", () => {
    const rest = seen.filter((r) => r.path !== "/graphql");
    expect(rest.length).toBeGreaterThan(60);
    const unknown = rest.filter((r) => findOperation(r.method, r.path) === undefined).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(unknown).toEqual([]);
    const problems = rest.flatMap((r) => validateResponse(r).map((error) => ({ r, error })));
    const defects = problems.filter((p) => DESCRIPTION_DEFECTS.some((d) => d.matches(p.error, p.r.body)));
    const unexcused = problems.filter((p) => !defects.includes(p)).map((p) => `${p.r.method} ${p.r.path} ${p.r.status}: ${p.error}`);
    expect(unexcused).toEqual([]);
    // Each listed defect is still there: when a new @octokit/openapi fixes one, its entry goes.
    for (const defect of DESCRIPTION_DEFECTS) expect(defects.some((p) => defect.matches(p.error, p.r.body)), defect.why).toBe(true);
  });

  it("delivered only webhook payloads GitHub's description allows", () => {
    const events = sim.deliveries.map((d) => `${d.event}.${d.action}`);
    expect(new Set(events)).toEqual(
      new Set(["installation.created", "pull_request.opened", "pull_request.synchronize", "issue_comment.created", "check_run.rerequested"]),
    );
    const problems = sim.deliveries.flatMap((d) => validateWebhookPayload(d.event, d.action ?? undefined, d.payload));
    expect(problems).toEqual([]);
  });
});
