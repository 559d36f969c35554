import type { CheckRunAnnotationWrite, PullRequestInfo, RepoGitHub } from "../github/repo-github.ts";
import { ANNOTATIONS_PER_REQUEST } from "../render/render-check-run.ts";
import { type PullRequestReview, STICKY_MARKER } from "./review-pull-request.ts";

export const CHECK_NAME = "meshgate";

/** What the App must remember per pull request to edit rather than duplicate. */
export interface ReviewMemory {
  readonly commentId?: number;
  /** Per head SHA: its check run and the annotations already on it (GitHub appends them and cannot delete). */
  readonly checkRuns: Readonly<Record<string, { readonly id: number; readonly annotations: readonly string[] }>>;
}

function annotationKey(a: CheckRunAnnotationWrite): string {
  return `${a.path}:${a.start_line}:${a.title}:${a.message}`;
}

const NO_MESH_CHANGES = "The latest head of this pull request changes no mesh configuration any more, so there is nothing to review.";

/**
 * Writes a review to GitHub: one check run per head SHA (a re-review edits it and adds only annotations
 * it does not have yet) and one sticky comment per pull request, found by its hidden marker *and* the
 * App's own ID, so a person quoting the marker cannot hijack it.
 */
export async function publishReview(gh: RepoGitHub, pr: PullRequestInfo, review: PullRequestReview, memory: ReviewMemory, appId: number): Promise<ReviewMemory> {
  const checkRuns = { ...memory.checkRuns, [pr.headSha]: await writeCheckRun(gh, pr, review, memory.checkRuns[pr.headSha]) };
  const commentId = await writeComment(gh, pr, review.comment, memory.commentId, appId);
  return commentId === undefined ? { checkRuns } : { commentId, checkRuns };
}

async function writeCheckRun(gh: RepoGitHub, pr: PullRequestInfo, review: PullRequestReview, existing: ReviewMemory["checkRuns"][string] | undefined) {
  const { conclusion, title, summary, text } = review.check;
  const posted = new Set(existing?.annotations ?? []);
  const fresh = review.check.batches.flat().filter((a) => !posted.has(annotationKey(a)));
  const batches: CheckRunAnnotationWrite[][] = [];
  for (let i = 0; i < fresh.length; i += ANNOTATIONS_PER_REQUEST) batches.push(fresh.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const output = (annotations: readonly CheckRunAnnotationWrite[] = []) => ({ title, summary, ...(text ? { text } : {}), annotations });
  const first = batches.shift() ?? [];
  let id: number;
  if (existing) {
    id = existing.id;
    await gh.updateCheckRun(id, { status: "completed", conclusion, output: output(first) });
  } else {
    id = await gh.createCheckRun({ name: CHECK_NAME, headSha: pr.headSha, externalId: String(pr.number), status: "completed", conclusion, output: output(first) });
  }
  for (const batch of batches) await gh.updateCheckRun(id, { output: output(batch) });
  return { id, annotations: [...posted, ...fresh.map(annotationKey)] };
}

async function writeComment(gh: RepoGitHub, pr: PullRequestInfo, body: string | undefined, known: number | undefined, appId: number): Promise<number | undefined> {
  const marker = `<!-- ${STICKY_MARKER} -->`;
  const id = known ?? (await gh.issueComments(pr.number)).find((c) => c.appId === appId && c.body.includes(marker))?.id;
  if (body === undefined) {
    // No mesh change in this head: say so in the comment an earlier head left, or stay silent.
    if (id !== undefined && (await gh.updateComment(id, `${marker}\n${NO_MESH_CHANGES}\n`))) return id;
    return undefined;
  }
  if (id !== undefined && (await gh.updateComment(id, body))) return id;
  return gh.createComment(pr.number, body);
}
