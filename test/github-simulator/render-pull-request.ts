import type { PullState, RepoState } from "./simulator-state.ts";
import { renderRepository } from "./render-repository.ts";
import { renderUser, nodeId, WEB_URL } from "./render-user.ts";

/** Head and base of a pull request as GitHub reports them: the branch tips now, and the merge base the diff starts from. */
export function pullCommits(repo: RepoState, pull: PullState): { headSha: string; baseSha: string; mergeBase: string | null } {
  const headSha = repo.git.branchHead(pull.head) ?? "";
  const baseSha = repo.git.branchHead(pull.base) ?? "";
  return { headSha, baseSha, mergeBase: headSha !== "" && baseSha !== "" ? repo.git.mergeBase(baseSha, headSha) : null };
}

/** `pull-request-simple` (lists, `commits/{sha}/pulls`). */
export function renderPullRequestSimple(repo: RepoState, pull: PullState, api: string) {
  const { headSha, baseSha } = pullCommits(repo, pull);
  const url = `${api}/repos/${repo.fullName}/pulls/${pull.number}`;
  const issueUrl = `${api}/repos/${repo.fullName}/issues/${pull.number}`;
  const html = `${WEB_URL}/${repo.fullName}/pull/${pull.number}`;
  const repository = renderRepository(repo, api);
  const owner = renderUser(repo.owner, api);
  return {
    url,
    id: pull.id,
    node_id: nodeId("PR", pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/repos/${repo.fullName}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: `${api}/repos/${repo.fullName}/statuses/${headSha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: renderUser(pull.user, api),
    body: pull.body,
    labels: [] as never[],
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [] as never[],
    requested_reviewers: [] as never[],
    requested_teams: [] as never[],
    head: { label: `${repo.owner.login}:${pull.head}`, ref: pull.head, sha: headSha, user: owner, repo: repository },
    base: { label: `${repo.owner.login}:${pull.base}`, ref: pull.base, sha: baseSha, user: owner, repo: repository },
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/repos/${repo.fullName}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${api}/repos/${repo.fullName}/statuses/${headSha}` },
    },
    author_association: pull.user.id === repo.owner.id ? "OWNER" : repo.collaborators.has(pull.user.login.toLowerCase()) ? "COLLABORATOR" : "CONTRIBUTOR",
    auto_merge: null,
    draft: pull.draft,
  };
}

/** The full `pull-request` (GET one, and webhook payloads), with counts computed from git. */
export function renderPullRequest(repo: RepoState, pull: PullState, api: string) {
  const { headSha, baseSha, mergeBase } = pullCommits(repo, pull);
  const files = repo.git.diff(mergeBase, headSha);
  const mergeable = baseSha === "" || headSha === "" ? null : repo.git.mergesCleanly(baseSha, headSha);
  return {
    ...renderPullRequestSimple(repo, pull, api),
    merged: false,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: mergeable === null ? "unknown" : mergeable ? "clean" : "dirty",
    merged_by: null,
    comments: repo.comments.filter((c) => c.issueNumber === pull.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: repo.git.commitsBetween(mergeBase, headSha).length,
    additions: files.reduce((sum, f) => sum + f.additions, 0),
    deletions: files.reduce((sum, f) => sum + f.deletions, 0),
    changed_files: files.length,
  };
}
