import type { RepoContext, Route } from "./route.ts";
import { read, repoRoute } from "./route.ts";
import type { ApiResponse } from "./api-response.ts";
import { apiError, notFound, ok } from "./api-response.ts";
import { renderCommit, renderDiffEntry } from "./render-commit.ts";
import { WEB_URL } from "./render-user.ts";

/** "includes up to 300 changed files for the entire comparison" and "commits limited to 250" (repos/compare-commits). */
const COMPARE_FILE_LIMIT = 300;
const COMPARE_COMMIT_LIMIT = 250;

export const commitRoutes: Route[] = [
  // A ref may hold slashes (`feature/canary`); the sub-resources of a commit are other routes.
  repoRoute("GET", "/commits/(?<ref>(?!.*/(?:pulls|check-runs|check-suites|status|statuses|comments|branches-where-head)$).+)", read("contents"), (ctx) => {
    const ref = ctx.params["ref"] ?? "";
    const sha = ctx.repo.git.resolveCommit(ref);
    if (sha === null) return apiError(422, `No commit found for SHA: ${ref}`);
    const commit = ctx.repo.git.readCommit(sha);
    if (commit === null) return notFound();
    return ok(renderCommit(ctx.state, ctx.repo, commit, ctx.repo.git.diff(commit.parents[0] ?? null, sha)));
  }),
  repoRoute("GET", "/compare/(?<basehead>.+)", read("contents"), compare),
];

/** `GET /compare/{base}...{head}`: the three-dot comparison from the merge base, as GitHub computes it. */
function compare(ctx: RepoContext): ApiResponse {
  const basehead = ctx.params["basehead"] ?? "";
  const separator = basehead.indexOf("...");
  if (separator === -1) return notFound();
  const baseRef = basehead.slice(0, separator);
  const headRef = basehead.slice(separator + 3);
  const git = ctx.repo.git;
  const base = git.resolveCommit(baseRef);
  const head = git.resolveCommit(headRef);
  if (base === null || head === null) return notFound();
  const mergeBase = git.mergeBase(base, head);
  if (mergeBase === null) return apiError(404, `No common ancestor between ${baseRef} and ${headRef}.`);
  const ahead = git.commitsBetween(mergeBase, head);
  const behind = git.commitsBetween(mergeBase, base).length;
  const status = ahead.length === 0 && behind === 0 ? "identical" : behind === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
  const render = (sha: string) => {
    const commit = git.readCommit(sha);
    return commit === null ? null : renderCommit(ctx.state, ctx.repo, commit);
  };
  const files = git.diff(mergeBase, head).slice(0, COMPARE_FILE_LIMIT);
  const api = `${ctx.state.apiUrl}/repos/${ctx.repo.fullName}`;
  const html = `${WEB_URL}/${ctx.repo.fullName}/compare/${baseRef}...${headRef}`;
  return ok({
    url: `${api}/compare/${baseRef}...${headRef}`,
    html_url: html,
    permalink_url: `${WEB_URL}/${ctx.repo.fullName}/compare/${ctx.repo.owner.login}:${base.slice(0, 7)}...${ctx.repo.owner.login}:${head.slice(0, 7)}`,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    base_commit: render(base),
    merge_base_commit: render(mergeBase),
    status,
    ahead_by: ahead.length,
    behind_by: behind,
    total_commits: ahead.length,
    commits: ahead.slice(0, COMPARE_COMMIT_LIMIT).map(render),
    files: files.map((f) => renderDiffEntry(ctx.state, ctx.repo, f, head)),
  });
}
