import type { RepoContext, Route } from "./route.ts";
import { bodyObject, read, repoRoute, write } from "./route.ts";
import type { ApiResponse } from "./api-response.ts";
import { invalidRequest, notFound, ok, validationFailed } from "./api-response.ts";
import type { CommentState } from "./simulator-state.ts";
import { isoSeconds } from "./simulator-state.ts";
import { isPage, paginate, pageResponse } from "./paginate.ts";
import { renderIssueComment } from "./render-issue-comment.ts";
import { issueCommentPayload } from "./webhook-payloads.ts";

/** Issue and PR comment bodies are capped at 65,536 characters. */
const MAX_COMMENT_LENGTH = 65536;

// PR conversation comments are issue comments; an app may use either the issues or the pull_requests permission.
const READ = read("issues", "pull_requests");
const WRITE = write("issues", "pull_requests");

export const commentRoutes: Route[] = [
  repoRoute("GET", "/issues/(?<number>\\d+)/comments", READ, (ctx) => {
    const number = Number(ctx.params["number"]);
    if (!ctx.repo.pulls.has(number)) return notFound();
    const since = ctx.url.searchParams.get("since");
    const comments = ctx.repo.comments.filter((c) => c.issueNumber === number && (since === null || c.updatedAt >= since));
    const page = paginate(comments, ctx.url);
    return isPage(page) ? pageResponse(page, page.items.map((c) => renderIssueComment(ctx.state, ctx.repo, c))) : page;
  }),
  repoRoute("POST", "/issues/(?<number>\\d+)/comments", WRITE, (ctx) => {
    const number = Number(ctx.params["number"]);
    if (!ctx.repo.pulls.has(number)) return notFound();
    const body = readBody(ctx);
    if (typeof body !== "string") return body;
    const now = isoSeconds(ctx.now);
    const comment: CommentState = { id: ctx.state.nextId(2_000_000_000), issueNumber: number, body, user: ctx.state.bot, viaApp: true, createdAt: now, updatedAt: now };
    ctx.repo.comments.push(comment);
    const pull = ctx.repo.pulls.get(number);
    if (pull !== undefined) ctx.webhooks.notify("issue_comment", () => issueCommentPayload(ctx.state, ctx.repo, pull, comment, "created"));
    const rendered = renderIssueComment(ctx.state, ctx.repo, comment);
    return ok(rendered, 201, { location: rendered.url });
  }),
  repoRoute("GET", "/issues/comments/(?<id>\\d+)", READ, (ctx) => {
    const comment = findComment(ctx);
    return comment === undefined ? notFound() : ok(renderIssueComment(ctx.state, ctx.repo, comment));
  }),
  repoRoute("PATCH", "/issues/comments/(?<id>\\d+)", WRITE, (ctx) => {
    const comment = findComment(ctx);
    if (comment === undefined) return notFound();
    const body = readBody(ctx);
    if (typeof body !== "string") return body;
    const from = comment.body;
    comment.body = body;
    comment.updatedAt = isoSeconds(ctx.now);
    const pull = ctx.repo.pulls.get(comment.issueNumber);
    if (pull !== undefined) ctx.webhooks.notify("issue_comment", () => issueCommentPayload(ctx.state, ctx.repo, pull, comment, "edited", { body: { from } }));
    return ok(renderIssueComment(ctx.state, ctx.repo, comment));
  }),
  repoRoute("DELETE", "/issues/comments/(?<id>\\d+)", WRITE, (ctx) => {
    const comment = findComment(ctx);
    if (comment === undefined) return notFound();
    ctx.repo.comments.splice(ctx.repo.comments.indexOf(comment), 1);
    return { status: 204 };
  }),
];

function findComment(ctx: RepoContext): CommentState | undefined {
  const id = Number(ctx.params["id"]);
  return ctx.repo.comments.find((c) => c.id === id);
}

/** The `body` field, or GitHub's 422 when it is missing or too long. */
function readBody(ctx: RepoContext): string | ApiResponse {
  const body = bodyObject(ctx)?.["body"];
  if (body === undefined) return invalidRequest(`"body" wasn't supplied.`);
  if (typeof body !== "string") return invalidRequest(`For 'properties/body', ${JSON.stringify(body)} is not a string.`);
  // GitHub counts characters (code points), not UTF-16 units.
  if ([...body].length > MAX_COMMENT_LENGTH) {
    return validationFailed([{ resource: "IssueComment", code: "unprocessable", field: "data", message: `Body is too long (maximum is ${MAX_COMMENT_LENGTH} characters)` }]);
  }
  return body;
}
