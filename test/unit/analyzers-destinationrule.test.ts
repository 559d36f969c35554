import { describe, expect, it } from "vitest";
import { checkConfig } from "../../src/review/check-config.ts";
import type { Finding } from "../../src/review/finding.ts";
import type { Analyzer } from "../../src/validation/analyzer.ts";
import { caCertificateAnalyzer } from "../../src/validation/analyzers/destinationrule/ca-certificate-analyzer.ts";
import { subsetSelectPodAnalyzer } from "../../src/validation/analyzers/destinationrule/subset-select-pod-analyzer.ts";
import { ISTIO_ANALYZERS } from "../../src/validation/analyzers/istio-analyzers.ts";

function run(analyzer: Analyzer, yaml: string): Finding[] {
  const result = checkConfig([{ path: "mesh.yaml", content: yaml }], { defaultNamespace: "", analyzers: [analyzer] });
  return result.findings.filter((f) => f.rule === analyzer.name);
}

function lineOf(yaml: string, needle: string): number {
  const at = yaml.indexOf(needle);
  if (at < 0 || yaml.lastIndexOf(needle) !== at) throw new Error(`"${needle}" is not unique in the YAML`);
  return yaml.slice(0, at).split("\n").length;
}

describe("registration", () => {
  it("registers both DestinationRule analyzers under their istioctl names", () => {
    const names = ISTIO_ANALYZERS.map((a) => a.name);
    expect(names).toContain("destinationrule.CaCertificateAnalyzer");
    expect(names).toContain("destinationrule.SubsetSelectPodAnalyzer");
  });
});

describe("destinationrule.CaCertificateAnalyzer", () => {
  const yaml = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: db
  namespace: prod
spec:
  host: db.prod.svc.cluster.local
  trafficPolicy:
    tls:
      mode: MUTUAL
      clientCertificate: /etc/certs/client.pem
      privateKey: /etc/certs/key.pem
    portLevelSettings:
    - port:
        number: 5432
      tls:
        mode: SIMPLE
    - port:
        number: 5433
      tls:
        mode: SIMPLE
        caCertificates: /etc/certs/ca.pem
    - port:
        number: 5434
      tls:
        mode: ISTIO_MUTUAL
`;

  it("reports SIMPLE/MUTUAL without caCertificates at destination and port level, on the mode", () => {
    const findings = run(caCertificateAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.severity, f.line, f.message])).toEqual([
      ["IST0128", "warning", lineOf(yaml, "mode: MUTUAL"),
        "DestinationRule prod/db in namespace prod has TLS mode set to MUTUAL but no caCertificates are set to validate server identity for host: db.prod.svc.cluster.local"],
      ["IST0129", "warning", lineOf(yaml, "mode: SIMPLE\n    -"),
        "DestinationRule prod/db in namespace prod has TLS mode set to SIMPLE but no caCertificates are set to validate server identity for host: db.prod.svc.cluster.local at port number:5432"],
    ]);
  });

  it("accepts a credentialName instead only with a workloadSelector", () => {
    const dr = (selector: string) =>
      `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: db}\nspec:\n  host: db.example.com\n${selector}  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: db-cred}\n`;
    expect(run(caCertificateAnalyzer, dr("  workloadSelector: {matchLabels: {app: client}}\n"))).toEqual([]);
    expect(run(caCertificateAnalyzer, dr("")).map((f) => [f.code, f.resource?.name])).toEqual([["IST0128", "db"]]);
  });
});

describe("destinationrule.SubsetSelectPodAnalyzer", () => {
  const service = "apiVersion: v1\nkind: Service\nmetadata: {name: httpbin, namespace: default}\nspec:\n  selector: {app: httpbin}\n  ports: [{name: http, port: 8000}]\n---\n";
  const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: httpbin-1, namespace: default, labels: {app: httpbin, version: v1}}\nspec:\n  nodeName: node-a\n---\n";
  const node = "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-a\n  labels: {topology.kubernetes.io/region: eu-west-1, topology.kubernetes.io/zone: ''}\n---\n";
  const dr = (host: string, subsets: string) =>
    `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: httpbin, namespace: default}\nspec:\n  host: ${host}\n  subsets:\n${subsets}`;

  it("reports a host that no visible Service or ServiceEntry has, on the host", () => {
    const yaml = service + dr("fake.default.svc.cluster.local", "");
    expect(run(subsetSelectPodAnalyzer, yaml).map((f) => [f.code, f.severity, f.line, f.message])).toEqual([
      ["IST0174", "warning", lineOf(yaml, "host: fake"), "The host fake.default.svc.cluster.local defined in the DestinationRule does not match any services in the mesh."],
    ]);
  });

  it("reports subsets selecting no pod; node locality counts, but not an empty one", () => {
    const subsets = "  - name: v1\n    labels: {version: v1}\n  - name: v3\n    labels: {version: v3}\n  - name: eu\n    labels: {topology.kubernetes.io/region: eu-west-1}\n  - name: no-zone\n    labels: {topology.kubernetes.io/zone: ''}\n";
    const yaml = service + pod + node + dr("httpbin", subsets);
    const findings = run(subsetSelectPodAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.severity, f.line, f.message])).toEqual([
      ["IST0173", "error", lineOf(yaml, "name: v3"), "The Subset v3 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream)."],
      ["IST0173", "error", lineOf(yaml, "name: no-zone"), "The Subset no-zone defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream)."],
    ]);
  });

  it("merges a ServiceEntry's workloadSelector into the subset's labels", () => {
    const se = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ext, namespace: default}\nspec:\n  hosts: [ext.example.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  workloadSelector: {labels: {app: other}}\n---\n";
    const yaml = service + pod + se + dr("ext.example.com", "  - name: v1\n    labels: {version: v1}\n");
    expect(run(subsetSelectPodAnalyzer, yaml).map((f) => [f.code, f.message])).toEqual([
      ["IST0173", "The Subset v1 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream)."],
    ]);
  });

  it("needs Services for unknown hosts and workloads for subsets, so config alone is not flagged", () => {
    expect(run(subsetSelectPodAnalyzer, dr("reviews", "  - name: v9\n    labels: {version: v9}\n"))).toEqual([]);
    expect(run(subsetSelectPodAnalyzer, service + dr("httpbin", "  - name: v9\n    labels: {version: v9}\n"))).toEqual([]);
  });
});
