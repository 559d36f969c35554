import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../../src/cli/parse-args.ts";
import { renderText } from "../../src/render/render-text.ts";
import type { Finding } from "../../src/review/finding.ts";
import { runCliCapture } from "../support/run-cli-capture.ts";

async function repo(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "meshgate-cli-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const BROKEN = "apiVersion: v1\nkind: Service\nmetadata:\n  name: [x\n";
const UNKNOWN_KIND = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n";

describe("parseArgs", () => {
  it("reads the contract's options", () => {
    expect(parseArgs(["check", "a", "b/", "--format=json", "--fail-on", "warning", "--mesh-config", "m.yaml", "-o", "out.json"])).toEqual({
      command: "check",
      paths: ["a", "b/"],
      format: "json",
      failOn: "warning",
      meshConfig: "m.yaml",
      output: "out.json",
      namespace: "default",
      policies: true,
      limits: {},
    });
    expect(parseArgs(["check", "--max-file-bytes", "10", "--max-documents=3", "--max-aliases", "7"])).toMatchObject({
      limits: { maxFileBytes: 10, maxDocumentsPerFile: 3, maxAliasCount: 7 },
    });
    expect(parseArgs(["check"])).toMatchObject({ paths: ["."], format: "text", failOn: "error" });
  });

  it.each([
    [["lint"], /unknown command/],
    [["check", "--format", "yaml"], /--format must be one of/],
    [["check", "--fail-on"], /needs a value/],
    [["check", "--frobnicate"], /unknown option/],
    [["check", "--format", "markdown"], /give --base/],
    [["check", "--max-documents", "0"], /positive whole number/],
  ])("refuses %j with a usage error", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe("meshgate check", () => {
  it("takes input limits from .meshgate.yaml, and a flag overrides them", async () => {
    const dir = await repo({ ".meshgate.yaml": "limits:\n  maxFileBytes: 16\n", "w.yaml": UNKNOWN_KIND });
    const limited = await runCliCapture(["check", ".", "--format", "json"], dir);
    const codes = (JSON.parse(limited.stdout) as { findings: { code: string }[] }).findings.map((f) => f.code);
    expect(codes).toContain("MG1009");
    const raised = await runCliCapture(["check", ".", "--format", "json", "--max-file-bytes", "100000"], dir);
    expect((JSON.parse(raised.stdout) as { findings: { code: string }[] }).findings.map((f) => f.code)).not.toContain("MG1009");
  });

  it("exits 1 on an error finding and prints it under its file with its line", async () => {
    const dir = await repo({ "svc.yaml": BROKEN });
    const run = await runCliCapture(["check", "."], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^svc\.yaml\n {2}5:1 +error +YAML syntax error/m);
    expect(run.stdout).toMatch(/1 error in 0 resources in 1 file/);
  });

  it("honours --fail-on", async () => {
    const dir = await repo({ "w.yaml": UNKNOWN_KIND });
    expect((await runCliCapture(["check", "w.yaml"], dir)).code).toBe(0);
    expect((await runCliCapture(["check", "w.yaml", "--fail-on", "info"], dir)).code).toBe(1);
    const broken = await repo({ "b.yaml": BROKEN });
    expect((await runCliCapture(["check", ".", "--fail-on", "never"], broken)).code).toBe(0);
  });

  it("prints the JSON contract", async () => {
    const dir = await repo({ "svc.yaml": BROKEN, "w.yml": UNKNOWN_KIND, "notes.txt": "not yaml" });
    const run = await runCliCapture(["check", ".", "--format", "json"], dir);
    const report = JSON.parse(run.stdout) as { findings: Finding[]; summary: Record<string, number> };
    expect(report.findings.map((f) => [f.file, f.line, f.code, f.severity])).toEqual([
      ["svc.yaml", 5, "MG1001", "error"],
      ["w.yml", 1, "MG1007", "info"],
    ]);
    expect(Object.keys(report.findings[0] ?? {})).toEqual(["code", "rule", "severity", "message", "resource", "file", "line", "column"]);
    expect(report.summary).toEqual({ errors: 1, warnings: 0, infos: 1, files: 2, resources: 0 });
  });

  it("writes --output to a file", async () => {
    const dir = await repo({ "w.yaml": UNKNOWN_KIND });
    const out = join(dir, "report.json");
    const run = await runCliCapture(["check", "w.yaml", "--format", "json", "--output", out], dir);
    expect(run.stdout).toBe("");
    expect(JSON.parse(await readFile(out, "utf8")).summary.infos).toBe(1);
  });

  it("exits 2 on a missing path or an unreadable mesh config", async () => {
    const dir = await repo({ "w.yaml": UNKNOWN_KIND, "mesh.yaml": "- not\n- a map\n" });
    const missing = await runCliCapture(["check", "nope"], dir);
    expect([missing.code, missing.stderr]).toEqual([2, "meshgate: nope: no such file or folder\n"]);
    const mesh = await runCliCapture(["check", "w.yaml", "--mesh-config", "mesh.yaml"], dir);
    expect(mesh.code).toBe(2);
    expect(mesh.stderr).toMatch(/not a MeshConfig/);
  });

  it("applies limits given on the command line", async () => {
    const dir = await repo({ "w.yaml": UNKNOWN_KIND });
    const run = await runCliCapture(["check", ".", "--max-file-bytes", "10"], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/over the 10-byte limit/);
  });

  it("says when there is nothing wrong", async () => {
    const dir = await repo({ "ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n" });
    const run = await runCliCapture(["check", "."], dir);
    expect([run.code, run.stdout]).toEqual([0, "✓ 1 resource in 1 file: no problems found\n"]);
  });
});

describe("renderText", () => {
  const finding: Finding = { code: "IST0101", rule: "r", severity: "error", message: "m", resource: { kind: "VirtualService", namespace: "ns", name: "vs" }, file: "a.yaml", line: 3, column: 5 };
  const summary = { errors: 1, warnings: 0, infos: 0, files: 1, resources: 1 };
  it("colours severities only when asked", () => {
    expect(renderText([finding], summary, { color: false })).not.toMatch(/\u001b\[/);
    expect(renderText([finding], summary, { color: true })).toMatch(/\u001b\[31merror/);
  });
  it("names the resource a finding is about", () => {
    expect(renderText([finding], summary, { color: false })).toContain("VirtualService ns/vs");
  });
});

describe("meshgate check --base", () => {
  const vs = (v1: number, v2: number) =>
    `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: ${v1}\n    - destination: {host: reviews, subset: v2}\n      weight: ${v2}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]\n`;

  it("reviews the working tree against a git ref and renders the PR comment", async () => {
    const dir = await repo({});
    await mkdir(join(dir, "mesh"));
    await writeFile(join(dir, "mesh", "reviews.yaml"), vs(100, 0));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "base");
    await writeFile(join(dir, "mesh", "reviews.yaml"), vs(60, 40));
    const run = await runCliCapture(["check", "mesh", "--base", "HEAD", "--format", "markdown"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("| <code>reviews/v1</code> 100% | <code>reviews/v1</code> 60%, <code>reviews/v2</code> 40% |");
    expect(run.stdout).toContain("1. Step 2: <code>reviews</code> 60/40; bake 5 min");
    const json = JSON.parse((await runCliCapture(["check", "mesh", "--base", "HEAD", "--format", "json"], dir)).stdout) as { rollout: { steps: { weights: number[][] }[] } };
    expect(json.rollout.steps.map((s) => s.weights)).toEqual([[[80, 20]], [[60, 40]]]);
  });

  it("reviews against a folder, and says so when a ref does not exist", async () => {
    const base = await repo({ "r.yaml": vs(90, 10) });
    const head = await repo({ "r.yaml": vs(90, 10).replace("subset: v2}", "subset: v3}") });
    const run = await runCliCapture(["check", head, "--base", base, "--format", "json"], "/");
    expect(run.code).toBe(1); // a class of requests would now go to a missing subset
    const bad = await runCliCapture(["check", ".", "--base", "no-such-ref"], head);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^meshgate: --base: /);
  });
});

describe("meshgate check with policies", () => {
  const vs = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop}\nspec:\n  hosts: [r]\n  http:\n  - route: [{destination: {host: r}}]\n";

  it("runs the built-in policies, tuned by --config", async () => {
    const dir = await repo({ "vs.yaml": vs, "strict.yaml": "policies:\n  route-timeouts: {severity: error}\n", "off.yaml": "policies:\n  route-timeouts: off\n" });
    const plain = await runCliCapture(["check", "vs.yaml", "--format", "json"], dir);
    expect(JSON.parse(plain.stdout).findings.map((f: Finding) => [f.code, f.rule, f.severity, f.line])).toEqual([["MG5005", "route-timeouts", "warning", 6]]);
    expect(plain.code).toBe(0);
    const strict = await runCliCapture(["check", "vs.yaml", "--config", "strict.yaml"], dir);
    expect(strict.code).toBe(1);
    const off = await runCliCapture(["check", "vs.yaml", "--config", "off.yaml", "--format", "json"], dir);
    expect(JSON.parse(off.stdout).findings).toEqual([]);
    expect(JSON.parse((await runCliCapture(["check", "vs.yaml", "--no-policies", "--format", "json"], dir)).stdout).findings).toEqual([]);
  });

  it("reports a broken .meshgate.yaml on its line and still reviews with the defaults", async () => {
    const dir = await repo({ "vs.yaml": vs, ".meshgate.yaml": "rollout:\n  mdoe: git\n" });
    const run = JSON.parse((await runCliCapture(["check", "vs.yaml", "--format", "json"], dir)).stdout) as { findings: Finding[] };
    expect(run.findings.map((f) => [f.code, f.file, f.line])).toEqual([
      ["MG5100", ".meshgate.yaml", 2],
      ["MG5005", "vs.yaml", 6],
    ]);
    expect(run.findings[0]?.message).toContain("did you mean `mode`?");
  });
});

describe("meshgate check --base: the base's rules judge the change", () => {
  const pa = (mode: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: istio-system}\nspec:\n  mtls: {mode: ${mode}}\n`;
  const OFF = "policies:\n  require-mtls: off\n";
  const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };
  const commit = (dir: string) => {
    execFileSync("git", ["init", "-q"], { cwd: dir, env });
    execFileSync("git", ["add", "-A"], { cwd: dir, env });
    execFileSync("git", ["commit", "-qm", "base"], { cwd: dir, env });
  };
  const review = async (argv: string[], cwd: string) => {
    const run = await runCliCapture([...argv, "--format", "json"], cwd);
    expect(run.stderr).toBe("");
    return { code: run.code, findings: (JSON.parse(run.stdout) as { findings: Finding[] }).findings };
  };

  it("a head that deletes .meshgate.yaml is flagged, never read as a manifest, and judged by the base's file (git ref)", async () => {
    const dir = await repo({ "pa.yaml": pa("PERMISSIVE"), ".meshgate.yaml": OFF });
    commit(dir);
    await rm(join(dir, ".meshgate.yaml"));
    const { code, findings } = await review(["check", ".", "--base", "HEAD"], dir);
    expect(findings.map((f) => [f.code, f.file])).toEqual([["MG5101", ".meshgate.yaml"]]);
    expect(findings[0]?.message).toContain("This change deletes .meshgate.yaml");
    expect(code).toBe(0); // the base turns require-mtls off, and MG5101 is a warning
  });

  it("a head that edits .meshgate.yaml, run from a subfolder, is judged by the base's file at the repository root", async () => {
    const dir = await repo({ ".meshgate.yaml": "policies: {}\n" });
    await mkdir(join(dir, "mesh"));
    await writeFile(join(dir, "mesh", "pa.yaml"), pa("STRICT"));
    commit(dir);
    await writeFile(join(dir, ".meshgate.yaml"), OFF);
    await writeFile(join(dir, "mesh", "pa.yaml"), pa("PERMISSIVE"));
    const { code, findings } = await review(["check", ".", "--base", "HEAD"], join(dir, "mesh"));
    expect(findings.map((f) => [f.code, f.file, f.line])).toEqual([
      ["MG5101", "../.meshgate.yaml", 1],
      ["MG5001", "pa.yaml", 5],
    ]);
    expect(code).toBe(1);
  });

  it("with a folder --base, the base folder's .meshgate.yaml judges and the head's is a flagged change", async () => {
    const base = await repo({ "pa.yaml": pa("STRICT") });
    const head = await repo({ "pa.yaml": pa("PERMISSIVE"), ".meshgate.yaml": OFF });
    const { code, findings } = await review(["check", ".", "--base", base], head);
    expect(findings.map((f) => [f.code, f.file])).toEqual([
      ["MG5101", ".meshgate.yaml"],
      ["MG5001", "pa.yaml"],
    ]);
    expect(findings[0]?.message).toContain("This change adds .meshgate.yaml");
    expect(code).toBe(1);
    // Named from elsewhere, the head folder is still the head's root.
    const away = await review(["check", head, "--base", base], "/");
    expect(away.findings.map((f) => f.code)).toEqual(["MG5101", "MG5001"]);
  });

  it("reads only the files the base's `paths` select, from the repository root, on both sides", async () => {
    const dir = await repo({ ".meshgate.yaml": 'paths: ["mesh/**/*.yaml"]\n' });
    await mkdir(join(dir, "mesh"));
    await mkdir(join(dir, "apps"));
    await writeFile(join(dir, "mesh", "pa.yaml"), pa("STRICT"));
    await writeFile(join(dir, "apps", "values.yaml"), "replicas: 3\n");
    commit(dir);
    await writeFile(join(dir, "apps", "values.yaml"), "replicas: [4\n");
    await writeFile(join(dir, "mesh", "pa.yaml"), pa("PERMISSIVE"));
    const { findings } = await review(["check", ".", "--base", "HEAD"], dir);
    expect(findings.map((f) => [f.code, f.file])).toEqual([["MG5001", "mesh/pa.yaml"]]);
    const plain = await review(["check", "."], dir);
    expect(plain.findings.map((f) => [f.code, f.file])).toEqual([["MG5001", "mesh/pa.yaml"]]);
    // `paths` are written from the repository root, wherever the command runs.
    const inside = await review(["check", ".", "--base", "HEAD"], join(dir, "mesh"));
    expect(inside.findings.map((f) => [f.code, f.file])).toEqual([["MG5001", "pa.yaml"]]);
  });
});
