import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppHarness, startAppHarness } from "../support/start-app-harness.ts";
import { exampleRepoFiles, lineOf, shiftCanary, weakenMtls } from "../support/example-repo.ts";
import { validateResponse, validateWebhookPayload } from "../github-simulator/openapi-validator.ts";

/**
 * The product end to end: GitHub (the simulator, real git objects, real HTTP, signed webhooks) and
 * the Worker bundle in workerd. A pull request is opened, pushed to twice and re-requested; GitHub's
 * resulting state is asserted exactly: one sticky comment, one check run per head, annotations on lines.
 */
let app: AppHarness;
let files: Record<string, string>;
/** Every answer GitHub (the simulator) gave the Worker that GitHub's OpenAPI description rejects. */
const offDescription: string[] = [];
const OWNER = "acme";
const REPO = "mesh";

beforeAll(async () => {
  app = await startAppHarness();
  app.github.onResponse((r) => {
    if (r.path !== "/graphql") offDescription.push(...validateResponse(r));
  });
  files = await exampleRepoFiles("examples/bookinfo");
  await app.github.createRepository(OWNER, REPO, files);
  await app.github.installApp(OWNER, [REPO]);
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

/** Last, so it sees the whole conversation: the simulator never answered outside GitHub's description. */
function assertConversationFollowedGitHubsDescription() {
  expect(offDescription).toEqual([]);
  for (const d of app.github.deliveries) expect(validateWebhookPayload(d.event, d.action ?? undefined, d.payload)).toEqual([]);
}

const runsFor = (sha: string) => app.github.checkRuns(OWNER, REPO, sha);
const completedRun = (sha: string) => () => runsFor(sha).find((r) => r.status === "completed");

/** Waits for the review of `sha` on PR 1 and returns the API calls it cost (every request since `mark`). */
const reviewed = (sha: string, mark: number) => app.reviewed(OWNER, REPO, 1, sha, mark);

describe("the GitHub App against the GitHub simulator", { timeout: 60_000 }, () => {
  let head1: string;
  let head2: string;
  let head3: string;

  it("reviews an opened pull request: answers the webhook within a second, posts one comment and a check run", async () => {
    head1 = await app.github.commit(OWNER, REPO, "canary", { "mesh/reviews.yaml": shiftCanary(files["mesh/reviews.yaml"] as string) }, "reviews: canary to 40%");
    const mark = app.github.requests.length;
    const opened = await app.github.openPullRequest(OWNER, REPO, { head: "canary", title: "Shift the reviews canary" });
    expect(opened.number).toBe(1);
    expect(opened.delivery.status).toBe(202);
    expect(opened.delivery.durationMs).toBeLessThan(1000);
    const { run, calls } = await reviewed(head1, mark);
    expect(run).toMatchObject({ name: "meshgate", conclusion: "success" });
    const comments = app.github.issueComments(OWNER, REPO, 1);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? "";
    expect(body).toContain("<!-- meshgate:sticky -->");
    // The traffic table shows the canary share the change sets.
    expect(body).toContain("<code>reviews/v1</code> 100% | <code>reviews/v1</code> 60%, <code>reviews/v2</code> 40%");
    // The changed file's findings are annotated on their lines: the route to the undefined subset v3.
    const reviews = shiftCanary(files["mesh/reviews.yaml"] as string);
    expect(run.annotations).toContainEqual(expect.objectContaining({ path: "mesh/reviews.yaml", start_line: lineOf(reviews, "subset: v3") }));
    expect(run.annotations.every((a) => a.path === "mesh/reviews.yaml")).toBe(true);
    // The whole cost of a first review, index build included: token, PR files, one GraphQL read of both
    // sides and the config, the tree and one GraphQL read for the mesh index, check run, comment lookup, comment.
    expect(calls.map((c) => `${c.method} ${c.path.replace(/[0-9a-f]{40}|\d+/g, "N")}`)).toEqual([
      "POST /app/installations/N/access_tokens",
      "GET /repos/acme/mesh/pulls/N/files",
      "POST /graphql",
      "GET /repos/acme/mesh/git/trees/N",
      "POST /graphql",
      "POST /repos/acme/mesh/check-runs",
      "GET /repos/acme/mesh/issues/N/comments",
      "POST /repos/acme/mesh/issues/N/comments",
    ]);
  });

  it("edits the same comment and adds a failing check run when a push weakens mTLS", async () => {
    const mark = app.github.requests.length;
    const pushed = await app.github.pushToPullRequest(OWNER, REPO, 1, { "mesh/security.yaml": weakenMtls(files["mesh/security.yaml"] as string) }, "mesh-wide mTLS permissive");
    head2 = pushed.sha;
    expect(pushed.delivery.status).toBe(202);
    const { run, calls } = await reviewed(head2, mark);
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toContainEqual(expect.objectContaining({ path: "mesh/security.yaml", start_line: lineOf(files["mesh/security.yaml"] as string, "mode: STRICT"), annotation_level: "failure" }));
    const comments = app.github.issueComments(OWNER, REPO, 1);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("PERMISSIVE");
    // A push reuses the token, the index and the comment's ID: files, a GraphQL read of both sides, one of
    // the related files the index names, check run, comment edit.
    expect(calls.map((c) => `${c.method} ${c.path.replace(/[0-9a-f]{40}|\d+/g, "N")}`)).toEqual([
      "GET /repos/acme/mesh/pulls/N/files",
      "POST /graphql",
      "POST /graphql",
      "POST /repos/acme/mesh/check-runs",
      "PATCH /repos/acme/mesh/issues/comments/N",
    ]);
  });

  it("reviews a second push, then a re-request edits that head's run instead of adding one", async () => {
    const mark = app.github.requests.length;
    const pushed = await app.github.pushToPullRequest(OWNER, REPO, 1, { "mesh/security.yaml": files["mesh/security.yaml"] as string }, "back to STRICT");
    head3 = pushed.sha;
    const { run } = await reviewed(head3, mark);
    expect(run.conclusion).toBe("success");
    expect(app.github.requests.slice(mark).length).toBeLessThanOrEqual(10);
    const annotationsBefore = run.annotations.length;

    const before = app.github.requests.length;
    const delivery = await app.github.rerequestCheckRun(OWNER, REPO, run.id);
    expect(delivery.status).toBe(202);
    await app.waitFor("the re-requested review", () => app.github.requests.slice(before).find((r) => r.method === "PATCH" && r.path.endsWith(`/check-runs/${run.id}`)));
    await app.waitFor("the comment after the re-review", () => app.github.requests.slice(before).find((r) => r.method === "PATCH" && r.path.includes("/issues/comments/")));
    const runs = runsFor(head3);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.conclusion).toBe("success");
    // GitHub appends annotations on every update: the re-review must not repeat them.
    expect(runs[0]?.annotations).toHaveLength(annotationsBefore);
  });

  it("leaves exactly one comment and one check run per head", () => {
    expect(app.github.issueComments(OWNER, REPO, 1)).toHaveLength(1);
    for (const sha of [head1, head2, head3]) expect(runsFor(sha)).toHaveLength(1);
    expect(app.github.issueComments(OWNER, REPO, 1)[0]?.body).toContain(head3.slice(0, 7));
  });

  it("does nothing for a redelivered webhook", async () => {
    const first = app.github.deliveries.find((d) => d.event === "pull_request" && d.action === "opened");
    expect(first).toBeDefined();
    const mark = app.github.requests.length;
    const again = await app.github.redeliver(first?.id ?? "");
    expect(again.status).toBe(202);
    expect(JSON.parse(again.responseBody)).toEqual({ status: "duplicate" });
    await new Promise((r) => setTimeout(r, 500));
    expect(app.github.requests.slice(mark)).toEqual([]);
  });

  it("answers /meshgate commands: recheck for writers, a refusal for others, 'not available yet' for rollout commands", async () => {
    app.github.setCollaboratorPermission(OWNER, REPO, "maintainer", "write");
    app.github.setCollaboratorPermission(OWNER, REPO, "visitor", "read");
    await app.github.commentOnPullRequest(OWNER, REPO, 1, "/meshgate pause", "maintainer");
    await app.waitFor("the pause answer", () => app.github.issueComments(OWNER, REPO, 1).find((c) => c.body.includes("not available yet")));
    await app.github.commentOnPullRequest(OWNER, REPO, 1, "/meshgate recheck", "visitor");
    await app.waitFor("the refusal", () => app.github.issueComments(OWNER, REPO, 1).find((c) => c.body.includes("@visitor") && c.body.includes("write access")));
    expect(app.github.issueComments(OWNER, REPO, 1).filter((c) => c.body.includes("<!-- meshgate:sticky -->"))).toHaveLength(1);
  });

  it("gives a pull request that touches no mesh config a neutral check and no comment", async () => {
    const sha = await app.github.commit(OWNER, REPO, "docs", { "README.md": "# docs only\n" }, "docs");
    const opened = await app.github.openPullRequest(OWNER, REPO, { head: "docs", title: "Docs" });
    const run = await app.waitFor("the neutral check", completedRun(sha));
    expect(run.conclusion).toBe("neutral");
    expect(app.github.issueComments(OWNER, REPO, opened.number)).toEqual([]);
  });

  it("retries GitHub's 5xx answers and secondary rate limits, and the review still lands once", async () => {
    app.github.injectFailure({ method: "POST", path: /\/check-runs$/, status: 502, times: 1 });
    app.github.injectFailure({ method: "GET", path: /\/pulls\/\d+\/files$/, status: 429, headers: { "retry-after": "1" }, body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, times: 1 });
    const sha = await app.github.commit(OWNER, REPO, "flaky", { "mesh/reviews.yaml": shiftCanary(files["mesh/reviews.yaml"] as string).replace("timeout: 2s", "timeout: 3s") }, "timeout");
    const mark = app.github.requests.length;
    const opened = await app.github.openPullRequest(OWNER, REPO, { head: "flaky", title: "Longer timeout" });
    await app.waitFor("the review despite failures", completedRun(sha));
    await app.waitFor("the comment", () => app.github.issueComments(OWNER, REPO, opened.number)[0]);
    const calls = app.github.requests.slice(mark);
    expect(calls.filter((c) => c.method === "POST" && c.path.endsWith("/check-runs")).map((c) => c.status)).toEqual([502, 201]);
    expect(calls.filter((c) => c.path.endsWith("/files")).map((c) => c.status)).toEqual([429, 200]);
    expect(runsFor(sha)).toHaveLength(1);
    expect(app.github.issueComments(OWNER, REPO, opened.number)).toHaveLength(1);
  });

  it("reviews only the newest head when pushes race, with one comment", async () => {
    const sha0 = await app.github.commit(OWNER, REPO, "race", { "mesh/ratings.yaml": `${files["mesh/ratings.yaml"] as string}\n` }, "r0");
    const opened = await app.github.openPullRequest(OWNER, REPO, { head: "race", title: "Race" });
    const pushes = [];
    for (let i = 1; i <= 3; i++) pushes.push(await app.github.pushToPullRequest(OWNER, REPO, opened.number, { "mesh/ratings.yaml": `${files["mesh/ratings.yaml"] as string}${"\n".repeat(i + 1)}` }, `r${i}`));
    const last = pushes[pushes.length - 1]?.sha ?? "";
    await app.waitFor("the newest head's review", completedRun(last));
    await app.waitFor("the comment naming the newest head", () => app.github.issueComments(OWNER, REPO, opened.number).find((c) => c.body.includes(last.slice(0, 7))));
    expect(app.github.issueComments(OWNER, REPO, opened.number)).toHaveLength(1);
    for (const sha of [sha0, ...pushes.map((p) => p.sha)]) expect(runsFor(sha).length).toBeLessThanOrEqual(1);
  });

  it("reviews a draft and says so, in the check's title and the comment", async () => {
    const sha = await app.github.commit(OWNER, REPO, "draft", { "mesh/ratings.yaml": (files["mesh/ratings.yaml"] as string).replace("mode: SIMPLE", "mode: ISTIO_MUTUAL") }, "mTLS to ratings");
    const opened = await app.github.openPullRequest(OWNER, REPO, { head: "draft", title: "WIP", draft: true });
    const run = await app.waitFor("the draft's check", completedRun(sha));
    expect(run.output.title).toMatch(/^Draft: /);
    const comment = await app.waitFor("the draft's comment", () => app.github.issueComments(OWNER, REPO, opened.number)[0]);
    expect(comment.body).toContain("**Draft pull request**");
  });

  it("reads a file too large for GraphQL's text through the raw media type, and a binary one as binary", async () => {
    // ~700 KiB of valid YAML: over the 512 KiB the simulator (like GitHub) returns as GraphQL text.
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: big, namespace: bookinfo }\ndata:\n${Array.from({ length: 14_000 }, (_, i) => `  key${i}: "${"x".repeat(40)}"`).join("\n")}\n`;
    const sha = await app.github.commit(OWNER, REPO, "big", { "mesh/big.yaml": big, "mesh/blob.yaml": "kind: \u0000binary\n" }, "big and binary");
    const opened = await app.github.openPullRequest(OWNER, REPO, { head: "big", title: "Big" });
    const run = await app.waitFor("the review of a large file", completedRun(sha));
    expect(run.annotations).toContainEqual(expect.objectContaining({ path: "mesh/blob.yaml", start_line: 1 }));
    await app.waitFor("the comment", () => app.github.issueComments(OWNER, REPO, opened.number)[0]);
    const raw = app.github.requests.filter((r) => r.method === "GET" && r.path.includes("/contents/"));
    expect(raw.map((r) => `${r.status} ${decodeURIComponent(r.path)}`).sort()).toEqual(["200 /repos/acme/mesh/contents/mesh/big.yaml", "200 /repos/acme/mesh/contents/mesh/blob.yaml"]);
    // The big file was parsed, not dropped: its resource is in the review's count of changes.
    expect(run.output.summary).toMatch(/\| 1 \| 0 \| 0 \|/);
  });

  it("never got an answer from the simulator that GitHub's OpenAPI description rejects", () => {
    assertConversationFollowedGitHubsDescription();
  });

  it("kept every secret out of the Worker's logs and out of everything it wrote to GitHub", () => {
    const written = [...app.github.checkRuns(OWNER, REPO).map((r) => JSON.stringify(r)), ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((n) => app.github.issueComments(OWNER, REPO, n).map((c) => c.body))].join("\n");
    const log = app.worker.log();
    expect(log).toContain('"event":"job.done"'); // the log is really there
    for (const secret of app.secrets) {
      expect(log).not.toContain(secret);
      expect(written).not.toContain(secret);
    }
    expect(log).not.toMatch(/ghs_[A-Za-z0-9]{10,}/);
  });
});
