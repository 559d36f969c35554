import { Hono } from "hono";
import { isObject } from "../mesh/json.ts";
import { readMeshConfig } from "../mesh/mesh-config.ts";
import type { SourceFile } from "../mesh/parse-documents.ts";
import { renderJson } from "../render/render-json.ts";
import { checkConfig } from "../review/check-config.ts";
import { summarizeFindings } from "../review/summarize-findings.ts";
import { policyOptions } from "../policy/policy-options.ts";

/** Largest request body the check API reads: the engine's own per-file limits apply inside it. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface CheckApiBindings {
  /** "on" enables POST /api/check; off by default, so a deployed App exposes no free compute. */
  readonly CHECK_API?: string;
}

/**
 * `POST /api/check` with `{ files: [{ path, content }], meshConfig?, namespace?, config? }` (config: the
 * text of a `.meshgate.yaml`) returns the same JSON report as `meshgate check --format json`: the
 * engine running at the edge, built-in policies included.
 */
export const checkApi = new Hono<{ Bindings: CheckApiBindings }>().post("/api/check", async (c) => {
  if (c.env.CHECK_API !== "on") return c.json({ error: "the check API is disabled (set CHECK_API=on to enable it)" }, 404);
  const length = Number(c.req.header("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) return c.json({ error: `request body over ${MAX_BODY_BYTES} bytes` }, 413);
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.json({ error: "request body must be JSON" }, 400);
  }
  const files = readFiles(body);
  if (!files) return c.json({ error: "expected { files: [{ path: string, content: string }] }" }, 400);
  const meshConfig = isObject(body) && isObject(body.meshConfig) ? readMeshConfig(body.meshConfig) : undefined;
  const namespace = isObject(body) && typeof body.namespace === "string" ? body.namespace : "default";
  const configText = isObject(body) && typeof body.config === "string" ? body.config : undefined;
  const read = policyOptions({ file: ".meshgate.yaml", text: configText, today: new Date().toISOString().slice(0, 10) });
  const policy = read.policy;
  const result = checkConfig(files, { defaultNamespace: namespace, policy, limits: policy.config.limits, ...(meshConfig ? { meshConfig } : {}) });
  const findings = [...read.findings, ...result.findings];
  const resources = result.set.resources.filter((r) => !r.synthetic).length;
  const summary = summarizeFindings(findings, files.length, resources);
  return c.body(renderJson({ findings, summary }), 200, { "content-type": "application/json" });
});

function readFiles(body: unknown): SourceFile[] | undefined {
  if (!isObject(body) || !Array.isArray(body.files)) return undefined;
  const files: SourceFile[] = [];
  for (const f of body.files) {
    if (!isObject(f) || typeof f.path !== "string" || typeof f.content !== "string") return undefined;
    files.push({ path: f.path, content: f.content });
  }
  return files;
}
