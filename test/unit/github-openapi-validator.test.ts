import { describe, expect, it } from "vitest";
import { findOperation, validateResponse, validateWebhookPayload } from "../github-simulator/openapi-validator.ts";

const SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

function diffEntry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sha: "bbcd538c8e72b8c175046e27cc8f907076331401",
    filename: "mesh/reviews-vs.yaml",
    status: "modified",
    additions: 3,
    deletions: 1,
    changes: 4,
    blob_url: `https://github.com/acme/mesh/blob/${SHA}/mesh/reviews-vs.yaml`,
    raw_url: `https://github.com/acme/mesh/raw/${SHA}/mesh/reviews-vs.yaml`,
    contents_url: `https://api.github.com/repos/acme/mesh/contents/mesh/reviews-vs.yaml?ref=${SHA}`,
    patch: "@@ -10,7 +10,9 @@ spec:",
    ...overrides,
  };
}

function contentFile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const url = "https://api.github.com/repos/acme/mesh/contents/mesh/reviews-vs.yaml?ref=main";
  const gitUrl = `https://api.github.com/repos/acme/mesh/git/blobs/${SHA}`;
  const htmlUrl = "https://github.com/acme/mesh/blob/main/mesh/reviews-vs.yaml";
  return {
    type: "file",
    encoding: "base64",
    size: 5,
    name: "reviews-vs.yaml",
    path: "mesh/reviews-vs.yaml",
    content: "a2luZDoK",
    sha: SHA,
    url,
    git_url: gitUrl,
    html_url: htmlUrl,
    download_url: "https://raw.githubusercontent.com/acme/mesh/main/mesh/reviews-vs.yaml",
    _links: { self: url, git: gitUrl, html: htmlUrl },
    ...overrides,
  };
}

const listFiles = (body: unknown) =>
  validateResponse({ method: "GET", path: "/repos/acme/mesh/pulls/7/files?per_page=100&page=2", status: 200, body });

describe("findOperation", () => {
  it.each([
    ["GET", "/repos/acme/mesh/pulls/7/files", "pulls/list-files", "/repos/{owner}/{repo}/pulls/{pull_number}/files"],
    ["GET", "/repos/acme/mesh/contents/deploy/istio/vs.yaml?ref=main", "repos/get-content", "/repos/{owner}/{repo}/contents/{path}"],
    ["GET", "/repos/acme/mesh/contents/", "repos/get-content", "/repos/{owner}/{repo}/contents/{path}"],
    ["GET", "/repos/acme/mesh/contents/.meshgate.yaml", "repos/get-content", "/repos/{owner}/{repo}/contents/{path}"],
    ["GET", "/repos/acme/mesh/compare/main...feature/canary", "repos/compare-commits-with-basehead", "/repos/{owner}/{repo}/compare/{basehead}"],
    ["GET", `/repos/acme/mesh/commits/${SHA}/check-runs`, "checks/list-for-ref", "/repos/{owner}/{repo}/commits/{ref}/check-runs"],
    ["GET", `/repos/acme/mesh/commits/${SHA}`, "repos/get-commit", "/repos/{owner}/{repo}/commits/{ref}"],
    ["GET", "/repos/acme/mesh/git/ref/heads/feature/canary", "git/get-ref", "/repos/{owner}/{repo}/git/ref/{ref}"],
    ["GET", `/repos/acme/mesh/git/trees/${SHA}?recursive=1`, "git/get-tree", "/repos/{owner}/{repo}/git/trees/{tree_sha}"],
    ["GET", "/gists/42/comments", "gists/list-comments", "/gists/{gist_id}/comments"],
    ["GET", `/gists/42/${SHA}`, "gists/get-revision", "/gists/{gist_id}/{sha}"],
    ["POST", "/app/installations/9/access_tokens", "apps/create-installation-access-token", "/app/installations/{installation_id}/access_tokens"],
    ["GET", "/", "meta/root", "/"],
    ["PATCH", "/repos/acme/mesh/issues/comments/5", "issues/update-comment", "/repos/{owner}/{repo}/issues/comments/{comment_id}"],
  ])("%s %s is %s", (method, path, operationId, template) => {
    expect(findOperation(method, path)).toEqual({ operationId, template });
  });

  it("knows no route GitHub does not have, nor a method a route does not take", () => {
    expect(findOperation("GET", "/repos/acme/mesh/made-up")).toBeUndefined();
    expect(findOperation("DELETE", "/repos/acme/mesh/pulls/7/files")).toBeUndefined();
    expect(findOperation("GET", "/repos/acme/mesh/pulls/7/files/extra")).toBeUndefined();
    expect(findOperation("GET", "/repos/acme//pulls/7/files")).toBeUndefined();
  });
});

