import type { CheckRunRecord, CommentState, InstallationState, PullState, RepoState, SimulatorState, UserState } from "./simulator-state.ts";
import { renderApp, renderInstallation } from "./render-app.ts";
import { renderCheckRun } from "./render-check-run.ts";
import { renderIssueComment } from "./render-issue-comment.ts";
import { renderPullRequest } from "./render-pull-request.ts";
import { renderRepository } from "./render-repository.ts";
import { renderUser, nodeId, WEB_URL } from "./render-user.ts";

// Payload shapes follow the `x-webhooks` section of GitHub's OpenAPI description
// (webhook-pull-request-opened, webhook-check-run-rerequested, webhook-issue-comment-created, …).

function envelope(state: SimulatorState, repo: RepoState, sender: UserState) {
  const installation = state.installationFor(repo);
  return {
    repository: renderRepository(repo, state.apiUrl),
    sender: renderUser(sender, state.apiUrl),
    ...(installation === undefined ? {} : { installation: { id: installation.id, node_id: nodeId("MDIz", installation.id) } }),
  };
}

/** `pull_request` with `action`; `synchronize` carries `before` and `after`. */
export function pullRequestPayload(state: SimulatorState, repo: RepoState, pull: PullState, action: string, sender: UserState, extra: Record<string, unknown> = {}) {
  return {
    action,
    number: pull.number,
    ...extra,
    pull_request: {
      ...renderPullRequest(repo, pull, state.apiUrl),
      allow_auto_merge: false,
      allow_update_branch: false,
      delete_branch_on_merge: false,
      use_squash_pr_title_as_default: false,
    },
    ...envelope(state, repo, sender),
  };
}

/** `check_run` with `action` (`rerequested`, `created`, `completed`, `requested_action`). */
export function checkRunPayload(state: SimulatorState, repo: RepoState, run: CheckRunRecord, action: string, sender: UserState) {
  const rendered = renderCheckRun(state, repo, run);
  const app = renderApp(state);
  return {
    action,
    check_run: {
      ...rendered,
      check_suite: {
        id: run.checkSuiteId,
        node_id: nodeId("CS", run.checkSuiteId),
        head_sha: run.headSha,
        head_branch: headBranch(repo, run.headSha),
        status: "completed" as const,
        conclusion: run.conclusion === "stale" ? null : run.conclusion,
        url: `${state.apiUrl}/repos/${repo.fullName}/check-suites/${run.checkSuiteId}`,
        before: null,
        after: run.headSha,
        pull_requests: rendered.pull_requests,
        app,
        created_at: run.startedAt,
        updated_at: run.completedAt ?? run.startedAt,
      },
    },
    ...envelope(state, repo, sender),
  };
}

/** `issue_comment` on a pull request (the `issue` carries `pull_request`). */
export function issueCommentPayload(state: SimulatorState, repo: RepoState, pull: PullState, comment: CommentState, action: string, changes?: { body: { from: string } }) {
  const api = state.apiUrl;
  const issueUrl = `${api}/repos/${repo.fullName}/issues/${pull.number}`;
  const html = `${WEB_URL}/${repo.fullName}/pull/${pull.number}`;
  return {
    action,
    ...(changes === undefined ? {} : { changes }),
    issue: {
      url: issueUrl,
      repository_url: `${api}/repos/${repo.fullName}`,
      labels_url: `${issueUrl}/labels{/name}`,
      comments_url: `${issueUrl}/comments`,
      events_url: `${issueUrl}/events`,
      html_url: html,
      id: pull.id + 1,
      node_id: nodeId("I", pull.id + 1),
      number: pull.number,
      title: pull.title,
      user: renderUser(pull.user, api),
      labels: [] as never[],
      state: pull.state,
      locked: false,
      assignee: null,
      assignees: [] as never[],
      milestone: null,
      comments: repo.comments.filter((c) => c.issueNumber === pull.number).length,
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: null,
      author_association: pull.user.id === repo.owner.id ? "OWNER" : "CONTRIBUTOR",
      active_lock_reason: null,
      draft: pull.draft,
      body: pull.body,
      reactions: { url: `${issueUrl}/reactions`, total_count: 0, "+1": 0, "-1": 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
      pull_request: { url: `${api}/repos/${repo.fullName}/pulls/${pull.number}`, html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, merged_at: null },
    },
    comment: renderIssueComment(state, repo, comment),
    ...envelope(state, repo, comment.user),
  };
}

/** `installation` (`created`, `deleted`, …) with the repositories it covers. */
export function installationPayload(state: SimulatorState, installation: InstallationState, action: string, sender: UserState) {
  const repos = [...state.repos.values()].filter((repo) => state.installationFor(repo)?.id === installation.id);
  return {
    action,
    installation: renderInstallation(state, installation),
    repositories: repos.map((repo) => ({ id: repo.id, node_id: nodeId("R", repo.id), name: repo.name, full_name: repo.fullName, private: true })),
    requester: null,
    sender: renderUser(sender, state.apiUrl),
  };
}

function headBranch(repo: RepoState, sha: string): string | null {
  return repo.git.branches().find((branch) => repo.git.branchHead(branch) === sha) ?? null;
}
