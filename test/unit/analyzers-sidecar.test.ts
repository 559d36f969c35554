import { describe, expect, it } from "vitest";
import { checkConfig } from "../../src/review/check-config.ts";
import type { Finding } from "../../src/review/finding.ts";
import { ISTIO_ANALYZERS } from "../../src/validation/analyzers/istio-analyzers.ts";
import { sidecarSelectorAnalyzer } from "../../src/validation/analyzers/sidecar/selector-analyzer.ts";

function run(yaml: string): Finding[] {
  const result = checkConfig([{ path: "mesh.yaml", content: yaml }], { defaultNamespace: "", analyzers: [sidecarSelectorAnalyzer] });
  return result.findings.filter((f) => f.rule === sidecarSelectorAnalyzer.name);
}

function lineOf(yaml: string, needle: string): number {
  const at = yaml.indexOf(needle);
  if (at < 0 || yaml.lastIndexOf(needle) !== at) throw new Error(`"${needle}" is not unique in the YAML`);
  return yaml.slice(0, at).split("\n").length;
}

function sidecar(name: string, ns: string, selector?: string): string {
  const ws = selector ? `  workloadSelector:\n    labels:\n      ${selector}\n` : "";
  return `apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${ws}  egress:\n  - hosts: ["./*"]\n---\n`;
}

function pod(name: string, ns: string, labels: string, annotations = "{}"): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: ${labels}\n  annotations: ${annotations}\n---\n`;
}

describe("sidecar.SelectorAnalyzer", () => {
  it("is registered under its istioctl name", () => {
    expect(ISTIO_ANALYZERS.map((a) => a.name)).toContain("sidecar.SelectorAnalyzer");
  });

  it("reports a workloadSelector matching no pod of its own namespace, on the selector", () => {
    const yaml = pod("reviews", "default", "{app: reviews}") + sidecar("wrong-ns", "other", "app: reviews");
    expect(run(yaml).map((f) => [f.code, f.severity, f.message, f.line])).toEqual([
      ["IST0101", "error", 'Referenced selector not found: "app=reviews"', lineOf(yaml, "app: reviews\n")],
    ]);
  });

  it("reports every Sidecar selecting a pod another one selects", () => {
    const yaml = pod("ratings", "default", "{app: ratings, tier: back}") + sidecar("by-app", "default", "app: ratings") + sidecar("by-tier", "default", "tier: back");
    const findings = run(yaml);
    expect(findings.map((f) => [f.code, f.path])).toEqual([
      ["IST0110", "spec.workloadSelector"],
      ["IST0110", "spec.workloadSelector"],
    ]);
    expect(findings[0]?.message).toBe(
      'The Sidecars [by-app by-tier] in namespace "default" select the same workload pod "ratings", which can lead to undefined behavior.',
    );
  });

  it("reports several selector-less Sidecars in one namespace, but not one alone", () => {
    const yaml = sidecar("a", "ns2") + sidecar("b", "ns2") + sidecar("only", "ns3");
    const findings = run(yaml);
    expect(findings.map((f) => [f.code, f.resource?.name, f.line])).toEqual([
      ["IST0111", "a", lineOf(yaml, "name: a\n")],
      ["IST0111", "b", lineOf(yaml, "name: b\n")],
    ]);
    expect(findings[0]?.message).toBe('The Sidecars [a b] in namespace "ns2" have no workload selector, which can lead to undefined behavior.');
  });

  it("says a Sidecar has no impact on ambient workloads and namespaces", () => {
    const yaml =
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: amb\n  labels: {istio.io/dataplane-mode: ambient}\n---\n" +
      sidecar("ns-wide", "amb") +
      pod("captured", "default", "{app: cap}", "{ambient.istio.io/redirection: enabled}") +
      sidecar("pod-scoped", "default", "app: cap");
    expect(run(yaml).map((f) => [f.code, f.resource?.name, f.message])).toEqual([
      ["IST0167", "ns-wide", "The policy has no impact: namespace is in ambient mode, the policy has no impact."],
      ["IST0167", "pod-scoped", "The policy has no impact: selected workload is in ambient mode, the policy has no impact."],
    ]);
  });

  it("checks selectors against Deployment pod templates, and skips them when no workloads are given", () => {
    const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}}\n---\n";
    expect(run(deployment + sidecar("web", "shop", "app: web"))).toEqual([]);
    expect(run(deployment + sidecar("typo", "shop", "app: wbe")).map((f) => f.code)).toEqual(["IST0101"]);
    expect(run(sidecar("typo", "shop", "app: wbe"))).toEqual([]);
  });
});
