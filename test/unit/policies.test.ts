import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { buildConfigSet } from "../../src/mesh/config-set.ts";
import { DEFAULT_MESH_CONFIG } from "../../src/mesh/mesh-config.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { evaluatePolicies } from "../../src/policy/evaluate-policies.ts";
import { PolicyError, readPolicy } from "../../src/policy/read-policy.ts";
import { readMeshgateConfig } from "../../src/policy/read-meshgate-config.ts";

/**
 * The generic policy test: every `policies/<id>/` runs against its fixtures. A fixture is a YAML file
 * (the head), or a folder with `head.yaml`, optional `base.yaml` (for change-aware rules) and optional
 * `fixture.yaml` (`rolloutsOn: true`). `pass/` fixtures must produce no violation of the policy,
 * `fail/` fixtures at least one; a policy without a failing fixture fails the test.
 */
const ROOT = "policies";
const ids = readdirSync(ROOT).filter((d) => statSync(join(ROOT, d)).isDirectory());

function setOf(path: string) {
  return buildConfigSet(parseDocuments({ path, content: readFileSync(path, "utf8") }).resources, DEFAULT_MESH_CONFIG);
}

function runFixture(id: string, path: string) {
  const policy = readPolicy(join(ROOT, id, "policy.yaml"), readFileSync(join(ROOT, id, "policy.yaml"), "utf8"));
  const dir = statSync(path).isDirectory();
  const head = setOf(dir ? join(path, "head.yaml") : path);
  const basePath = join(path, "base.yaml");
  const base = dir && safeStat(basePath) ? setOf(basePath) : undefined;
  const fixture = dir && safeStat(join(path, "fixture.yaml")) ? (parse(readFileSync(join(path, "fixture.yaml"), "utf8")) as { rolloutsOn?: boolean }) : {};
  return evaluatePolicies({
    policies: [policy],
    settings: new Map(),
    head,
    ...(base ? { base } : {}),
    today: "2026-11-24",
    rolloutsOn: () => fixture.rolloutsOn === true,
  });
}

