import type { CheckRunAnnotation } from "../render/render-check-run.ts";
import type { GitHubClient } from "./create-github-client.ts";

/** What GitHub says about one file of a change. */
export interface ChangedFile {
  readonly path: string;
  readonly status: string;
  /** The old path of a rename. */
  readonly previousPath?: string;
}

/** A file's content at `<rev>:<path>`: text, raw bytes (binary or too large for GraphQL), or missing. */
export type BlobContent = string | Uint8Array | null;

export interface IssueComment {
  readonly id: number;
  readonly body: string;
  /** Set when the comment was written by a GitHub App (its ID), so a forged marker from a person is ignored. */
  readonly appId: number | null;
}

export interface CheckRunWrite {
  readonly name: string;
  readonly headSha: string;
  readonly externalId: string;
  readonly status: "in_progress" | "completed";
  readonly conclusion?: "success" | "failure" | "neutral";
  readonly output: { readonly title: string; readonly summary: string; readonly text?: string; readonly annotations?: readonly CheckRunAnnotationWrite[] };
}

export type CheckRunAnnotationWrite = CheckRunAnnotation;

export interface PullRequestInfo {
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly baseRef: string;
  readonly draft: boolean;
  readonly state: string;
  readonly fromFork: boolean;
  readonly htmlUrl: string;
}

/** The fields both a webhook's and the REST API's pull request carry. */
interface PullRequestFields {
  readonly number: number;
  readonly state: string;
  readonly draft?: boolean | undefined;
  readonly html_url: string;
  readonly head: { readonly sha: string; readonly repo: { readonly full_name: string } | null };
  readonly base: { readonly sha: string; readonly ref: string; readonly repo: { readonly full_name: string } };
}

/** A pull request as a review needs it; a head in another repository is a fork's. */
export function pullRequestInfo(pr: PullRequestFields): PullRequestInfo {
  return {
    number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    baseRef: pr.base.ref,
    draft: pr.draft === true,
    state: pr.state,
    fromFork: pr.head.repo?.full_name !== pr.base.repo.full_name,
    htmlUrl: pr.html_url,
  };
}

/** GitHub's cap on a pull request's file list. */
export const PULL_FILES_LIMIT = 3000;
/** Expressions per GraphQL query: one node each, far inside GitHub's 500,000-node limit; a typical PR needs one query. */
const BLOBS_PER_QUERY = 250;

/**
 * The few GitHub calls a review makes, for one repository. Reads are batched (PR files 100 a page,
 * file contents through one GraphQL query per 250 files); nothing here knows about Istio.
 */
export interface RepoGitHub {
  readonly owner: string;
  readonly repo: string;
  pullRequest(number: number): Promise<PullRequestInfo>;
  pullRequestFiles(number: number): Promise<{ files: ChangedFile[]; truncated: boolean }>;
  pullRequestsForCommit(sha: string): Promise<number[]>;
  /** Contents of `rev:path` expressions, keyed by expression; no request for none. */
  readBlobs(expressions: readonly string[]): Promise<Map<string, BlobContent>>;
  treePaths(sha: string): Promise<{ paths: string[]; truncated: boolean }>;
  compareFiles(base: string, head: string): Promise<{ files: ChangedFile[]; complete: boolean }>;
  permission(user: string): Promise<string>;
  issueComments(number: number): Promise<IssueComment[]>;
  createComment(number: number, body: string): Promise<number>;
  /** False when the comment no longer exists (deleted by someone). */
  updateComment(id: number, body: string): Promise<boolean>;
  createCheckRun(run: CheckRunWrite): Promise<number>;
  updateCheckRun(id: number, run: Partial<CheckRunWrite> & Pick<CheckRunWrite, "output">): Promise<void>;
}

function changedFile(f: { filename: string; status: string; previous_filename?: string }): ChangedFile {
  return f.previous_filename ? { path: f.filename, status: f.status, previousPath: f.previous_filename } : { path: f.filename, status: f.status };
}

interface BlobNode {
  readonly text: string | null;
  readonly isBinary: boolean | null;
  readonly isTruncated: boolean;
}

function splitExpression(expression: string): { ref: string; path: string } {
  const i = expression.indexOf(":");
  return { ref: expression.slice(0, i), path: expression.slice(i + 1) };
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && "status" in error && error.status === 404;
}

