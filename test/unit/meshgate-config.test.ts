import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinPolicies } from "../../src/policy/builtin-policies.ts";
import { evaluatePolicies } from "../../src/policy/evaluate-policies.ts";
import { isMeshPath } from "../../src/policy/is-mesh-path.ts";
import { matchGlob } from "../../src/policy/match-glob.ts";
import { meshgateConfigSchema } from "../../src/policy/meshgate-config-schema.ts";
import { policyOptions } from "../../src/policy/policy-options.ts";
import { readMeshgateConfig } from "../../src/policy/read-meshgate-config.ts";
import { readPolicy } from "../../src/policy/read-policy.ts";
import { buildConfigSet } from "../../src/mesh/config-set.ts";
import { DEFAULT_MESH_CONFIG } from "../../src/mesh/mesh-config.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";

// The example from PRODUCT.md, verbatim.
const EXAMPLE = `paths: ["mesh/**/*.yaml"]          # which files are mesh config (default: all YAML)
policies:                          # tune built-ins: severity, parameters, off
  max-canary-step: { maxStep: 20 }
  require-mtls: { severity: error, exempt: [{ namespace: legacy, reason: "...", until: 2027-03-01 }] }
custom:                            # repo-specific rules in CEL over object / oldObject
  - id: reviews-needs-timeout
    match: { kinds: [VirtualService] }
    rule: "object.spec.http.all(r, has(r.timeout))"
    message: "every route needs a timeout"
rollout:
  mode: git                        # git | kubernetes | off
  deployBranch: meshgate/live      # what the GitOps agent syncs in git mode
  interval: 5m                     # bake time per step
  analysis:
    prometheus: { url: https://prometheus.example.com }
    successRate: { min: 99 }       # percent, canary subset
    latencyP99: { maxMs: 500 }
    failureLimit: 1
    noData: hold                   # hold | fail | pass
`;

describe("readMeshgateConfig", () => {
  it("reads input limits, leaving the ones not given to the defaults", () => {
    expect(readMeshgateConfig(".meshgate.yaml", "limits:\n  maxFileBytes: 1024\n  maxAliasCount: 0\n").config.limits).toEqual({ maxFileBytes: 1024, maxAliasCount: 0 });
    expect(readMeshgateConfig(".meshgate.yaml", "paths: ['**/*.yaml']\n").config.limits).toEqual({});
  });

  it("reads PRODUCT.md's example without complaint", () => {
    const { config, findings } = readMeshgateConfig(".meshgate.yaml", EXAMPLE);
    expect(findings).toEqual([]);
    expect(config.paths).toEqual(["mesh/**/*.yaml"]);
    expect(config.policies.get("max-canary-step")).toEqual({ params: { maxStep: 20 } });
    expect(config.policies.get("require-mtls")).toEqual({ severity: "error", exemptions: [{ namespace: "legacy", reason: "...", until: "2027-03-01", file: ".meshgate.yaml", line: 4 }] });
    expect(config.custom.map((c) => [c.id, c.kinds, c.code])).toEqual([["reviews-needs-timeout", ["VirtualService"], "MG5900"]]);
    expect(config.rollout).toMatchObject({ mode: "git", deployBranch: "meshgate/live", intervalSeconds: 300 });
  });

  it.each([
    ["rollout:\n  mode: git\n  intervall: 5m\n", 3, "rollout.intervall: unknown field `intervall`; did you mean `interval`?"],
    ["rollout:\n  mode: canary\n", 2, "rollout.mode: must be one of \"git\", \"kubernetes\", \"off\""],
    ["policies:\n  require-mtls:\n    exempt:\n    - {namespace: legacy, until: 2027-03-01}\n", 4, "policies.require-mtls.exempt[0]: needs `reason`"],
    ["custom:\n- id: x\n  match: {kinds: [VirtualService]}\n  rule: \"object.spec.(\"\n  message: m\n", 4, "custom rule x:"],
    ["paths: [a\n", 2, "is not valid YAML"],
    ["limits:\n  maxFileBytes: -5\n", 2, "limits.maxFileBytes"],
  ])("reports %j on line %i", (text, line, message) => {
    const { findings, config } = readMeshgateConfig(".meshgate.yaml", text);
    expect(findings.map((f) => [f.code, f.line])).toContainEqual(["MG5100", line]);
    expect(findings.map((f) => f.message).join("\n")).toContain(message);
    if (!message.startsWith("custom")) expect(config.rollout.mode).toBe("git"); // falls back to defaults
  });
});