function safeStat(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

const list = (id: string, kind: "pass" | "fail") => {
  try {
    return readdirSync(join(ROOT, id, kind)).map((f) => [id, f] as const);
  } catch {
    return [];
  }
};

describe("built-in policies", () => {
  it("include every built-in PRODUCT.md promises", () => {
    expect(ids).toEqual(expect.arrayContaining(["max-canary-step", "require-mtls", "weights-sum-100", "subset-exists", "no-wildcard-hosts", "authz-no-allow-all", "gateway-tls", "outlier-detection-for-canaries", "route-timeouts"]));
  });

  it.each(ids)("%s has failing and passing fixtures and a unique code", (id) => {
    expect(list(id, "fail").length).toBeGreaterThan(0);
    expect(list(id, "pass").length).toBeGreaterThan(0);
    const codes = ids.map((i) => readPolicy(i, readFileSync(join(ROOT, i, "policy.yaml"), "utf8")).code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each(ids.flatMap((id) => list(id, "pass")))("%s passes %s", (id, f) => {
    const { findings, results } = runFixture(id, join(ROOT, id, "pass", f));
    expect(findings.map((x) => x.message)).toEqual([]);
    expect(results[0]?.status).toBe("passed");
  });

  it.each(ids.flatMap((id) => list(id, "fail")))("%s fails %s, on a line of the fixture", (id, f) => {
    const { findings, results } = runFixture(id, join(ROOT, id, "fail", f));
    expect(findings.length).toBeGreaterThan(0);
    expect(results[0]?.status).toBe("failed");
    for (const finding of findings) {
      expect(finding.rule).toBe(id);
      expect(finding.line).toBeGreaterThan(1);
    }
  });
});

describe("policy.yaml parameters", () => {
  it.each(ids)("%s gives every parameter a schema its default satisfies", (id) => {
    const policy = readPolicy(id, readFileSync(join(ROOT, id, "policy.yaml"), "utf8"));
    expect(Object.keys(policy.parameterSchemas)).toEqual(Object.keys(policy.parameters));
    for (const [name, schema] of Object.entries(policy.parameterSchemas)) {
      expect(typeof schema.type === "string" || Array.isArray(schema.enum), `${id}.${name} has a type`).toBe(true);
      expect(schema.default).toEqual(policy.parameters[name]);
    }
  });

  const withParameters = (parameters: string) =>
    `id: p\ncode: MG5999\ntitle: P\nseverity: error\ndescription: why\nkinds: [VirtualService]\nparameters:\n${parameters}rules:\n  - builtin: max-canary-step\n`;

  it("reads a parameter's schema and takes its default", () => {
    const policy = readPolicy("p", withParameters("  maxStep: {type: number, exclusiveMinimum: 0, maximum: 100, default: 20}\n"));
    expect(policy.parameters).toEqual({ maxStep: 20 });
    expect(policy.parameterSchemas.maxStep).toEqual({ type: "number", exclusiveMinimum: 0, maximum: 100, default: 20 });
  });

  it.each([
    ["  maxStep: {type: number, maximum: 100, default: 150}\n", /default of `parameters.maxStep` breaks its own schema: maxStep must be at most 100/],
    ["  maxStep: {type: number, default: ten}\n", /default of `parameters.maxStep` breaks its own schema: maxStep must be a number/],
    ["  mode: {enum: [fast, slow], default: medium}\n", /default of `parameters.mode` breaks its own schema/],
    ["  maxStep: {type: number}\n", /`parameters.maxStep` needs a `default`/],
    ["  maxStep: {default: 20}\n", /`parameters.maxStep` needs a `type` or an `enum`/],
    ["  maxStep: {type: float, default: 20}\n", /`parameters.maxStep.type` must be one of/],
    ["  maxStep: {type: number, minimun: 1, default: 20}\n", /`parameters.maxStep.minimun` is not a keyword meshgate checks/],
    ["  severity: {type: string, default: x}\n", /settings of every policy, not parameter names/],
    ["  maxStep: 20\n", /`parameters.maxStep` must be a schema/],
  ])("refuses a policy.yaml whose parameter is %j", (parameters, message) => {
    expect(() => readPolicy("p", withParameters(parameters))).toThrow(PolicyError);
    expect(() => readPolicy("p", withParameters(parameters))).toThrow(message);
  });
});

describe("policy settings", () => {
  const policy = readPolicy("require-mtls", readFileSync(join(ROOT, "require-mtls", "policy.yaml"), "utf8"));
  const head = setOf(join(ROOT, "require-mtls", "fail", "permissive.yaml"));
  const run = (settings: Parameters<typeof evaluatePolicies>[0]["settings"]) =>
    evaluatePolicies({ policies: [policy], settings, head, today: "2026-11-24", rolloutsOn: () => true });
  const exemption = (until: string) => ({ namespace: "istio-system", reason: "migration", until, file: ".meshgate.yaml", line: 7 });

  it("turn a policy off, or change its severity", () => {
    expect(run(new Map([["require-mtls", { off: true }]])).results).toEqual([{ id: "require-mtls", title: "mTLS required", status: "off", violations: 0 }]);
    expect(run(new Map([["require-mtls", { severity: "warning" as const }]])).findings.map((f) => f.severity)).toEqual(["warning"]);
  });

  it("exempt a namespace until a date, and report the exemption once it has expired", () => {
    expect(run(new Map([["require-mtls", { exemptions: [exemption("2027-03-01")] }]])).findings).toEqual([]);
    const expired = run(new Map([["require-mtls", { exemptions: [exemption("2026-11-01")] }]])).findings;
    expect(expired.map((f) => [f.code, f.file, f.line])).toEqual([
      ["MG5000", ".meshgate.yaml", 7],
      ["MG5001", join(ROOT, "require-mtls", "fail", "permissive.yaml"), 6],
    ]);
  });

  it("override parameters", () => {
    const step = readPolicy("max-canary-step", readFileSync(join(ROOT, "max-canary-step", "policy.yaml"), "utf8"));
    const dir = join(ROOT, "max-canary-step", "fail", "big-jump");
    const input = { policies: [step], head: setOf(join(dir, "head.yaml")), base: setOf(join(dir, "base.yaml")), today: "2026-11-24", rolloutsOn: () => false };
    expect(evaluatePolicies({ ...input, settings: new Map() }).findings).toHaveLength(1);
    expect(evaluatePolicies({ ...input, settings: new Map([["max-canary-step", { params: { maxStep: 50 } }]]) }).findings).toEqual([]);
  });
});

describe("custom CEL rules", () => {
  it("see object, oldObject and the indexed configuration", () => {
    const { config } = readMeshgateConfig(".meshgate.yaml", `custom:
  - id: dr-for-every-vs-host
    match: { kinds: [VirtualService] }
    rule: "object.spec.hosts.all(h, config.DestinationRule.exists(d, d.spec.host == h))"
    message: every VirtualService host needs a DestinationRule
`);
    const head = setOf(join(ROOT, "subset-exists", "pass", "defined.yaml"));
    const run = (text: string) =>
      evaluatePolicies({ policies: config.custom, settings: new Map(), head: buildConfigSet(parseDocuments({ path: "h.yaml", content: text }).resources, DEFAULT_MESH_CONFIG), today: "2026-11-24", rolloutsOn: () => true });
    expect(evaluatePolicies({ policies: config.custom, settings: new Map(), head, today: "2026-11-24", rolloutsOn: () => true }).findings).toEqual([]);
    const lonely = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a, namespace: s}\nspec:\n  hosts: [a]\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: b, namespace: s}\nspec:\n  host: b\n";
    expect(run(lonely).findings.map((f) => [f.code, f.rule, f.message])).toEqual([["MG5900", "dr-for-every-vs-host", "dr-for-every-vs-host: every VirtualService host needs a DestinationRule."]]);
  });
});
