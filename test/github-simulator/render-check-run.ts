import type { CheckRunRecord, RepoState, SimulatorState } from "./simulator-state.ts";
import { renderApp } from "./render-app.ts";
import { nodeId, WEB_URL } from "./render-user.ts";

/** GitHub's `check-run`. `pull_requests` lists the open PRs of this repository whose head is the run's SHA. */
export function renderCheckRun(state: SimulatorState, repo: RepoState, run: CheckRunRecord) {
  const api = state.apiUrl;
  const url = `${api}/repos/${repo.fullName}/check-runs/${run.id}`;
  const htmlUrl = `${WEB_URL}/${repo.fullName}/runs/${run.id}`;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CR", run.id),
    external_id: run.externalId ?? "",
    url,
    html_url: htmlUrl,
    details_url: run.detailsUrl ?? htmlUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.checkSuiteId },
    app: renderApp(state),
    pull_requests: pullRequestsAt(state, repo, run.headSha),
  };
}

/** GitHub's `pull-request-minimal` for the open PRs whose head commit is `sha`. */
export function pullRequestsAt(state: SimulatorState, repo: RepoState, sha: string) {
  const api = state.apiUrl;
  const repoRef = { id: repo.id, url: `${api}/repos/${repo.fullName}`, name: repo.name };
  const result = [];
  for (const pull of repo.pulls.values()) {
    const headSha = repo.git.branchHead(pull.head);
    if (pull.state !== "open" || headSha !== sha) continue;
    result.push({
      id: pull.id,
      number: pull.number,
      url: `${api}/repos/${repo.fullName}/pulls/${pull.number}`,
      head: { ref: pull.head, sha, repo: repoRef },
      base: { ref: pull.base, sha: repo.git.branchHead(pull.base) ?? "", repo: repoRef },
    });
  }
  return result;
}
