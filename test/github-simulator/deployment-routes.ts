import type { RepoContext, Route } from "./route.ts";
import { bodyObject, read, repoRoute, write } from "./route.ts";
import type { ApiResponse } from "./api-response.ts";
import { apiError, invalidRequest, notFound, ok } from "./api-response.ts";
import type { DeploymentState, DeploymentStatusState, RepoState, SimulatorState } from "./simulator-state.ts";
import { isoSeconds } from "./simulator-state.ts";
import { isPage, paginate, pageResponse } from "./paginate.ts";
import { renderApp } from "./render-app.ts";
import { renderUser, nodeId } from "./render-user.ts";

const STATES = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"] as const;
/** Check-run conclusions GitHub counts as a passing context. */
const PASSING = new Set(["success", "neutral", "skipped"]);

export const deploymentRoutes: Route[] = [
  repoRoute("POST", "/deployments", write("deployments"), createDeployment),
  repoRoute("GET", "/deployments", read("deployments"), (ctx) => {
    const q = ctx.url.searchParams;
    const matches = (d: DeploymentState) =>
      (q.get("sha") === null || d.sha === q.get("sha")) && (q.get("ref") === null || d.ref === q.get("ref")) && (q.get("task") === null || d.task === q.get("task")) && (q.get("environment") === null || d.environment === q.get("environment"));
    const list = ctx.repo.deployments.filter(matches).sort((a, b) => b.id - a.id);
    const page = paginate(list, ctx.url);
    return isPage(page) ? pageResponse(page, page.items.map((d) => renderDeployment(ctx.state, ctx.repo, d))) : page;
  }),
  repoRoute("GET", "/deployments/(?<id>\\d+)", read("deployments"), (ctx) => {
    const deployment = findDeployment(ctx);
    return deployment === undefined ? notFound() : ok(renderDeployment(ctx.state, ctx.repo, deployment));
  }),
  repoRoute("POST", "/deployments/(?<id>\\d+)/statuses", write("deployments"), createStatus),
  repoRoute("GET", "/deployments/(?<id>\\d+)/statuses", read("deployments"), (ctx) => {
    const deployment = findDeployment(ctx);
    if (deployment === undefined) return notFound();
    const page = paginate([...deployment.statuses].reverse(), ctx.url);
    return isPage(page) ? pageResponse(page, page.items.map((s) => renderStatus(ctx.state, ctx.repo, deployment, s))) : page;
  }),
];

function findDeployment(ctx: RepoContext): DeploymentState | undefined {
  const id = Number(ctx.params["id"]);
  return ctx.repo.deployments.find((d) => d.id === id);
}

function createDeployment(ctx: RepoContext): ApiResponse {
  const body = bodyObject(ctx) ?? {};
  const ref = body["ref"];
  if (ref === undefined) return invalidRequest(`"ref" wasn't supplied.`);
  if (typeof ref !== "string") return invalidRequest(`For 'properties/ref', ${JSON.stringify(ref)} is not a string.`);
  const git = ctx.repo.git;
  if (git.resolveCommit(ref) === null) return apiError(422, `No ref found for: ${ref}`);
  // auto_merge (default true): "merge the default branch into the requested ref, if it's behind".
  let merged: string | null = null;
  const defaultHead = git.branchHead(ctx.repo.defaultBranch);
  const refHead = git.branchHead(ref);
  if (body["auto_merge"] !== false && ref !== ctx.repo.defaultBranch && refHead !== null && defaultHead !== null && !git.isAncestor(defaultHead, refHead)) {
    merged = git.mergeInto(ref, defaultHead, `Merge ${ctx.repo.defaultBranch} into ${ref}`, { name: ctx.state.bot.login, email: `${ctx.state.bot.id}+${ctx.state.bot.login}@users.noreply.github.com` }, ctx.now);
    if (merged === null) return apiError(409, `Conflict merging ${ctx.repo.defaultBranch} into ${ref}.`);
  }
  const sha = git.resolveCommit(ref) ?? "";
  const contexts = failingContexts(ctx.repo, sha, body["required_contexts"]);
  if (contexts.length > 0) {
    return apiError(409, `Conflict: Commit status checks failed for ${ref}.`, { errors: [{ contexts, resource: "Deployment", field: "required_contexts", code: "invalid" }] });
  }
  if (merged !== null) {
    // GitHub answers 202 with a message and creates no deployment; the client asks again with the merged ref.
    return ok({ message: `Auto-merged ${ctx.repo.defaultBranch} into ${ref} on deployment.` }, 202);
  }
  const environment = typeof body["environment"] === "string" ? body["environment"] : "production";
  const payload = body["payload"];
  const now = isoSeconds(ctx.now);
  const deployment: DeploymentState = {
    id: ctx.state.nextId(3_000_000_000),
    sha,
    ref,
    task: typeof body["task"] === "string" ? body["task"] : "deploy",
    payload: typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : typeof payload === "string" ? payload : {},
    environment,
    originalEnvironment: environment,
    description: typeof body["description"] === "string" ? body["description"] : null,
    transientEnvironment: body["transient_environment"] === true,
    productionEnvironment: typeof body["production_environment"] === "boolean" ? body["production_environment"] : environment === "production",
    creator: ctx.state.bot,
    viaApp: true,
    createdAt: now,
    updatedAt: now,
    statuses: [],
  };
  ctx.repo.deployments.push(deployment);
  return ok(renderDeployment(ctx.state, ctx.repo, deployment), 201);
}