describe("validateResponse", () => {
  it("accepts a real-looking body, including a nullable field set to null", () => {
    expect(listFiles([diffEntry(), diffEntry({ sha: null, status: "added", filename: "mesh/new.yaml" })])).toEqual([]);
  });

  it("names the operation, the JSON pointer and the missing property", () => {
    const { filename: _filename, ...withoutName } = diffEntry();
    expect(listFiles([diffEntry(), withoutName])).toEqual(["pulls/list-files 200: /1 must have required property 'filename'"]);
  });

  it("reports a wrong type and a value outside an enum", () => {
    expect(listFiles([diffEntry({ additions: "3", status: "edited" })])).toEqual([
      'pulls/list-files 200: /0/status must be equal to one of the allowed values (["added","removed","modified","renamed","copied","changed","unchanged"])',
      "pulls/list-files 200: /0/additions must be integer",
    ]);
  });

  it("parses a JSON string body and rejects one that is not JSON", () => {
    expect(listFiles(JSON.stringify([diffEntry()]))).toEqual([]);
    expect(listFiles("[{")).toEqual(["pulls/list-files 200: body is not JSON"]);
  });

  it("reports only the oneOf branch the body came closest to", () => {
    const path = "/repos/acme/mesh/contents/mesh/reviews-vs.yaml";
    expect(validateResponse({ method: "GET", path, status: 200, body: contentFile() })).toEqual([]);
    const { encoding: _encoding, ...withoutEncoding } = contentFile();
    const errors = validateResponse({ method: "GET", path, status: 200, body: withoutEncoding });
    expect(errors).toContain("repos/get-content 200: / must have required property 'encoding'");
    expect(errors.filter((e) => e.includes("target") || e.includes("submodule_git_url") || e.includes("must be array"))).toEqual([]);
  });

  it("checks a media type the operation documents against its own schema", () => {
    const path = "/repos/acme/mesh/contents/mesh";
    const { content: _content, encoding: _encoding, ...fields } = contentFile({ type: "dir", name: "mesh", path: "mesh" });
    const directory = { ...fields, entries: [] };
    expect(validateResponse({ method: "GET", path, status: 200, body: directory, contentType: "application/vnd.github.object" })).toEqual([]);
    // As application/json a directory is an array of entries: the object form matches none of the oneOf branches.
    expect(validateResponse({ method: "GET", path, status: 200, body: directory, contentType: "application/json; charset=utf-8" })).toContain(
      "repos/get-content 200: / must match exactly one schema in oneOf",
    );
  });

  it("does not check raw media types or documented statuses without a body", () => {
    const path = "/repos/acme/mesh/contents/mesh/reviews-vs.yaml";
    expect(validateResponse({ method: "GET", path, status: 200, body: "kind: VirtualService\n", contentType: "application/vnd.github.raw+yaml" })).toEqual([]);
    expect(validateResponse({ method: "DELETE", path: "/repos/acme/mesh/issues/comments/5", status: 204, body: "" })).toEqual([]);
  });

  it("refuses success answers on routes GitHub does not have, or with undocumented statuses", () => {
    expect(validateResponse({ method: "GET", path: "/repos/acme/mesh/made-up", status: 200, body: {} })).toEqual([
      "GET /repos/acme/mesh/made-up: no such operation in GitHub's API",
    ]);
    const comment = { method: "POST", path: "/repos/acme/mesh/issues/7/comments", status: 200, body: {} };
    expect(validateResponse(comment)).toEqual([
      "issues/create-comment 200: status 200 is not documented (documented: 201, 403, 404, 410, 422)",
    ]);
  });

  it("checks error answers: documented ones against their schema, others as GitHub's basic error", () => {
    const notFound = { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" };
    expect(validateResponse({ method: "GET", path: "/repos/acme/mesh/made-up", status: 404, body: notFound })).toEqual([]);
    expect(validateResponse({ method: "GET", path: "/repos/acme/mesh/pulls/7/files", status: 403, body: notFound })).toEqual([]);
    expect(validateResponse({ method: "GET", path: "/repos/acme/mesh/pulls/7/files", status: 403, body: {} })).toEqual([
      "pulls/list-files 403: / must have required property 'message'",
    ]);
    const documentation_url = "https://docs.github.com/rest/issues/comments#create-an-issue-comment";
    const invalid = { message: "Validation Failed", documentation_url, errors: [{ resource: "Issue", field: "body", code: "missing_field" }] };
    expect(validateResponse({ method: "POST", path: "/repos/acme/mesh/issues/7/comments", status: 422, body: invalid })).toEqual([]);
    expect(
      validateResponse({ method: "POST", path: "/repos/acme/mesh/issues/7/comments", status: 422, body: { ...invalid, errors: "bad" } }),
    ).toEqual(["issues/create-comment 422: /errors must be array"]);
  });
});

describe("validateWebhookPayload", () => {
  const hook = {
    id: 1,
    type: "App",
    name: "web",
    active: true,
    events: ["pull_request", "check_run"],
    config: { content_type: "json", insecure_ssl: "0", url: "https://meshgate.example.com/webhooks/github" },
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    app_id: 1234,
  };

  it("accepts a valid payload for an event without action", () => {
    expect(validateWebhookPayload("ping", undefined, { zen: "Design for failure.", hook_id: 1, hook })).toEqual([]);
  });

  it("finds the webhook by event and action and reports what is missing", () => {
    const errors = validateWebhookPayload("pull_request", "opened", { action: "opened", number: 7 });
    expect(errors).toContain("webhook pull-request-opened: / must have required property 'pull_request'");
    expect(validateWebhookPayload("pull_request", "ready_for_review", {})).toContain(
      "webhook pull-request-ready-for-review: / must have required property 'action'",
    );
    expect(validateWebhookPayload("ping", undefined, { hook: { ...hook, active: "yes" } })).toEqual([
      "webhook ping: /hook/active must be boolean",
    ]);
  });

  it("finds actions declared inside oneOf branches", () => {
    const errors = validateWebhookPayload("pull_request", "review_requested", {});
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.startsWith("webhook pull-request-review-requested: "))).toBe(true);
  });

  it("refuses events and actions GitHub does not send", () => {
    expect(validateWebhookPayload("pull_request", "exploded", {})).toEqual(["pull_request.exploded: no such webhook in GitHub's description"]);
    expect(validateWebhookPayload("pull_request", undefined, {})).toEqual(["pull_request: no such webhook in GitHub's description"]);
  });
});
