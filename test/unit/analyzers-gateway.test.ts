import { describe, expect, it } from "vitest";
import { checkConfig } from "../../src/review/check-config.ts";
import type { Finding } from "../../src/review/finding.ts";
import type { Analyzer } from "../../src/validation/analyzer.ts";
import { certificateAnalyzer } from "../../src/validation/analyzers/gateway/certificate-analyzer.ts";
import { conflictingGatewayAnalyzer } from "../../src/validation/analyzers/gateway/conflicting-gateway-analyzer.ts";
import { ingressGatewayPortAnalyzer } from "../../src/validation/analyzers/gateway/ingress-gateway-port-analyzer.ts";
import { secretAnalyzer } from "../../src/validation/analyzers/gateway/secret-analyzer.ts";
import { ISTIO_ANALYZERS } from "../../src/validation/analyzers/istio-analyzers.ts";
import { SHOP_CERT, SHOP_VALIDITY, base64 } from "../support/test-certificates.ts";

/** Inside the test certificate's validity window; no test reads the wall clock. */
const NOW = new Date("2026-12-01T00:00:00Z");

function run(analyzer: Analyzer, yaml: string, now = NOW): Finding[] {
  const result = checkConfig([{ path: "mesh.yaml", content: yaml }], { defaultNamespace: "", analyzers: [analyzer], now });
  return result.findings.filter((f) => f.rule === analyzer.name);
}

/** 1-based line of the only occurrence of `needle`, so no test hard-codes a line number. */
function lineOf(yaml: string, needle: string): number {
  const at = yaml.indexOf(needle);
  if (at < 0 || yaml.lastIndexOf(needle) !== at) throw new Error(`"${needle}" is not unique in the YAML`);
  return yaml.slice(0, at).split("\n").length;
}

function gateway(name: string, ns: string, selector: string, servers: string): string {
  return `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    ${selector}
  servers:
${servers}---
`;
}

const INGRESS_POD = `apiVersion: v1
kind: Pod
metadata:
  name: ingress-1
  namespace: gw
  labels: {app: edge}
---
apiVersion: v1
kind: Service
metadata: {name: edge, namespace: gw}
spec:
  selector: {app: edge}
  ports:
  - {name: http, port: 80, targetPort: 8080}
---
`;

describe("registration", () => {
  it("registers the gateway analyzers under their istioctl names", () => {
    const names = ISTIO_ANALYZERS.map((a) => a.name);
    for (const name of ["gateway.IngressGatewayPortAnalyzer", "gateway.SecretAnalyzer", "gateway.ConflictingGatewayAnalyzer", "gateway.CertificateAnalyzer"]) {
      expect(names).toContain(name);
    }
  });
});

describe("gateway.IngressGatewayPortAnalyzer", () => {
  it("reports a selector no pod matches, on the selector's first key", () => {
    const yaml = INGRESS_POD + gateway("web", "gw", "app: edgy", "  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ['*']\n");
    const [f, ...rest] = run(ingressGatewayPortAnalyzer, yaml);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: "IST0101", severity: "error", message: 'Referenced selector not found: "app=edgy"', line: lineOf(yaml, "app: edgy") });
  });

  it("accepts a server on the Service's port or targetPort and reports any other, on its port number", () => {
    const servers = "  - port: {number: 80, name: a, protocol: HTTP}\n    hosts: ['*']\n  - port: {number: 8080, name: b, protocol: HTTP}\n    hosts: ['*']\n  - port:\n      number: 9443\n      name: c\n      protocol: HTTPS\n    hosts: ['*']\n";
    const yaml = INGRESS_POD + gateway("web", "gw", "app: edge", servers);
    const findings = run(ingressGatewayPortAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.severity, f.line, f.path])).toEqual([["IST0162", "warning", lineOf(yaml, "number: 9443"), "spec.servers[2].port.number"]]);
    expect(findings[0]?.message).toBe(
      "The gateway is listening on a target port (port 9443) that is not defined in the Service associated with its workload instances (Pod selector app=edge). If you need to access the gateway port through the gateway Service, it will not be available.",
    );
  });

  it("uses a Deployment's pod template as the gateway's workload", () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: edge, namespace: gw}
spec:
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
---
apiVersion: v1
kind: Service
metadata: {name: edge, namespace: gw}
spec:
  selector: {app: edge}
  ports: [{name: http, port: 80}]
