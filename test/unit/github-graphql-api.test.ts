import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { executeGitHubGraphql } from "../github-simulator/graphql-api.ts";
import type { GraphqlObjectSource } from "../github-simulator/graphql-api.ts";

type GitObject = NonNullable<ReturnType<GraphqlObjectSource["readObject"]>>;

function blob(content: string | Uint8Array): GitObject {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const oid = createHash("sha1").update(`blob ${bytes.byteLength}\0`).update(bytes).digest("hex");
  return { type: "blob", oid, bytes };
}

const COMMIT = "4a7c2d9e1f0b3a5c6d7e8f9a0b1c2d3e4f5a6b7c";
const vsText = "apiVersion: networking.istio.io/v1\nkind: VirtualService\n";
const vs = blob(vsText);
const png = blob(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
// "x" then 600 KiB of "é" (2 bytes each): the 512 KiB cut falls in the middle of an "é".
const large = blob("x" + "é".repeat(300 * 1024));
const meshTree: GitObject = {
  type: "tree",
  oid: "9fceb02d0ae598e95dc970b74767f19372d61af8",
  entries: [
    { name: "reviews-vs.yaml", type: "blob", oid: vs.oid, mode: 0o100644 },
    { name: "canary", type: "tree", oid: "b4f2b1d2b6c4f5a2d3e4f5a6b7c8d9e0f1a2b3c4", mode: 0o040000 },
  ],
};

const objects = new Map<string, GitObject>([
  [`${COMMIT}:mesh/reviews-vs.yaml`, vs],
  [vs.oid, vs],
  [`${COMMIT}:logo.png`, png],
  [`${COMMIT}:big.yaml`, large],
  [`${COMMIT}:mesh`, meshTree],
  ["main", { type: "commit", oid: COMMIT }],
]);

function source(rateLimit?: GraphqlObjectSource["rateLimit"]): GraphqlObjectSource {
  const base: GraphqlObjectSource = {
    readObject: (owner, repo, expression) => (owner === "acme" && repo === "mesh" ? (objects.get(expression) ?? null) : null),
    repositoryExists: (owner, repo) => owner === "acme" && repo === "mesh",
  };
  return rateLimit ? { ...base, rateLimit } : base;
}

const run = (query: string, variables?: Record<string, unknown>) =>
  executeGitHubGraphql(variables ? { query, variables } : { query }, source());

describe("executeGitHubGraphql", () => {
  it("fetches many blobs in one query through aliases", async () => {
    const result = await run(`query {
      repository(owner: "acme", name: "mesh") {
        a0: object(expression: "${COMMIT}:mesh/reviews-vs.yaml") { __typename ... on Blob { text isBinary isTruncated byteSize oid } }
        a1: object(expression: "${COMMIT}:logo.png") { ... on Blob { text isBinary byteSize } }
        a2: object(expression: "${COMMIT}:missing.yaml") { ... on Blob { text } }
      }
    }`);
    expect(result).toEqual({
      data: {
        repository: {
          a0: { __typename: "Blob", text: vsText, isBinary: false, isTruncated: false, byteSize: 56, oid: vs.oid },
          a1: { text: null, isBinary: true, byteSize: 10 },
          a2: null,
        },
      },
    });
  });

  it("truncates the text of a large blob at 512 KiB, on a character boundary", async () => {
    const result = await run(`{ repository(owner: "acme", name: "mesh") { object(expression: "${COMMIT}:big.yaml") { ... on Blob { text isTruncated byteSize } } } }`);
    const object = (result.data as { repository: { object: { text: string; isTruncated: boolean; byteSize: number } } }).repository.object;
    expect(object.isTruncated).toBe(true);
    expect(object.byteSize).toBe(600 * 1024 + 1);
    expect(object.text).toBe("x" + "é".repeat(256 * 1024 - 1));
  });

  it("takes variables, looks objects up by oid, and resolves commits and trees", async () => {
    const query = `query($owner: String!, $name: String!, $oid: GitObjectID!, $dir: String!) {
      repository(owner: $owner, name: $name) {
        byOid: object(oid: $oid) { ... on Blob { oid byteSize } }
        head: object(expression: "main") { __typename ... on Commit { oid } }
        dir: object(expression: $dir) { ... on Tree { oid entries { name type oid mode path } } }
      }
    }`;
    const result = await run(query, { owner: "acme", name: "mesh", oid: vs.oid, dir: `${COMMIT}:mesh` });
    expect(result).toEqual({
      data: {
        repository: {
          byOid: { oid: vs.oid, byteSize: 56 },
          head: { __typename: "Commit", oid: COMMIT },
          dir: {
            oid: meshTree.oid,
            entries: [
              { name: "reviews-vs.yaml", type: "blob", oid: vs.oid, mode: 33188, path: "mesh/reviews-vs.yaml" },
              { name: "canary", type: "tree", oid: "b4f2b1d2b6c4f5a2d3e4f5a6b7c8d9e0f1a2b3c4", mode: 16384, path: "mesh/canary" },
            ],
          },
        },
      },
    });
  });

  it("answers a missing repository with null and GitHub's NOT_FOUND error", async () => {
    const result = await run(`{ repository(owner: "acme", name: "gone") { object(expression: "main") { oid } } }`);
    expect(result).toEqual({
      data: { repository: null },
      errors: [
        {
          type: "NOT_FOUND",
          message: "Could not resolve to a Repository with the name 'acme/gone'.",
          locations: [{ line: 1, column: 3 }],
          path: ["repository"],
        },
      ],
    });
  });

  it("rejects what GitHub's schema rejects, before resolving anything", async () => {
    expect(await run(`{ repository(owner: "acme", name: "mesh") { contents } }`)).toEqual({
      errors: [{ message: 'Cannot query field "contents" on type "Repository".', locations: [{ line: 1, column: 45 }] }],
    });
    const wrongArgument = await run(`{ repository(owner: "acme", repo: "mesh") { id } }`);
    expect(wrongArgument.data).toBeUndefined();
    expect(wrongArgument.errors).toEqual([
      expect.objectContaining({ message: 'Unknown argument "repo" on field "Query.repository".' }),
      expect.objectContaining({ message: 'Field "repository" argument "name" of type "String!" is required, but it was not provided.' }),
    ]);
    expect(await run("{ repository(")).toEqual({
      errors: [{ message: "Syntax Error: Expected Name, found <EOF>.", locations: [{ line: 1, column: 14 }] }],
    });
    const missingVariable = await run(`query($name: String!) { repository(owner: "acme", name: $name) { id } }`, {});
    expect(missingVariable.errors).toEqual([expect.objectContaining({ message: 'Variable "$name" of required type "String!" was not provided.' })]);
  });

  it("says plainly what the simulator does not implement instead of inventing data", async () => {
    const result = await run(`{ repository(owner: "acme", name: "mesh") { description object(expression: "${COMMIT}:mesh/reviews-vs.yaml") { ... on Blob { abbreviatedOid } } } }`);
    expect(result.data).toEqual({ repository: { description: null, object: null } });
    expect(result.errors).toEqual([
      expect.objectContaining({ message: "Repository.description is not implemented in the simulator", path: ["repository", "description"] }),
      expect.objectContaining({ message: "Blob.abbreviatedOid is not implemented in the simulator", path: ["repository", "object", "abbreviatedOid"] }),
    ]);
    const viewer = await run("{ viewer { login } }");
    expect(viewer).toEqual({ data: null, errors: [expect.objectContaining({ message: "Query.viewer is not implemented in the simulator" })] });
  });

  it("reports the rate limit with GitHub's documented cost and node count", async () => {
    const limit = { limit: 5000, used: 12, remaining: 4988, resetAt: "2025-06-01T13:00:00Z" };
    const plain = await executeGitHubGraphql({ query: "{ rateLimit { cost remaining resetAt limit used nodeCount } }" }, source(() => limit));
    expect(plain).toEqual({ data: { rateLimit: { cost: 1, nodeCount: 0, ...limit } } });
    // The documentation's example: 100 repositories x 50 pull requests x 60 labels = 5,101 requests, 305,100 nodes.
    const nested = `query($labels: Int!) {
      rateLimit { cost nodeCount }
      organization(login: "acme") { repositories(first: 100) { nodes { pullRequests(first: 50) { nodes { labels(first: $labels) { nodes { name } } } } } } }
    }`;
    const counted = await executeGitHubGraphql({ query: nested, variables: { labels: 60 } }, source(() => limit));
    expect(counted.data).toEqual({ rateLimit: { cost: 51, nodeCount: 305100 }, organization: null });
    const without = await run("{ rateLimit { remaining } }");
    expect(without.errors).toEqual([expect.objectContaining({ message: expect.stringContaining("Query.rateLimit is not implemented in the simulator") })]);
  });

  it("asks for a query string", async () => {
    expect(await executeGitHubGraphql({ variables: {} } as unknown as { query: string }, source())).toEqual({
      errors: [{ message: "A query attribute must be specified and must be a string." }],
    });
  });
});
