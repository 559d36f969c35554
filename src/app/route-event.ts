import type { components } from "@octokit/openapi-webhooks-types";
import { pullRequestInfo } from "../github/repo-github.ts";
import { isObject } from "../mesh/json.ts";
import type { Job, PullTarget } from "./jobs.ts";
import { CHECK_NAME } from "./publish-review.ts";

type Schemas = components["schemas"];
type PullRequestEvent =
  | Schemas["webhook-pull-request-opened"]
  | Schemas["webhook-pull-request-synchronize"]
  | Schemas["webhook-pull-request-reopened"]
  | Schemas["webhook-pull-request-ready-for-review"]
  | Schemas["webhook-pull-request-edited"];
type CheckRunRerequested = Schemas["webhook-check-run-rerequested"];
type CheckSuiteRerequested = Schemas["webhook-check-suite-rerequested"];
type IssueCommentCreated = Schemas["webhook-issue-comment-created"];

export type WebhookDecision =
  | { readonly action: "enqueue"; readonly target: PullTarget; readonly job: Job }
  /** A re-requested check suite on a head whose pull request GitHub did not name (a fork's). */
  | { readonly action: "find-pull-requests"; readonly installationId: number; readonly owner: string; readonly repo: string; readonly headSha: string; readonly deliveryId: string }
  | { readonly action: "ignore"; readonly reason: string };

const REVIEWED_ACTIONS = new Set(["opened", "synchronize", "reopened", "ready_for_review", "edited"]);
const COMMAND = /^\s*\/meshgate(?:\s+([a-z-]+))?/im;

interface Common {
  readonly installation?: { readonly id: number };
  readonly repository: { readonly name: string; readonly owner: { readonly login: string } };
}

/** The fields every event this App acts on carries; a payload without them is not GitHub's. */
function hasCommon(p: unknown): p is Common {
  return isObject(p) && isObject(p.repository) && typeof p.repository.name === "string" && isObject(p.repository.owner) && typeof p.repository.owner.login === "string";
}

function target(p: Common, number: number): PullTarget | undefined {
  return p.installation ? { installationId: p.installation.id, owner: p.repository.owner.login, repo: p.repository.name, number } : undefined;
}

/**
 * What to do with a verified webhook delivery. Pure: it reads the event name and payload only. The
 * payload is GitHub's (its signature was checked); the shape checks here keep a malformed one from
 * throwing, and anything the App does not act on is ignored with a reason.
 */
export function routeEvent(event: string, deliveryId: string, payload: unknown, appId: number): WebhookDecision {
  if (event === "ping") return { action: "ignore", reason: "ping" };
  if (event === "installation" || event === "installation_repositories") return { action: "ignore", reason: `${event}: nothing to do until a pull request arrives` };
  if (!hasCommon(payload)) return { action: "ignore", reason: `${event} without a repository` };
  const action = isObject(payload) && typeof payload.action === "string" ? payload.action : undefined;
  const ignore = (reason: string): WebhookDecision => ({ action: "ignore", reason });
  const enqueue = (number: number, job: Job): WebhookDecision => {
    const t = target(payload, number);
    return t ? { action: "enqueue", target: t, job } : ignore(`${event} without an installation`);
  };
  switch (event) {
    case "pull_request": {
      if (!action || !REVIEWED_ACTIONS.has(action)) return ignore(`pull_request.${action ?? "?"} needs no review`);
      const p = payload as unknown as PullRequestEvent;
      if (!isObject(p.pull_request)) return ignore("pull_request without a pull request");
      // Only a base change makes an edit worth a review; a title or body edit does not.
      if (action === "edited" && !(p.action === "edited" && p.changes.base)) return ignore("pull_request.edited without a base change");
      return enqueue(p.pull_request.number, { type: "review", deliveryId, reason: action, force: action === "edited", pr: pullRequestInfo(p.pull_request) });
    }
    case "check_run": {
      if (action !== "rerequested") return ignore(`check_run.${action ?? "?"} needs nothing`);
      const run = (payload as unknown as CheckRunRerequested).check_run;
      if (run.name !== CHECK_NAME || run.app?.id !== appId) return ignore("check_run of another app");
      const number = Number(run.external_id) || run.pull_requests[0]?.number;
      return number ? enqueue(number, { type: "review", deliveryId, reason: "check run re-requested", force: true }) : ignore("check_run without a pull request");
    }
    case "check_suite": {
      if (action !== "rerequested") return ignore(`check_suite.${action ?? "?"} needs nothing`);
      const suite = (payload as unknown as CheckSuiteRerequested).check_suite;
      const number = suite.pull_requests[0]?.number;
      if (number) return enqueue(number, { type: "review", deliveryId, reason: "check suite re-requested", force: true });
      const installationId = payload.installation?.id;
      if (!installationId || !suite.head_sha) return ignore("check_suite without an installation or head");
      return { action: "find-pull-requests", installationId, owner: payload.repository.owner.login, repo: payload.repository.name, headSha: suite.head_sha, deliveryId };
    }
    case "issue_comment": {
      if (action !== "created") return ignore(`issue_comment.${action ?? "?"} needs nothing`);
      const p = payload as unknown as IssueCommentCreated;
      if (!p.issue.pull_request) return ignore("comment on an issue, not a pull request");
      if (p.comment.user?.type === "Bot") return ignore("comment by a bot");
      const m = COMMAND.exec(p.comment.body ?? "");
      if (!m) return ignore("comment without a /meshgate command");
      const user = p.comment.user?.login ?? p.sender.login;
      return enqueue(p.issue.number, { type: "command", deliveryId, command: (m[1] ?? "").toLowerCase(), user });
    }
    default:
      return ignore(`${event}${action ? `.${action}` : ""} is not an event meshgate acts on`);
  }
}