describe("readMeshgateConfig: policies and their parameters", () => {
  const read = (text: string) => readMeshgateConfig(".meshgate.yaml", text);
  const messages = (text: string) => read(text).findings.map((f) => [f.code, f.line, f.message]);

  it.each([
    ["policies:\n  max-canary-stp: { maxStep: 5 }\n", 2, "policies.max-canary-stp: unknown field `max-canary-stp`; did you mean `max-canary-step`?"],
    ["policies:\n  max-canary-step: { maxStepp: 5 }\n", 2, "policies.max-canary-step.maxStepp: unknown field `maxStepp`; did you mean `maxStep`?"],
    ["policies:\n  max-canary-step:\n    maxStep: ten\n", 3, "policies.max-canary-step.maxStep: must be a number"],
    ["policies:\n  max-canary-step:\n    maxStep: 150\n", 3, "policies.max-canary-step.maxStep: must be at most 100"],
    ["policies:\n  route-timeouts: { maxStep: 5 }\n", 2, "policies.route-timeouts.maxStep: unknown field `maxStep`"],
    ["policies:\n  require-mtls:\n    exempt:\n    - {namespace: legacy, reason: x, until: 2027-02-31}\n", 4, "policies.require-mtls.exempt[0].until: must be a date, YYYY-MM-DD"],
  ])("reports %j on line %i", (text, line, message) => {
    expect(messages(text)).toEqual([["MG5100", line, message]]);
  });

  it("does not use a faulty value, and keeps the rest of the file", () => {
    const { config } = read("policies:\n  max-canary-step: { maxStep: ten }\n  require-mtls: off\n  max-canary-stp: { maxStep: 5 }\nrollout:\n  interval: 10m\n");
    expect(config.policies.get("max-canary-step")).toEqual({});
    expect(config.policies.get("require-mtls")).toEqual({ off: true });
    expect(config.policies.has("max-canary-stp")).toBe(false);
    expect(config.rollout.intervalSeconds).toBe(600);
  });

  it("judges with the policy's default step when the configured one is faulty", () => {
    // The fixture moves 90/10 to 40/60: v2 gains 50 points. The default step (20) fails it; 50 allows it.
    const step = builtinPolicies().filter((p) => p.id === "max-canary-step");
    const dir = join("policies", "max-canary-step", "fail", "big-jump");
    const setOf = (f: string) => buildConfigSet(parseDocuments({ path: f, content: readFileSync(join(dir, f), "utf8") }).resources, DEFAULT_MESH_CONFIG);
    const run = (text: string) =>
      evaluatePolicies({ policies: step, settings: read(text).config.policies, head: setOf("head.yaml"), base: setOf("base.yaml"), today: "2026-11-24", rolloutsOn: () => false }).findings.length;
    expect(run("policies:\n  max-canary-step: { maxStep: 50 }\n")).toBe(0);
    expect(run("policies:\n  max-canary-step: { maxStep: \"50\" }\n")).toBe(1);
    expect(run("policies:\n  max-canary-step: { maxStepp: 50 }\n")).toBe(1);
  });

  it("drops an exemption with a fault whole, never a part of it (which would widen it)", () => {
    const { config, findings } = read("policies:\n  require-mtls:\n    exempt:\n    - {namespace: 7, name: legacy-db, reason: x, until: 2027-03-01}\n    - {namespace: old, reason: y, until: 2027-03-01}\n");
    expect(findings.map((f) => f.line)).toEqual([4]);
    expect(config.policies.get("require-mtls")?.exemptions).toEqual([{ namespace: "old", reason: "y", until: "2027-03-01", file: ".meshgate.yaml", line: 5 }]);
  });

  it("lets `policies` tune the file's own custom rules, and warns about a custom rule's unknown kind", () => {
    const text = "policies:\n  my-rule: { severity: warning }\ncustom:\n  - id: my-rule\n    match: { kinds: [VirtualServce] }\n    rule: \"true\"\n    message: m\n";
    const { config, findings } = read(text);
    expect(config.policies.get("my-rule")).toEqual({ severity: "warning" });
    expect(findings.map((f) => [f.severity, f.line, f.message])).toEqual([["warning", 5, "custom rule my-rule: meshgate reads no kind `VirtualServce`, so the rule never runs; did you mean `VirtualService`?"]]);
  });

  it("publishes a schema with every built-in policy and its parameters (schemas/, written by the build)", () => {
    const published = JSON.parse(readFileSync("schemas/meshgate-config.schema.json", "utf8")) as unknown;
    const fromFiles = readdirSync("policies").sort().map((id) => readPolicy(id, readFileSync(join("policies", id, "policy.yaml"), "utf8")));
    expect(published).toEqual(meshgateConfigSchema(fromFiles));
    const step = meshgateConfigSchema(fromFiles) as { properties: { policies: { properties: Record<string, { oneOf: { properties?: Record<string, unknown> }[] }> } } };
    expect(step.properties.policies.properties["max-canary-step"]?.oneOf[1]?.properties?.maxStep).toMatchObject({ type: "number", maximum: 100, default: 20 });
  });
});

describe("policyOptions", () => {
  it.each([
    ["added", "adds"],
    ["deleted", "deletes"],
    [true, "edits"],
  ] as const)("flags a change that %s .meshgate.yaml (MG5101)", (edit, verb) => {
    const { findings } = policyOptions({ file: ".meshgate.yaml (at main)", text: undefined, editedByChange: edit, today: "2026-11-24" });
    expect(findings.map((f) => [f.code, f.file, f.line])).toEqual([["MG5101", ".meshgate.yaml", 1]]);
    expect(findings[0]?.message).toContain(`This change ${verb} .meshgate.yaml`);
  });
});

describe("isMeshPath", () => {
  it.each([
    [".meshgate.yaml", ["**/*.yaml"], false],
    ["mesh/.meshgate.yaml", ["**/*.yaml"], true],
    ["mesh/a.yaml", ["mesh/**/*.yaml"], true],
    ["apps/a.yaml", ["mesh/**/*.yaml"], false],
    ["mesh/notes.txt", ["mesh/**"], false],
  ])("%s with %j: %s", (path, globs, expected) => {
    expect(isMeshPath(path, globs)).toBe(expected);
  });
});

describe("matchGlob", () => {
  it.each([
    ["mesh/**/*.yaml", "mesh/a.yaml", true],
    ["mesh/**/*.yaml", "mesh/x/y/a.yaml", true],
    ["mesh/**/*.yaml", "apps/a.yaml", false],
    ["*.yml", "a.yml", true],
    ["*.yml", "x/a.yml", false],
    ["**/*.yaml", "a.yaml", true],
  ])("%s matches %s: %s", (pattern, path, expected) => {
    expect(matchGlob(pattern, path)).toBe(expected);
  });
});
