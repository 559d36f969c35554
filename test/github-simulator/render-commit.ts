import type { GitCommit, GitFileChange } from "./git-repository.ts";
import type { RepoState, SimulatorState } from "./simulator-state.ts";
import { renderUser, nodeId, WEB_URL } from "./render-user.ts";

/** GitHub's `diff-entry` for one changed file at `ref` (the head commit). */
export function renderDiffEntry(state: SimulatorState, repo: RepoState, change: GitFileChange, ref: string) {
  const path = encodePath(change.filename);
  return {
    sha: change.oid,
    filename: change.filename,
    status: change.status,
    additions: change.additions,
    deletions: change.deletions,
    changes: change.additions + change.deletions,
    blob_url: `${WEB_URL}/${repo.fullName}/blob/${ref}/${path}`,
    raw_url: `${WEB_URL}/${repo.fullName}/raw/${ref}/${path}`,
    contents_url: `${state.apiUrl}/repos/${repo.fullName}/contents/${path}?ref=${ref}`,
    ...(change.patch === null ? {} : { patch: change.patch }),
    ...(change.previousFilename === null ? {} : { previous_filename: change.previousFilename }),
  };
}

/** GitHub's `commit` (REST commits API); `files` and `stats` only when asked, as on `GET /commits/{ref}`. */
export function renderCommit(state: SimulatorState, repo: RepoState, commit: GitCommit, files?: GitFileChange[]) {
  const api = state.apiUrl;
  const url = `${api}/repos/${repo.fullName}/commits/${commit.oid}`;
  const author = userByEmail(state, commit.author.email);
  const committer = userByEmail(state, commit.committer.email);
  const details = files === undefined ? {} : {
    stats: {
      additions: files.reduce((sum, f) => sum + f.additions, 0),
      deletions: files.reduce((sum, f) => sum + f.deletions, 0),
      total: files.reduce((sum, f) => sum + f.additions + f.deletions, 0),
    },
    files: files.map((f) => renderDiffEntry(state, repo, f, commit.oid)),
  };
  return {
    url,
    sha: commit.oid,
    node_id: nodeId("C", Number.parseInt(commit.oid.slice(0, 12), 16)),
    html_url: `${WEB_URL}/${repo.fullName}/commit/${commit.oid}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${api}/repos/${repo.fullName}/git/commits/${commit.oid}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/repos/${repo.fullName}/git/trees/${commit.tree}` },
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
    author: author === null ? {} : renderUser(author, api),
    committer: committer === null ? {} : renderUser(committer, api),
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/repos/${repo.fullName}/commits/${sha}`, html_url: `${WEB_URL}/${repo.fullName}/commit/${sha}` })),
    ...details,
  };
}

/** Commits are attributed to a user through the noreply address the simulator writes (`<id>+<login>@users.noreply.github.com`). */
function userByEmail(state: SimulatorState, email: string) {
  const match = /^\d+\+(.+)@users\.noreply\.github\.com$/.exec(email);
  return match?.[1] === undefined ? null : (state.users.get(match[1].toLowerCase()) ?? null);
}

export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
