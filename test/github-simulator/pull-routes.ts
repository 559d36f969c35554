import type { Route } from "./route.ts";
import { read, repoRoute } from "./route.ts";
import { apiError, notFound, ok } from "./api-response.ts";
import { isPage, paginate, pageResponse } from "./paginate.ts";
import { pullCommits, renderPullRequest, renderPullRequestSimple } from "./render-pull-request.ts";
import { renderDiffEntry } from "./render-commit.ts";

/** "Responses include a maximum of 3000 files" (GitHub docs, pulls/list-files). */
const MAX_PULL_FILES = 3000;

export const pullRoutes: Route[] = [
  repoRoute("GET", "/pulls", read("pull_requests"), (ctx) => {
    const wanted = ctx.url.searchParams.get("state") ?? "open";
    const pulls = [...ctx.repo.pulls.values()].filter((p) => wanted === "all" || p.state === wanted).sort((a, b) => b.number - a.number);
    const page = paginate(pulls, ctx.url);
    return isPage(page) ? pageResponse(page, page.items.map((p) => renderPullRequestSimple(ctx.repo, p, ctx.state.apiUrl))) : page;
  }),
  repoRoute("GET", "/pulls/(?<number>\\d+)", read("pull_requests"), (ctx) => {
    const pull = ctx.repo.pulls.get(Number(ctx.params["number"]));
    return pull === undefined ? notFound() : ok(renderPullRequest(ctx.repo, pull, ctx.state.apiUrl));
  }),
  repoRoute("GET", "/pulls/(?<number>\\d+)/files", read("pull_requests"), (ctx) => {
    const pull = ctx.repo.pulls.get(Number(ctx.params["number"]));
    if (pull === undefined) return notFound();
    const { headSha, mergeBase } = pullCommits(ctx.repo, pull);
    const files = ctx.repo.git.diff(mergeBase, headSha).slice(0, MAX_PULL_FILES);
    const page = paginate(files, ctx.url);
    return isPage(page) ? pageResponse(page, page.items.map((f) => renderDiffEntry(ctx.state, ctx.repo, f, headSha))) : page;
  }),
  repoRoute("GET", "/commits/(?<sha>[^/]+)/pulls", read("contents"), (ctx) => {
    const sha = ctx.repo.git.resolveCommit((ctx.params["sha"] ?? ""));
    if (sha === null) return apiError(422, `No commit found for SHA: ${ctx.params["sha"] ?? ""}`);
    // Open PRs that contain the commit and whose base does not already have it.
    const pulls = [...ctx.repo.pulls.values()].filter((pull) => {
      const { headSha, baseSha } = pullCommits(ctx.repo, pull);
      return headSha !== "" && ctx.repo.git.isAncestor(sha, headSha) && !(baseSha !== "" && ctx.repo.git.isAncestor(sha, baseSha));
    });
    const page = paginate(pulls, ctx.url);
    return isPage(page) ? pageResponse(page, page.items.map((p) => renderPullRequestSimple(ctx.repo, p, ctx.state.apiUrl))) : page;
  }),
];
