import { describe, expect, it } from "vitest";
import { checkConfig } from "../../src/review/check-config.ts";
import type { Finding } from "../../src/review/finding.ts";
import { ISTIO_ANALYZERS } from "../../src/validation/analyzers/istio-analyzers.ts";
import { k8sGatewaySelectorAnalyzer } from "../../src/validation/analyzers/k8sgateway/selector-analyzer.ts";

function run(yaml: string): Finding[] {
  const result = checkConfig([{ path: "mesh.yaml", content: yaml }], { defaultNamespace: "", analyzers: [k8sGatewaySelectorAnalyzer] });
  return result.findings.filter((f) => f.rule === k8sGatewaySelectorAnalyzer.name);
}

function lineOf(yaml: string, needle: string): number {
  const at = yaml.indexOf(needle);
  if (at < 0 || yaml.lastIndexOf(needle) !== at) throw new Error(`"${needle}" is not unique in the YAML`);
  return yaml.slice(0, at).split("\n").length;
}

const GATEWAY_PODS = `apiVersion: v1
kind: Pod
metadata:
  name: bookinfo-gateway-istio-1
  namespace: default
  labels: {gateway.networking.k8s.io/gateway-name: bookinfo-gateway, app: gw}
---
apiVersion: v1
kind: Pod
metadata:
  name: bookinfo-gateway-istio-2
  namespace: default
  labels: {gateway.networking.k8s.io/gateway-name: bookinfo-gateway, app: gw}
---
`;

function policy(kind: string, group: string, name: string, spec: string): string {
  return `apiVersion: ${group}/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n${spec}---\n`;
}

describe("k8sgateway.SelectorAnalyzer", () => {
  it("is registered under its istioctl name", () => {
    expect(ISTIO_ANALYZERS.map((a) => a.name)).toContain("k8sgateway.SelectorAnalyzer");
  });

  it("reports a policy selecting a Kubernetes Gateway's pods by labels, once per gateway, on the selector", () => {
    const yaml =
      GATEWAY_PODS +
      policy("RequestAuthentication", "security.istio.io", "ra", "  selector:\n    matchLabels: {app: gw}\n") +
      policy("AuthorizationPolicy", "security.istio.io", "ap-target", "  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: bookinfo-gateway}\n  selector:\n    matchLabels: {app: gw}\n") +
      policy("AuthorizationPolicy", "security.istio.io", "ap-other", "  selector:\n    matchLabels: {app: reviews}\n");
    const findings = run(yaml);
    expect(findings.map((f) => [f.code, f.severity, f.resource?.name, f.message])).toEqual([
      ["IST0166", "warning", "ra", "Ineffective selector on Kubernetes Gateway bookinfo-gateway. Use the TargetRef field instead."],
    ]);
    // `selector:` is three lines below the policy's name (namespace, spec, selector).
    expect(findings[0]?.line).toBe(lineOf(yaml, "name: ra\n") + 3);
  });

  it("ignores gateway pods of other namespaces", () => {
    const yaml = GATEWAY_PODS.replaceAll("namespace: default", "namespace: edge") + policy("AuthorizationPolicy", "security.istio.io", "ap", "  selector:\n    matchLabels: {app: gw}\n");
    expect(run(yaml)).toEqual([]);
  });
});
