import { describe, expect, it } from "vitest";
import { routeEvent } from "../../src/app/route-event.ts";

const APP = 4242;
const repository = { name: "mesh", full_name: "acme/mesh", owner: { login: "acme" } };
const installation = { id: 99 };
const target = { installationId: 99, owner: "acme", repo: "mesh", number: 7 };
const side = (ref: string, sha: string, repo = repository) => ({ ref, sha, repo });
const pr = (extra: object = {}) => ({ number: 7, state: "open", draft: false, html_url: "https://github.com/acme/mesh/pull/7", head: side("canary", "h".repeat(40)), base: side("main", "b".repeat(40)), ...extra });

describe("routeEvent", () => {
  it("reviews the pull request actions that change what is reviewed, carrying the PR from the payload", () => {
    for (const action of ["opened", "synchronize", "reopened", "ready_for_review"]) {
      const d = routeEvent("pull_request", "d1", { action, installation, repository, pull_request: pr() }, APP);
      expect(d).toEqual({ action: "enqueue", target, job: { type: "review", deliveryId: "d1", reason: action, force: false, pr: { number: 7, headSha: "h".repeat(40), baseSha: "b".repeat(40), baseRef: "main", draft: false, state: "open", fromFork: false, htmlUrl: "https://github.com/acme/mesh/pull/7" } } });
    }
  });

  it("marks fork pull requests and drafts", () => {
    const fork = { name: "mesh", full_name: "someone/mesh", owner: { login: "someone" } };
    const d = routeEvent("pull_request", "d", { action: "opened", installation, repository, pull_request: pr({ draft: true, head: side("x", "h".repeat(40), fork) }) }, APP);
    expect(d.action === "enqueue" && d.job.type === "review" && d.job.pr).toMatchObject({ draft: true, fromFork: true });
  });

  it("re-reviews an edit only when the base branch changed", () => {
    expect(routeEvent("pull_request", "d", { action: "edited", changes: { title: { from: "x" } }, installation, repository, pull_request: pr() }, APP)).toEqual({ action: "ignore", reason: "pull_request.edited without a base change" });
    const d = routeEvent("pull_request", "d", { action: "edited", changes: { base: { ref: { from: "dev" }, sha: { from: "c".repeat(40) } } }, installation, repository, pull_request: pr() }, APP);
    expect(d.action === "enqueue" && d.job.type === "review" && d.job.force).toBe(true);
  });

  it("re-reviews its own check run when re-requested, not another app's", () => {
    const run = (appId: number, name = "meshgate") => ({ action: "rerequested", installation, repository, check_run: { name, external_id: "7", head_sha: "h".repeat(40), app: { id: appId }, pull_requests: [] } });
    expect(routeEvent("check_run", "d", run(APP), APP)).toEqual({ action: "enqueue", target, job: { type: "review", deliveryId: "d", reason: "check run re-requested", force: true } });
    expect(routeEvent("check_run", "d", run(1), APP)).toEqual({ action: "ignore", reason: "check_run of another app" });
    expect(routeEvent("check_run", "d", run(APP, "lint"), APP).action).toBe("ignore");
  });

  it("looks up the pull requests of a re-requested check suite that names none (a fork's)", () => {
    const suite = (prs: object[]) => ({ action: "rerequested", installation, repository, check_suite: { head_sha: "h".repeat(40), pull_requests: prs } });
    expect(routeEvent("check_suite", "d", suite([{ number: 7 }]), APP)).toMatchObject({ action: "enqueue", target });
    expect(routeEvent("check_suite", "d", suite([]), APP)).toEqual({ action: "find-pull-requests", installationId: 99, owner: "acme", repo: "mesh", headSha: "h".repeat(40), deliveryId: "d" });
  });

  it("turns /meshgate comments on pull requests into commands; ignores bots, issues and chatter", () => {
    const comment = (body: string, type = "User", isPr = true) => ({ action: "created", installation, repository, sender: { login: "dev" }, issue: { number: 7, ...(isPr ? { pull_request: { url: "u" } } : {}) }, comment: { body, user: { login: "dev", type } } });
    expect(routeEvent("issue_comment", "d", comment("looks good\n/meshgate recheck"), APP)).toEqual({ action: "enqueue", target, job: { type: "command", deliveryId: "d", command: "recheck", user: "dev" } });
    expect(routeEvent("issue_comment", "d", comment("/meshgate PAUSE"), APP)).toMatchObject({ job: { command: "pause" } });
    expect(routeEvent("issue_comment", "d", comment("/meshgate recheck", "Bot"), APP)).toEqual({ action: "ignore", reason: "comment by a bot" });
    expect(routeEvent("issue_comment", "d", comment("/meshgate recheck", "User", false), APP).action).toBe("ignore");
    expect(routeEvent("issue_comment", "d", comment("run `/meshgate recheck` later"), APP).action).toBe("ignore");
  });

  it("logs installation events and pings, and needs an installation to act", () => {
    expect(routeEvent("installation", "d", { action: "created", installation }, APP)).toEqual({ action: "ignore", reason: "installation: nothing to do until a pull request arrives" });
    expect(routeEvent("ping", "d", { zen: "x" }, APP)).toEqual({ action: "ignore", reason: "ping" });
    expect(routeEvent("pull_request", "d", { action: "opened", repository, pull_request: pr() }, APP)).toEqual({ action: "ignore", reason: "pull_request without an installation" });
  });
});