---
`;
    expect(run(ingressGatewayPortAnalyzer, deployment + gateway("web", "gw", "app: edge", "  - port: {number: 80, name: a, protocol: HTTP}\n    hosts: ['*']\n"))).toEqual([]);
  });

  it("stays silent on a repository without workloads or Services, where istioctl would skip it", () => {
    expect(run(ingressGatewayPortAnalyzer, gateway("web", "gw", "app: nowhere", "  - port: {number: 81, name: a, protocol: HTTP}\n    hosts: ['*']\n"))).toEqual([]);
  });
});

/** A TLS Secret with the given `data` entries (plain values, base64-encoded here). */
function tlsSecret(name: string, ns: string, data: Readonly<Record<string, string>> = { "tls.crt": SHOP_CERT, "tls.key": "key" }): string {
  const entries = Object.entries(data).map(([k, v]) => `  ${k}: "${v === "" ? "" : base64(v)}"\n`).join("");
  return `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: ${ns}}\ntype: kubernetes.io/tls\n${entries ? `data:\n${entries}` : ""}---\n`;
}

describe("gateway.SecretAnalyzer", () => {
  const secret = tlsSecret("edge-cert", "gw");
  const tlsServer = (credential: string) =>
    `  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ['*']\n    tls:\n      mode: SIMPLE\n      credentialName: ${credential}\n`;

  it("looks for the credential in the gateway workload's namespace, not the Gateway's", () => {
    const yaml = INGRESS_POD + secret + gateway("ok", "apps", "app: edge", tlsServer("edge-cert")) + gateway("bad", "gw", "app: edge", tlsServer("missing-cert"));
    const findings = run(secretAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.message, f.line])).toEqual([
      ["IST0101", 'Referenced credentialName not found: "missing-cert"', lineOf(yaml, "credentialName: missing-cert")],
    ]);
  });

  it("prefers the user's own gateway workload over Istio's stand-in ingress Pod", () => {
    const own = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ingress, namespace: istio-ingress}\nspec:\n  selector: {matchLabels: {istio: ingressgateway}}\n  template: {metadata: {labels: {istio: ingressgateway}}}\n---\n";
    const cert = tlsSecret("site-cert", "istio-ingress");
    expect(run(secretAnalyzer, own + cert + gateway("site", "web", "istio: ingressgateway", tlsServer("site-cert")))).toEqual([]);
  });

  it("reports the selector when no pod gives the gateway a namespace", () => {
    const yaml = INGRESS_POD + secret + gateway("lost", "gw", "app: lost", tlsServer("edge-cert"));
    expect(run(secretAnalyzer, yaml).map((f) => [f.code, f.message, f.line])).toEqual([
      ["IST0101", 'Referenced selector not found: "app=lost"', lineOf(yaml, "app: lost")],
    ]);
  });

  it("stays silent when the repository holds no Secrets", () => {
    expect(run(secretAnalyzer, INGRESS_POD + gateway("bad", "gw", "app: edge", tlsServer("missing-cert")))).toEqual([]);
  });

  describe("IST0161: a credential that holds no usable certificate", () => {
    const check = (secretYaml: string, now = NOW): unknown[][] => {
      const yaml = INGRESS_POD + secretYaml + gateway("shop", "apps", "app: edge", tlsServer("edge-cert"));
      return run(secretAnalyzer, yaml, now).map((f) => [f.code, f.severity, f.path, f.line === lineOf(yaml, "credentialName: edge-cert"), f.message]);
    };
    const invalid = [[
      "IST0161", "error", "spec.servers[0].tls.credentialName", true,
      "The credential referenced by the Gateway shop in namespace gw is invalid, which can cause the traffic not to work as expected.",
    ]];

    it("accepts a certificate inside its validity window, both ends included", () => {
      expect(check(tlsSecret("edge-cert", "gw"))).toEqual([]);
      expect(check(tlsSecret("edge-cert", "gw"), new Date(SHOP_VALIDITY.notBefore))).toEqual([]);
      expect(check(tlsSecret("edge-cert", "gw"), new Date(SHOP_VALIDITY.notAfter))).toEqual([]);
    });

    it("reports an expired certificate and one not yet valid", () => {
      expect(check(tlsSecret("edge-cert", "gw"), new Date(SHOP_VALIDITY.notAfter + 1000))).toEqual(invalid);
      expect(check(tlsSecret("edge-cert", "gw"), new Date(SHOP_VALIDITY.notBefore - 1000))).toEqual(invalid);
    });

    it("reports data that is no certificate, and keys Istio does not read", () => {
      expect(check(tlsSecret("edge-cert", "gw", { cert: "hush hush hush", key: "secret" }))).toEqual(invalid);
      expect(check(tlsSecret("edge-cert", "gw", { "tls.cert": SHOP_CERT, "tls.key": "key" }))).toEqual(invalid);
      expect(check(tlsSecret("edge-cert", "gw", { "tls.crt": SHOP_CERT }))).toEqual(invalid);
      expect(check(tlsSecret("edge-cert", "gw", { "tls.crt": SHOP_CERT, "tls.key": "" }))).toEqual(invalid);
      expect(check(tlsSecret("edge-cert", "gw", {}))).toEqual(invalid);
    });

    it("reads the generic cert/key pair first, then tls.crt/tls.key", () => {
      expect(check(tlsSecret("edge-cert", "gw", { cert: SHOP_CERT, key: "k", "tls.crt": "junk", "tls.key": "k" }))).toEqual([]);
      expect(check(tlsSecret("edge-cert", "gw", { cert: "junk", key: "k", "tls.crt": SHOP_CERT, "tls.key": "k" }))).toEqual(invalid);
      expect(check(tlsSecret("edge-cert", "gw", { cert: SHOP_CERT, "tls.crt": SHOP_CERT, "tls.key": "k" }))).toEqual([]);
    });

    it("reads stringData as the API server would store it", () => {
      const text = `apiVersion: v1\nkind: Secret\nmetadata: {name: edge-cert, namespace: gw}\nstringData:\n  tls.crt: |\n${SHOP_CERT.replace(/^/gm, "    ")}\n  tls.key: k\n---\n`;
      expect(check(text)).toEqual([]);
    });

    it("treats a Secret Kubernetes cannot decode as absent (IST0101), as Istio never loads it", () => {
      const text = "apiVersion: v1\nkind: Secret\nmetadata: {name: edge-cert, namespace: gw}\ndata: {tls.crt: not-base64!, tls.key: aw==}\n---\n";
      expect(check(text).map((f) => f[0])).toEqual(["IST0101"]);
    });
  });
});

describe("gateway.ConflictingGatewayAnalyzer", () => {
  it("reports each of two gateways sharing selector, port and host, on the server's hosts", () => {
    const server = (protocol: string) => `  - port: {number: 80, name: p, protocol: ${protocol}}\n    hosts:\n    - foo.example.com\n`;
    const yaml = gateway("alpha", "gw", "istio: ingressgateway", server("HTTP")) + gateway("beta", "gw2", "istio: ingressgateway", server("TCP"));
    const findings = run(conflictingGatewayAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.severity, f.path, f.message])).toEqual([
      ["IST0145", "error", "spec.servers[0].hosts", "Conflict with gateways gw2/beta (workload selector istio=ingressgateway, port 80, hosts foo.example.com)."],
      ["IST0145", "error", "spec.servers[0].hosts", "Conflict with gateways gw/alpha (workload selector istio=ingressgateway, port 80, hosts foo.example.com)."],
    ]);
    expect(findings[0]?.line).toBe(yaml.slice(0, yaml.indexOf("hosts:")).split("\n").length);
  });

  it("does not conflict on different ports, hosts or binds", () => {
    const server = (port: number, host: string, bind = "") =>
      `  - port: {number: ${port}, name: p, protocol: HTTP}\n${bind ? `    bind: ${bind}\n` : ""}    hosts: [${host}]\n`;
    const yaml =
      gateway("a", "gw", "istio: ingressgateway", server(80, "a.example.com")) +
      gateway("b", "gw", "istio: ingressgateway", server(81, "a.example.com")) +
      gateway("c", "gw", "istio: ingressgateway", server(80, "c.example.com")) +
      gateway("d", "gw", "istio: ingressgateway", server(80, "a.example.com", "10.0.0.1"));
    expect(run(conflictingGatewayAnalyzer, yaml)).toEqual([]);
  });

  it("reports a selector that no server of any gateway shares", () => {
    const yaml = "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: empty, namespace: gw}\nspec:\n  selector:\n    istio: nothing\n";
    expect(run(conflictingGatewayAnalyzer, yaml).map((f) => [f.code, f.message, f.line])).toEqual([
      ["IST0101", 'Referenced selector not found: "istio=nothing"', lineOf(yaml, "istio: nothing")],
    ]);
  });
});

describe("gateway.CertificateAnalyzer", () => {
  it("reports the gateway whose selector is a subset of the other's, once per pair", () => {
    const tls = (cred: string) => `  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ['*']\n    tls: {mode: SIMPLE, credentialName: ${cred}}\n`;
    const yaml =
      gateway("wide", "istio-system", "istio: ingressgateway", tls("shared") + tls("shared")) +
      gateway("narrow", "istio-system", "{istio: ingressgateway, type: internal}", tls("shared"));
    const findings = run(certificateAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.severity, f.path, f.message])).toEqual([
      ["IST0138", "warning", "spec.servers[0].tls.credentialName",
        "Duplicate certificate in multiple gateways [istio-system/wide istio-system/narrow] may cause 404s if clients re-use HTTP2 connections."],
    ]);
  });

  it("compares certificate files only when neither server has a credential", () => {
    const files = (cert: string, key: string) =>
      `  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ['*']\n    tls: {mode: SIMPLE, serverCertificate: ${cert}, privateKey: ${key}}\n`;
    const same = gateway("a", "ns", "istio: x", files("/c.pem", "/k.pem")) + gateway("b", "ns", "istio: x", files("/c.pem", "/k.pem"));
    expect(run(certificateAnalyzer, same).map((f) => f.code)).toEqual(["IST0138", "IST0138"]);
    const otherKey = gateway("a", "ns", "istio: x", files("/c.pem", "/k.pem")) + gateway("b", "ns", "istio: x", files("/c.pem", "/k2.pem"));
    expect(run(certificateAnalyzer, otherKey)).toEqual([]);
  });
});
