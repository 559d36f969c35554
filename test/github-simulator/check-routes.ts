import type { RepoContext, Route } from "./route.ts";
import { bodyObject, read, repoRoute, write } from "./route.ts";
import type { ApiResponse } from "./api-response.ts";
import { apiError, invalidRequest, notFound, ok } from "./api-response.ts";
import type { AnnotationState, CheckRunRecord } from "./simulator-state.ts";
import { isoSeconds } from "./simulator-state.ts";
import { isPage, paginate, pageResponse } from "./paginate.ts";
import { renderCheckRun } from "./render-check-run.ts";
import { WEB_URL } from "./render-user.ts";
import { checkRunPayload } from "./webhook-payloads.ts";

/** "The Checks API limits the number of annotations to a maximum of 50 per API request." */
const MAX_ANNOTATIONS_PER_REQUEST = 50;
const MAX_OUTPUT_TEXT = 65535;
const MAX_ANNOTATION_TEXT = 64 * 1024;
const STATUSES = ["queued", "in_progress", "completed"] as const;
const CONCLUSIONS = ["action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"];
const LEVELS = ["notice", "warning", "failure"] as const;

export const checkRoutes: Route[] = [
  repoRoute("POST", "/check-runs", write("checks"), createCheckRun),
  repoRoute("GET", "/check-runs/(?<id>\\d+)", read("checks"), (ctx) => {
    const run = findRun(ctx);
    return run === undefined ? notFound() : ok(renderCheckRun(ctx.state, ctx.repo, run));
  }),
  repoRoute("PATCH", "/check-runs/(?<id>\\d+)", write("checks"), updateCheckRun),
  repoRoute("GET", "/check-runs/(?<id>\\d+)/annotations", read("checks"), (ctx) => {
    const run = findRun(ctx);
    if (run === undefined) return notFound();
    const page = paginate(run.annotations, ctx.url);
    const blob = (path: string) => `${WEB_URL}/${ctx.repo.fullName}/blob/${run.headSha}/${path}`;
    return isPage(page) ? pageResponse(page, page.items.map((a) => ({ ...a, blob_href: blob(a.path) }))) : page;
  }),
  repoRoute("POST", "/check-runs/(?<id>\\d+)/rerequest", write("checks"), (ctx) => {
    const run = findRun(ctx);
    if (run === undefined) return notFound();
    // "This endpoint will trigger the check_run webhook event with the action rerequested" — sent after the answer.
    void ctx.webhooks.send("check_run", checkRunPayload(ctx.state, ctx.repo, run, "rerequested", ctx.state.bot)).catch(() => undefined);
    return ok({}, 201);
  }),
  repoRoute("GET", "/commits/(?<ref>[^/]+)/check-runs", read("checks"), (ctx) => {
    const ref = ctx.params["ref"] ?? "";
    const sha = ctx.repo.git.resolveCommit(ref);
    if (sha === null) return apiError(422, `No commit found for SHA: ${ref}`);
    const q = ctx.url.searchParams;
    const name = q.get("check_name");
    const status = q.get("status");
    const appId = q.get("app_id");
    let runs = ctx.repo.checkRuns.filter((r) => r.headSha === sha && (name === null || r.name === name) && (status === null || r.status === status) && (appId === null || String(r.appId) === appId));
    runs = runs.sort((a, b) => b.id - a.id);
    if ((q.get("filter") ?? "latest") === "latest") {
      const seen = new Set<string>();
      runs = runs.filter((r) => !seen.has(`${r.appId}/${r.name}`) && seen.add(`${r.appId}/${r.name}`) !== undefined);
    }
    const page = paginate(runs, ctx.url);
    return isPage(page) ? pageResponse(page, { total_count: runs.length, check_runs: page.items.map((r) => renderCheckRun(ctx.state, ctx.repo, r)) }) : page;
  }),
];

function findRun(ctx: RepoContext): CheckRunRecord | undefined {
  const id = Number(ctx.params["id"]);
  return ctx.repo.checkRuns.find((r) => r.id === id);
}