/**
 * "If you omit this parameter, GitHub verifies all unique contexts before creating a deployment";
 * an empty array skips the check. Contexts here are the commit's check runs (latest per name).
 */
function failingContexts(repo: RepoState, sha: string, required: unknown): { context: string; state: string }[] {
  const latest = new Map<string, string>();
  for (const run of [...repo.checkRuns].sort((a, b) => a.id - b.id)) {
    if (run.headSha === sha) latest.set(run.name, run.status === "completed" ? (PASSING.has(run.conclusion ?? "") ? "success" : "failure") : "pending");
  }
  const names = Array.isArray(required) ? required.filter((n): n is string => typeof n === "string") : [...latest.keys()];
  return names.map((context) => ({ context, state: latest.get(context) ?? "pending" })).filter((c) => c.state !== "success");
}

function createStatus(ctx: RepoContext): ApiResponse {
  const deployment = findDeployment(ctx);
  if (deployment === undefined) return notFound();
  const body = bodyObject(ctx) ?? {};
  const state = body["state"];
  if (state === undefined) return invalidRequest(`"state" wasn't supplied.`);
  if (!(STATES as readonly unknown[]).includes(state)) return invalidRequest(`For 'properties/state', ${JSON.stringify(state)} is not one of ${JSON.stringify(STATES)}.`);
  const description = typeof body["description"] === "string" ? body["description"] : "";
  if ([...description].length > 140) return apiError(422, "Validation Failed", { errors: [{ resource: "DeploymentStatus", code: "custom", field: "description", message: "description is too long (maximum is 140 characters)" }] });
  if (typeof body["environment"] === "string") deployment.environment = body["environment"];
  const logUrl = typeof body["log_url"] === "string" ? body["log_url"] : typeof body["target_url"] === "string" ? body["target_url"] : "";
  const status: DeploymentStatusState = {
    id: ctx.state.nextId(4_000_000_000),
    state: state as DeploymentStatusState["state"],
    description,
    environment: deployment.environment,
    targetUrl: logUrl,
    logUrl,
    environmentUrl: typeof body["environment_url"] === "string" ? body["environment_url"] : "",
    creator: ctx.state.bot,
    createdAt: isoSeconds(ctx.now),
  };
  deployment.statuses.push(status);
  deployment.updatedAt = status.createdAt;
  if (state === "success" && body["auto_inactive"] !== false) markPriorInactive(ctx, deployment);
  return ok(renderStatus(ctx.state, ctx.repo, deployment, status), 201, { location: `${ctx.state.apiUrl}/repos/${ctx.repo.fullName}/deployments/${deployment.id}/statuses/${status.id}` });
}

/** `auto_inactive`: earlier non-transient, non-production deployments of the environment that succeeded become inactive. */
function markPriorInactive(ctx: RepoContext, current: DeploymentState): void {
  for (const other of ctx.repo.deployments) {
    if (other.id >= current.id || other.environment !== current.environment || other.transientEnvironment || other.productionEnvironment) continue;
    if (other.statuses.at(-1)?.state !== "success") continue;
    other.statuses.push({ ...(other.statuses.at(-1) as DeploymentStatusState), id: ctx.state.nextId(4_000_000_000), state: "inactive", createdAt: isoSeconds(ctx.now) });
  }
}

function renderDeployment(state: SimulatorState, repo: RepoState, d: DeploymentState) {
  const url = `${state.apiUrl}/repos/${repo.fullName}/deployments/${d.id}`;
  return {
    url,
    id: d.id,
    node_id: nodeId("DE", d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.originalEnvironment,
    environment: d.environment,
    description: d.description,
    creator: renderUser(d.creator, state.apiUrl),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    statuses_url: `${url}/statuses`,
    repository_url: `${state.apiUrl}/repos/${repo.fullName}`,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
    performed_via_github_app: d.viaApp ? renderApp(state) : null,
  };
}

function renderStatus(state: SimulatorState, repo: RepoState, d: DeploymentState, s: DeploymentStatusState) {
  const deploymentUrl = `${state.apiUrl}/repos/${repo.fullName}/deployments/${d.id}`;
  return {
    url: `${deploymentUrl}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId("DES", s.id),
    state: s.state,
    creator: renderUser(s.creator, state.apiUrl),
    description: s.description,
    environment: s.environment,
    target_url: s.targetUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: deploymentUrl,
    repository_url: `${state.apiUrl}/repos/${repo.fullName}`,
    // Optional in GitHub's description and `uri`-formatted when present: left out when none was given.
    ...(s.environmentUrl === "" ? {} : { environment_url: s.environmentUrl }),
    ...(s.logUrl === "" ? {} : { log_url: s.logUrl }),
    performed_via_github_app: renderApp(state),
  };
}
