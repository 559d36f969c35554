import type { CommentState, RepoState, SimulatorState } from "./simulator-state.ts";
import { renderApp } from "./render-app.ts";
import { renderUser, nodeId, WEB_URL } from "./render-user.ts";

/** GitHub's `issue-comment`. */
export function renderIssueComment(state: SimulatorState, repo: RepoState, comment: CommentState) {
  const api = state.apiUrl;
  const url = `${api}/repos/${repo.fullName}/issues/comments/${comment.id}`;
  return {
    id: comment.id,
    node_id: nodeId("IC", comment.id),
    url,
    html_url: `${WEB_URL}/${repo.fullName}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: renderUser(comment.user, api),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${api}/repos/${repo.fullName}/issues/${comment.issueNumber}`,
    author_association: comment.user.id === repo.owner.id ? "OWNER" : repo.collaborators.has(comment.user.login.toLowerCase()) ? "COLLABORATOR" : "NONE",
    performed_via_github_app: comment.viaApp ? renderApp(state) : null,
    reactions: {
      url: `${url}/reactions`,
      total_count: 0,
      "+1": 0,
      "-1": 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
  };
}
