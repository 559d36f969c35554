import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSourceFiles } from "../../src/cli/read-source-files.ts";
import { runCliCapture } from "../support/run-cli-capture.ts";
import { type DevServer, startWranglerDev } from "../support/start-wrangler-dev.ts";

/**
 * The vitest workers pool allows code generation from strings; real workerd does not. So this test
 * bundles the Worker exactly as `wrangler deploy` would and serves that bundle, unchanged, in workerd.
 */
const run = promisify(execFile);
let dir: string;
let server: DevServer | undefined;
let bundle: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "meshgate-bundle-"));
  await run(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", dir], {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  bundle = await readFile(join(dir, "index.js"), "utf8");
  server = await startWranglerDev(join(dir, "index.js"), { CHECK_API: "on" });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the built Worker bundle in workerd", () => {
  it("contains no run-time code generation", () => {
    expect(bundle).not.toMatch(/new Function\s*\(|\beval\s*\(/);
  });

  async function exampleFiles() {
    const decoder = new TextDecoder();
    return (await readSourceFiles(["examples/bookinfo"], process.cwd())).map((f) => ({
      path: f.path,
      content: typeof f.content === "string" ? f.content : decoder.decode(f.content),
    }));
  }

  it("checks the example repo and finds what the CLI finds", async () => {
    const files = await exampleFiles();
    const res = await fetch(`${server?.url}/api/check`, { method: "POST", body: JSON.stringify({ files }) });
    expect(res.status).toBe(200);
    const cli = await runCliCapture(["check", "examples/bookinfo", "--format", "json", "--fail-on", "never"]);
    expect(await res.json()).toEqual(JSON.parse(cli.stdout));
  });

  it("reads a .meshgate.yaml and runs its custom CEL rules as the CLI does", async () => {
    const config = `policies:
  route-timeouts: off
custom:
  - id: ratings-needs-retries
    match: { kinds: [VirtualService] }
    rule: "!object.spec.hosts.exists(h, h == 'reviews') || object.spec.http.all(r, has(r.retries))"
    message: reviews routes need retries
`;
    const path = join(dir, "meshgate.yaml");
    await writeFile(path, config);
    const res = await fetch(`${server?.url}/api/check`, { method: "POST", body: JSON.stringify({ files: await exampleFiles(), config }) });
    const report = (await res.json()) as { findings: { code: string; rule: string }[] };
    expect(report.findings.map((f) => f.rule)).toContain("ratings-needs-retries");
    expect(report.findings.map((f) => f.rule)).not.toContain("route-timeouts");
    const cli = await runCliCapture(["check", "examples/bookinfo", "--format", "json", "--fail-on", "never", "--config", path]);
    expect(report).toEqual(JSON.parse(cli.stdout));
  });
});
