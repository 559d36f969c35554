import { DurableObject } from "cloudflare:workers";
import type { PullRequestInfo, RepoGitHub } from "../github/repo-github.ts";
import type { AppBindings } from "./app-bindings.ts";
import { gitHubApp } from "./github-app.ts";
import type { CommandJob, Job, PullTarget, ReviewJob } from "./jobs.ts";
import { loadChange } from "./load-change.ts";
import { errorMessage, log } from "./log.ts";
import { publishReview, type ReviewMemory } from "./publish-review.ts";
import { reviewPullRequest } from "./review-pull-request.ts";

/**
 * Why a Durable Object, not a Queue or a Workflow: reviews of one pull request must be serialized
 * (one sticky comment, edited in place, even when pushes race) and deduplicated by delivery ID and
 * head SHA, and a newer head must supersede one still in flight. One object per pull request gives
 * exactly that: single-threaded, with its own transactional storage for the job list and what was
 * posted, and alarms for durable, retried execution after the webhook has been answered.
 */
export class PullRequestReviewer extends DurableObject<AppBindings> {
  /** Records a job and schedules the work; answers at once (the webhook is waiting on it). */
  async enqueue(target: PullTarget, job: Job): Promise<"queued" | "duplicate"> {
    const storage = this.ctx.storage;
    if (await storage.get(`delivery:${job.deliveryId}`)) return "duplicate";
    const jobs = (await storage.get<Job[]>("jobs")) ?? [];
    const waiting = jobs.find((j): j is ReviewJob => j.type === "review");
    // Reviews collapse into one: the newest head wins, and a forced review stays forced.
    const next = job.type === "review" ? [...jobs.filter((j) => j.type !== "review"), { ...job, force: job.force || (waiting?.force ?? false), ...(job.pr ? {} : waiting?.pr ? { pr: waiting.pr } : {}) }] : [...jobs, job];
    await storage.put({ [`delivery:${job.deliveryId}`]: Date.now(), target, jobs: next });
    await storage.setAlarm(Date.now());
    return "queued";
  }

  override async alarm(): Promise<void> {
    const storage = this.ctx.storage;
    const target = await storage.get<PullTarget>("target");
    for (;;) {
      const jobs = (await storage.get<Job[]>("jobs")) ?? [];
      const job = jobs[0];
      if (!job || !target) return;
      const started = Date.now();
      let calls = 0;
      try {
        const app = gitHubApp(this.env);
        const gh = await app.repository(target.installationId, target.owner, target.repo, () => calls++);
        const outcome = job.type === "review" ? await this.review(gh, target, job, app.appId) : await this.command(gh, target, job);
        log("job.done", { pr: `${target.owner}/${target.repo}#${target.number}`, job: job.type, delivery: job.deliveryId, outcome, calls, ms: Date.now() - started });
      } catch (error) {
        const attempts = ((await storage.get<number>("attempts")) ?? 0) + 1;
        const delay = Math.min(2 ** attempts * 5_000, 15 * 60_000);
        log("job.failed", { pr: `${target.owner}/${target.repo}#${target.number}`, job: job.type, delivery: job.deliveryId, attempts, retryInMs: delay, calls, error: errorMessage(error) });
        if (attempts < 8) {
          await storage.put("attempts", attempts);
          await storage.setAlarm(Date.now() + delay);
          return;
        }
        log("job.abandoned", { pr: `${target.owner}/${target.repo}#${target.number}`, job: job.type, delivery: job.deliveryId });
      }
      await storage.delete("attempts");
      // The job list may have changed while this one ran: remove exactly the job that ran.
      const now = (await storage.get<Job[]>("jobs")) ?? [];
      await storage.put("jobs", now.filter((j) => j.deliveryId !== job.deliveryId));
    }
  }

  private async review(gh: RepoGitHub, target: PullTarget, job: ReviewJob, appId: number): Promise<string> {
    const storage = this.ctx.storage;
    const pr: PullRequestInfo = job.pr ?? (await gh.pullRequest(target.number));
    if (pr.state === "closed") return "closed";
    const memory = (await storage.get<ReviewMemory>("memory")) ?? { checkRuns: {} };
    if (!job.force && memory.checkRuns[pr.headSha]) return `head ${pr.headSha.slice(0, 7)} already reviewed`;
    const change = await loadChange(gh, pr, this.indexStore(target));
    const review = reviewPullRequest(change, pr, new Date().toISOString().slice(0, 10));
    if (this.superseded(pr, (await storage.get<Job[]>("jobs")) ?? [], job)) return `superseded before posting ${pr.headSha.slice(0, 7)}`;
    const next = await publishReview(gh, pr, review, memory, appId);
    await storage.put("memory", next);
    return `reviewed ${pr.headSha.slice(0, 7)}: ${review.check.conclusion}`;
  }

  /** A newer head arrived while this one was being reviewed: posting the older one would only flicker. */
  private superseded(pr: PullRequestInfo, jobs: readonly Job[], running: ReviewJob): boolean {
    return jobs.some((j) => j.type === "review" && j.deliveryId !== running.deliveryId && j.pr !== undefined && j.pr.headSha !== pr.headSha);
  }

  private async command(gh: RepoGitHub, target: PullTarget, job: CommandJob): Promise<string> {
    const permission = await gh.permission(job.user);
    const mayWrite = ["admin", "maintain", "write"].includes(permission);
    if (!mayWrite) {
      await gh.createComment(target.number, `@${job.user} meshgate commands need write access to this repository, which you do not have here; someone with write access can run them.`);
      return "refused";
    }
    if (job.command === "recheck") {
      await this.enqueue(target, { type: "review", deliveryId: `${job.deliveryId}:recheck`, reason: "recheck", force: true });
      return "recheck queued";
    }
    const rollout = ["pause", "resume", "promote", "abort", "retry"];
    const text = rollout.includes(job.command)
      ? `\`/meshgate ${job.command}\` steers a progressive rollout, which is not available yet: this installation reviews pull requests only.`
      : `Unknown command \`/meshgate ${job.command.replace(/`/g, "")}\`. Available: \`/meshgate recheck\` (review this pull request again). Rollout commands (\`pause\`, \`resume\`, \`promote\`, \`abort\`, \`retry\`) are not available yet.`;
    await gh.createComment(target.number, text);
    return `answered ${job.command || "(none)"}`;
  }

  private indexStore(target: PullTarget) {
    const stub = this.env.MESH_INDEX.get(this.env.MESH_INDEX.idFromName(`${target.owner}/${target.repo}`.toLowerCase()));
    return { load: () => stub.load(), save: (index: Parameters<typeof stub.save>[0]) => stub.save(index) };
  }
}
