import type { PullRequestInfo } from "../github/repo-github.ts";
import { policyOptions } from "../policy/policy-options.ts";
import { type CheckRunOutput, renderCheckRun } from "../render/render-check-run.ts";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../render/render-markdown.ts";
import { reviewChange } from "../review/review-change.ts";
import { CONFIG_FILE } from "../policy/is-mesh-path.ts";
import type { LoadedChange } from "./load-change.ts";

/** The hidden marker that identifies the App's one comment per pull request. */
export const STICKY_MARKER = "meshgate:sticky";

export interface PullRequestReview {
  /** The sticky comment's body; undefined when the PR touches no mesh config (no comment then). */
  readonly comment: string | undefined;
  readonly check: CheckRunOutput;
}

function footer(pr: PullRequestInfo, change: LoadedChange): string {
  const lines = [
    "",
    "---",
    `<sub>meshgate reviewed ${pr.headSha.slice(0, 7)} against ${pr.baseRef} (${pr.baseSha.slice(0, 7)}): ${change.changed.size} changed mesh file${change.changed.size === 1 ? "" : "s"} and ${change.related} related. Comment \`/meshgate recheck\` to review again.</sub>`,
  ];
  return lines.join("\n");
}

function preface(pr: PullRequestInfo, change: LoadedChange): string {
  const notes = [
    ...(pr.draft ? ["**Draft pull request**: reviewed as it stands; the check will be asked again when it is ready."] : []),
    ...(pr.fromFork ? ["From a fork: judged by the base repository's `.meshgate.yaml` and policies."] : []),
    ...change.notes,
  ];
  return notes.map((n) => `> ${n}`).join("\n");
}

/**
 * The review of one pull request head, as GitHub will show it: the comment and the check run. Pure:
 * everything it needs was read by `loadChange`, with the base's `.meshgate.yaml` judging the change.
 */
export function reviewPullRequest(change: LoadedChange, pr: PullRequestInfo, today: string): PullRequestReview {
  if (change.changed.size === 0) {
    const summary = "This pull request changes no file the repository's `.meshgate.yaml` `paths` select as mesh configuration.";
    return { comment: undefined, check: { conclusion: "neutral", title: "No mesh configuration changed", summary, text: "", batches: [] } };
  }
  const { policy, findings } = policyOptions({ file: `${CONFIG_FILE} (at ${pr.baseRef})`, text: change.config.text, editedByChange: change.config.edited, today });
  const reviewed = reviewChange(change.base, change.head, { policy, limits: policy.config.limits });
  const review = { ...reviewed, findings: [...findings.map((f) => ({ ...f, isNew: true })), ...reviewed.findings] };
  const before = preface(pr, change);
  const after = footer(pr, change);
  const repoUrl = pr.htmlUrl.replace(/\/pull\/\d+$/, "");
  const body = renderMarkdown(review, { marker: STICKY_MARKER, linkBase: `${repoUrl}/blob/${pr.headSha}/`, limit: GITHUB_COMMENT_LIMIT - before.length - after.length - 2 });
  const comment = before ? body.replace(/^(<!-- .*? -->\n)/, `$1${before}\n\n`) : body;
  const check = renderCheckRun(review, (path) => change.changed.has(path));
  return {
    comment: `${comment.trimEnd()}\n${after}\n`,
    check: pr.draft ? { ...check, title: `Draft: ${check.title}` } : check,
  };
}