export function repoGitHub(octokit: GitHubClient, owner: string, repo: string): RepoGitHub {
  const rest = octokit.rest;
  return {
    owner,
    repo,
    async pullRequest(number) {
      return pullRequestInfo((await rest.pulls.get({ owner, repo, pull_number: number })).data);
    },
    async pullRequestFiles(number) {
      const files: ChangedFile[] = [];
      for await (const page of octokit.paginate.iterator(rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: 100 })) {
        files.push(...page.data.map(changedFile));
      }
      return { files, truncated: files.length >= PULL_FILES_LIMIT };
    },
    async pullRequestsForCommit(sha) {
      const { data } = await rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
      return data.filter((p) => p.state === "open").map((p) => p.number);
    },
    async readBlobs(expressions) {
      const out = new Map<string, BlobContent>();
      for (let i = 0; i < expressions.length; i += BLOBS_PER_QUERY) {
        const chunk = expressions.slice(i, i + BLOBS_PER_QUERY);
        const vars = chunk.map((_, j) => `$e${j}: String!`).join(", ");
        const fields = chunk.map((_, j) => `f${j}: object(expression: $e${j}) { ... on Blob { text isBinary isTruncated } }`).join("\n");
        const variables: Record<string, string> = { owner, name: repo };
        chunk.forEach((e, j) => (variables[`e${j}`] = e));
        const data = await octokit.graphql<{ repository: Record<string, BlobNode | null> | null }>(`query($owner: String!, $name: String!, ${vars}) { repository(owner: $owner, name: $name) { ${fields} } }`, variables);
        for (const [j, e] of chunk.entries()) {
          const node = data.repository?.[`f${j}`] ?? null;
          if (!node) out.set(e, null);
          else if (node.text !== null && !node.isTruncated) out.set(e, node.text);
          else out.set(e, await readRaw(e));
        }
      }
      return out;
    },
    async treePaths(sha) {
      const { data } = await rest.git.getTree({ owner, repo, tree_sha: sha, recursive: "1" });
      return { paths: data.tree.filter((t) => t.type === "blob" && t.path).map((t) => t.path as string), truncated: data.truncated };
    },
    async compareFiles(base, head) {
      const { data } = await rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}`, per_page: 100 });
      const files = (data.files ?? []).map(changedFile);
      // The comparison lists at most 300 files: past that the caller must rebuild rather than trust it.
      return { files, complete: files.length < 300 };
    },
    async permission(user) {
      try {
        const { data } = await rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: user });
        return data.role_name ?? data.permission;
      } catch (error) {
        if (isNotFound(error)) return "none";
        throw error;
      }
    },
    async issueComments(number) {
      const out: IssueComment[] = [];
      for await (const page of octokit.paginate.iterator(rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 })) {
        for (const c of page.data) out.push({ id: c.id, body: c.body ?? "", appId: c.performed_via_github_app?.id ?? null });
      }
      return out;
    },
    async createComment(number, body) {
      const { data } = await rest.issues.createComment({ owner, repo, issue_number: number, body });
      return data.id;
    },
    async updateComment(id, body) {
      try {
        await rest.issues.updateComment({ owner, repo, comment_id: id, body });
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    async createCheckRun(run) {
      const { data } = await rest.checks.create({
        owner,
        repo,
        name: run.name,
        head_sha: run.headSha,
        external_id: run.externalId,
        status: run.status,
        ...(run.conclusion ? { conclusion: run.conclusion } : {}),
        output: { ...run.output, annotations: [...(run.output.annotations ?? [])] },
      });
      return data.id;
    },
    async updateCheckRun(id, run) {
      await rest.checks.update({
        owner,
        repo,
        check_run_id: id,
        ...(run.status ? { status: run.status } : {}),
        ...(run.conclusion ? { conclusion: run.conclusion } : {}),
        output: { ...run.output, annotations: [...(run.output.annotations ?? [])] },
      });
    },
  };

  /** Binary or large files: the raw media type serves up to 100 MB where GraphQL gives no text. */
  async function readRaw(expression: string): Promise<Uint8Array> {
    const { ref, path } = splitExpression(expression);
    const res = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, ref, headers: { accept: "application/vnd.github.raw" }, request: { parseSuccessResponseBody: false } });
    return new Uint8Array(await new Response(res.data as unknown as ReadableStream).arrayBuffer());
  }
}
