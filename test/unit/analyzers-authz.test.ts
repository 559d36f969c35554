import { describe, expect, it } from "vitest";
import { checkConfig } from "../../src/review/check-config.ts";
import type { Finding } from "../../src/review/finding.ts";
import type { Analyzer } from "../../src/validation/analyzer.ts";
import { authorizationPoliciesAnalyzer } from "../../src/validation/analyzers/authz/authorization-policies-analyzer.ts";
import { blockedCidrsAnalyzer } from "../../src/validation/analyzers/authz/blocked-cidrs-analyzer.ts";
import { ISTIO_ANALYZERS } from "../../src/validation/analyzers/istio-analyzers.ts";

function run(yaml: string, analyzer: Analyzer = authorizationPoliciesAnalyzer): Finding[] {
  const result = checkConfig([{ path: "mesh.yaml", content: yaml }], { defaultNamespace: "", analyzers: [analyzer] });
  return result.findings.filter((f) => f.rule === analyzer.name);
}

function lineOf(yaml: string, needle: string): number {
  const at = yaml.indexOf(needle);
  if (at < 0 || yaml.lastIndexOf(needle) !== at) throw new Error(`"${needle}" is not unique in the YAML`);
  return yaml.slice(0, at).split("\n").length;
}

function policy(name: string, ns: string, spec: string): string {
  return `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}---\n`;
}

const INVENTORY = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: prod-eu}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: bare, labels: {app: plain}}
---
`;

describe("auth.AuthorizationPoliciesAnalyzer", () => {
  it("is registered under its istioctl name", () => {
    expect(ISTIO_ANALYZERS.map((a) => a.name)).toContain("auth.AuthorizationPoliciesAnalyzer");
  });

  it("reports selectors matching no in-mesh workload, and namespace-wide policies on empty namespaces", () => {
    const yaml =
      INVENTORY +
      policy("web", "shop", "  selector:\n    matchLabels: {app: web}\n") +
      policy("typo", "shop", "  selector:\n    matchLabels: {app: wbe}\n") +
      policy("not-in-mesh", "bare", "  selector:\n    matchLabels: {app: plain}\n") +
      policy("ns-wide", "empty", "  action: DENY\n") +
      policy("mesh-wide", "istio-system", "  selector:\n    matchLabels: {app: web}\n");
    const findings = run(yaml);
    expect(findings.map((f) => [f.code, f.severity, f.resource?.name, f.message])).toEqual([
      ["IST0127", "warning", "typo", "No matching workloads for this resource with the following labels: app=wbe"],
      ["IST0127", "warning", "not-in-mesh", "No matching workloads for this resource with the following labels: app=plain"],
      ["IST0127", "warning", "ns-wide", "No matching workloads for this resource with the following labels: "],
    ]);
    expect(findings[0]?.line).toBe(lineOf(yaml, "matchLabels: {app: wbe}"));
  });

  it("reports source namespaces (and notNamespaces) that match no Namespace, on the entry", () => {
    const rules = "  rules:\n  - from:\n    - source:\n        namespaces: [shop, 'prod-*', '*-eu', '*']\n        notNamespaces:\n        - 'staging-*'\n";
    const yaml = INVENTORY + policy("web", "shop", `  selector:\n    matchLabels: {app: web}\n${rules}`);
    const findings = run(yaml);
    expect(findings.map((f) => [f.code, f.severity, f.path, f.line, f.message])).toEqual([
      ["IST0101", "error", "spec.rules[0].from[0].source.notNamespaces[0]", lineOf(yaml, "- 'staging-*'"), 'Referenced namespace not found: "staging-*"'],
    ]);
  });

  it("counts Deployment templates as workloads and says nothing without inventory", () => {
    const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: team}\nspec:\n  selector: {matchLabels: {app: api}}\n  template: {metadata: {labels: {app: api}}}\n---\n";
    const ap = policy("api", "team", "  selector:\n    matchLabels: {app: api}\n  rules:\n  - from:\n    - source: {namespaces: [elsewhere]}\n");
    expect(run(deployment + ap)).toEqual([]);
    expect(run(ap)).toEqual([]);
  });
});

describe("authn.BlockedCIDRsAnalyzer", () => {
  const istiod = (env: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: istiod
  namespace: istio-system
  labels: {app: istiod}
spec:
  selector: {matchLabels: {app: istiod}}
  template:
    metadata: {labels: {app: istiod}}
    spec:
      containers:
      - name: discovery
        image: pilot
        env:
        - {name: PILOT_ENABLE_ANALYSIS, value: "true"}
${env}---
`;
  const ra = (name: string) => `apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: ${name}, namespace: default}\nspec: {}\n---\n`;

  it("is registered under its istioctl name", () => {
    expect(ISTIO_ANALYZERS.map((a) => a.name)).toContain("authn.BlockedCIDRsAnalyzer");
  });

  it("reports an istiod Deployment without BLOCKED_CIDRS_IN_JWKS_URIS while RequestAuthentications exist, on its env", () => {
    const yaml = ra("jwt-a") + ra("jwt-b") + istiod("");
    const findings = run(yaml, blockedCidrsAnalyzer);
    expect(findings.map((f) => [f.code, f.severity, f.resource?.kind, f.line, f.message])).toEqual([
      ["IST0175", "warning", "Deployment", lineOf(yaml, "env:"),
        "BLOCKED_CIDRS_IN_JWKS_URIS is not configured but 2 RequestAuthentication resource(s) exist (default/jwt-a, default/jwt-b). Consider configuring it to restrict JWKS URI fetches to trusted networks."],
    ]);
  });

  it("lists five names, then counts the rest", () => {
    const yaml = ["a", "b", "c", "d", "e", "f", "g"].map(ra).join("") + istiod("");
    expect(run(yaml, blockedCidrsAnalyzer)[0]?.message).toContain("7 RequestAuthentication resource(s) exist (default/a, default/b, default/c, default/d, default/e, and 2 more)");
  });

  it("is satisfied by a non-empty value, and silent without RequestAuthentications", () => {
    expect(run(ra("jwt") + istiod("        - {name: BLOCKED_CIDRS_IN_JWKS_URIS, value: 169.254.0.0/16}\n"), blockedCidrsAnalyzer)).toEqual([]);
    expect(run(istiod(""), blockedCidrsAnalyzer)).toEqual([]);
  });
});
