import { describe, expect, it } from "vitest";
import { matchGlob } from "../../src/policy/match-glob.ts";
import { readMeshgateConfig } from "../../src/policy/read-meshgate-config.ts";

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
  ])("reports %j on line %i", (text, line, message) => {
    const { findings, config } = readMeshgateConfig(".meshgate.yaml", text);
    expect(findings.map((f) => [f.code, f.line])).toContainEqual(["MG5100", line]);
    expect(findings.map((f) => f.message).join("\n")).toContain(message);
    if (!message.startsWith("custom")) expect(config.rollout.mode).toBe("git"); // falls back to defaults
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
