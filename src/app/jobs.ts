import type { PullRequestInfo } from "../github/repo-github.ts";

/** The pull request a job is about, and the installation that may act on it. */
export interface PullTarget {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
}

/** Review a head. `force`: even if that head was reviewed already (re-requested, base changed). */
export interface ReviewJob {
  readonly type: "review";
  readonly deliveryId: string;
  readonly reason: string;
  readonly force: boolean;
  /** From a `pull_request` payload; otherwise read from GitHub when the job runs. */
  readonly pr?: PullRequestInfo;
}

/** A `/meshgate <command>` comment, answered once the author's permission is known. */
export interface CommandJob {
  readonly type: "command";
  readonly deliveryId: string;
  readonly command: string;
  readonly user: string;
}

export type Job = ReviewJob | CommandJob;

/** One Durable Object per pull request: reviews of a PR never run concurrently. */
export function pullRequestKey(t: PullTarget): string {
  return `${t.owner}/${t.repo}#${t.number}`.toLowerCase();
}