function createCheckRun(ctx: RepoContext): ApiResponse {
  const body = bodyObject(ctx) ?? {};
  for (const field of ["name", "head_sha"]) {
    if (body[field] === undefined) return invalidRequest(`"${field}" wasn't supplied.`);
    if (typeof body[field] !== "string") return invalidRequest(`For 'properties/${field}', ${JSON.stringify(body[field])} is not a string.`);
  }
  const headShaInput = String(body["head_sha"]);
  const headSha = /^[0-9a-f]{40}$/.test(headShaInput) ? ctx.repo.git.resolveCommit(headShaInput) : null;
  if (headSha === null) return apiError(422, `No commit found for SHA: ${headShaInput}`);
  const now = isoSeconds(ctx.now);
  const suiteKey = `${ctx.state.app.id}/${headSha}`;
  let suiteId = ctx.repo.checkSuites.get(suiteKey);
  if (suiteId === undefined) {
    suiteId = ctx.state.nextId(10_000_000_000);
    ctx.repo.checkSuites.set(suiteKey, suiteId);
  }
  const run: CheckRunRecord = {
    id: ctx.state.nextId(20_000_000_000),
    checkSuiteId: suiteId,
    appId: ctx.state.app.id,
    name: String(body["name"]),
    headSha,
    status: "queued",
    conclusion: null,
    startedAt: now,
    completedAt: null,
    detailsUrl: null,
    externalId: null,
    output: { title: null, summary: null, text: null },
    annotations: [],
  };
  const error = applyChanges(run, body, true, ctx.now);
  if (error !== null) return error;
  ctx.repo.checkRuns.push(run);
  ctx.webhooks.notify("check_run", () => checkRunPayload(ctx.state, ctx.repo, run, "created", ctx.state.bot));
  if (run.status === "completed") ctx.webhooks.notify("check_run", () => checkRunPayload(ctx.state, ctx.repo, run, "completed", ctx.state.bot));
  return ok(renderCheckRun(ctx.state, ctx.repo, run), 201);
}

function updateCheckRun(ctx: RepoContext): ApiResponse {
  const run = findRun(ctx);
  if (run === undefined) return notFound();
  const body = bodyObject(ctx) ?? {};
  // Validate on a copy so that a rejected update changes nothing.
  const draft: CheckRunRecord = { ...run, output: { ...run.output }, annotations: [...run.annotations] };
  const error = applyChanges(draft, body, false, ctx.now);
  if (error !== null) return error;
  const completing = run.status !== "completed" && draft.status === "completed";
  Object.assign(run, draft);
  if (completing) ctx.webhooks.notify("check_run", () => checkRunPayload(ctx.state, ctx.repo, run, "completed", ctx.state.bot));
  return ok(renderCheckRun(ctx.state, ctx.repo, run));
}

/** Applies a create or update body to `run` following the Checks API rules, or returns GitHub's 422. */
function applyChanges(run: CheckRunRecord, body: Record<string, unknown>, creating: boolean, now: Date): ApiResponse | null {
  for (const field of ["name", "details_url", "external_id", "started_at", "completed_at", "status", "conclusion"]) {
    if (body[field] !== undefined && typeof body[field] !== "string") return invalidRequest(`For 'properties/${field}', ${JSON.stringify(body[field])} is not a string.`);
  }
  const status = body["status"] as string | undefined;
  const conclusion = body["conclusion"] as string | undefined;
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) return invalidRequest(`For 'properties/status', ${JSON.stringify(status)} is not one of ${JSON.stringify(STATUSES)}.`);
  if (conclusion !== undefined && !CONCLUSIONS.includes(conclusion)) return invalidRequest(`For 'properties/conclusion', ${JSON.stringify(conclusion)} is not one of ${JSON.stringify(CONCLUSIONS)}.`);
  // "Required if you provide completed_at or a status of completed."
  const completing = status === "completed" || body["completed_at"] !== undefined;
  if (completing && conclusion === undefined && (creating || run.conclusion === null)) return invalidRequest(`"conclusion" wasn't supplied.`);
  for (const field of ["started_at", "completed_at"]) {
    const value = body[field];
    if (typeof value === "string" && Number.isNaN(Date.parse(value))) return invalidRequest(`For 'properties/${field}', ${JSON.stringify(value)} is not a date-time.`);
  }
  const outputError = applyOutput(run, body["output"], creating);
  if (outputError !== null) return outputError;
  if (typeof body["name"] === "string") run.name = body["name"];
  if (typeof body["details_url"] === "string") run.detailsUrl = body["details_url"];
  if (typeof body["external_id"] === "string") run.externalId = body["external_id"];
  if (typeof body["started_at"] === "string") run.startedAt = isoSeconds(new Date(body["started_at"]));
  if (status !== undefined) run.status = status as CheckRunRecord["status"];
  if (conclusion !== undefined) {
    // "Providing conclusion will automatically set the status parameter to completed."
    run.conclusion = conclusion;
    run.status = "completed";
  }
  if (run.status === "completed") {
    run.completedAt = typeof body["completed_at"] === "string" ? isoSeconds(new Date(body["completed_at"])) : (run.completedAt ?? isoSeconds(now));
  }
  return null;
}

function applyOutput(run: CheckRunRecord, output: unknown, creating: boolean): ApiResponse | null {
  if (output === undefined) return null;
  if (typeof output !== "object" || output === null || Array.isArray(output)) return invalidRequest(`For 'properties/output', ${JSON.stringify(output)} is not an object.`);
  const o = output as Record<string, unknown>;
  for (const field of creating ? ["title", "summary"] : ["summary"]) {
    if (o[field] === undefined) return invalidRequest(`"${field}" wasn't supplied.`);
  }
  for (const field of ["title", "summary", "text"]) {
    const value = o[field];
    if (value === undefined) continue;
    if (typeof value !== "string") return invalidRequest(`For 'properties/${field}', ${JSON.stringify(value)} is not a string.`);
    if (field !== "title" && [...value].length > MAX_OUTPUT_TEXT) return invalidRequest(`Only ${MAX_OUTPUT_TEXT} characters are allowed; ${[...value].length} were supplied.`);
  }
  const annotations = o["annotations"];
  if (annotations !== undefined) {
    if (!Array.isArray(annotations)) return invalidRequest(`For 'properties/annotations', ${JSON.stringify(annotations)} is not an array.`);
    if (annotations.length > MAX_ANNOTATIONS_PER_REQUEST) {
      return invalidRequest(`No more than ${MAX_ANNOTATIONS_PER_REQUEST} items are allowed; ${annotations.length} were supplied.`);
    }
    const parsed: AnnotationState[] = [];
    for (const item of annotations) {
      const annotation = parseAnnotation(item);
      if (typeof annotation === "string") return invalidRequest(annotation);
      parsed.push(annotation);
    }
    // "Each time you update the check run, annotations are appended to the list of annotations that already exist."
    run.annotations.push(...parsed);
  }
  if (typeof o["title"] === "string") run.output.title = o["title"];
  if (typeof o["summary"] === "string") run.output.summary = o["summary"];
  if (typeof o["text"] === "string") run.output.text = o["text"];
  return null;
}

function parseAnnotation(item: unknown): AnnotationState | string {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return `For 'items', ${JSON.stringify(item)} is not an object.`;
  const a = item as Record<string, unknown>;
  for (const field of ["path", "start_line", "end_line", "annotation_level", "message"]) {
    if (a[field] === undefined) return `"${field}" wasn't supplied.`;
  }
  for (const field of ["start_line", "end_line", "start_column", "end_column"]) {
    if (a[field] !== undefined && !Number.isInteger(a[field])) return `For 'properties/${field}', ${JSON.stringify(a[field])} is not an integer.`;
  }
  for (const field of ["path", "message", "title", "raw_details"]) {
    if (a[field] !== undefined && typeof a[field] !== "string") return `For 'properties/${field}', ${JSON.stringify(a[field])} is not a string.`;
  }
  const level = a["annotation_level"];
  if (!(LEVELS as readonly unknown[]).includes(level)) return `For 'properties/annotation_level', ${JSON.stringify(level)} is not one of ${JSON.stringify(LEVELS)}.`;
  const startLine = a["start_line"] as number;
  const endLine = a["end_line"] as number;
  const hasColumns = a["start_column"] !== undefined || a["end_column"] !== undefined;
  // "Annotations only support start_column and end_column on the same line."
  if (hasColumns && startLine !== endLine) return "start_column and end_column may only be used when start_line equals end_line.";
  for (const field of ["message", "raw_details"]) {
    const value = a[field];
    if (typeof value === "string" && Buffer.byteLength(value) > MAX_ANNOTATION_TEXT) return `Only ${MAX_ANNOTATION_TEXT} bytes are allowed in '${field}'.`;
  }
  if (typeof a["title"] === "string" && [...a["title"]].length > 255) return `Only 255 characters are allowed; ${[...a["title"]].length} were supplied.`;
  return {
    path: a["path"] as string,
    start_line: startLine,
    end_line: endLine,
    start_column: (a["start_column"] as number | undefined) ?? null,
    end_column: (a["end_column"] as number | undefined) ?? null,
    annotation_level: level as AnnotationState["annotation_level"],
    title: (a["title"] as string | undefined) ?? null,
    message: a["message"] as string,
    raw_details: (a["raw_details"] as string | undefined) ?? null,
  };
}
