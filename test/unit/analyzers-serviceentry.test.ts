import { describe, expect, it } from "vitest";
import { readMeshConfig } from "../../src/mesh/mesh-config.ts";
import { checkConfig, type CheckOptions } from "../../src/review/check-config.ts";
import type { Finding } from "../../src/review/finding.ts";
import type { Analyzer } from "../../src/validation/analyzer.ts";
import { ISTIO_ANALYZERS } from "../../src/validation/analyzers/istio-analyzers.ts";
import { conflictingServiceEntryProtocolAnalyzer } from "../../src/validation/analyzers/serviceentry/conflicting-service-entry-protocol-analyzer.ts";
import { protocolAddressesAnalyzer } from "../../src/validation/analyzers/serviceentry/protocol-addresses-analyzer.ts";

function run(analyzer: Analyzer, yaml: string, options: CheckOptions = {}): Finding[] {
  const result = checkConfig([{ path: "mesh.yaml", content: yaml }], { defaultNamespace: "", ...options, analyzers: [analyzer] });
  return result.findings.filter((f) => f.rule === analyzer.name);
}

function lineOf(yaml: string, needle: string): number {
  const at = yaml.indexOf(needle);
  if (at < 0 || yaml.lastIndexOf(needle) !== at) throw new Error(`"${needle}" is not unique in the YAML`);
  return yaml.slice(0, at).split("\n").length;
}

function serviceEntry(name: string, ns: string, body: string): string {
  return `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${body}---\n`;
}

describe("registration", () => {
  it("registers both ServiceEntry analyzers under their istioctl names", () => {
    const names = ISTIO_ANALYZERS.map((a) => a.name);
    expect(names).toContain("serviceentry.Analyzer");
    expect(names).toContain("serviceentry.ConflictingServiceEntryProtocolAnalyzer");
  });
});

describe("serviceentry.Analyzer", () => {
  const body = "  hosts: [db.example.com]\n  ports:\n  - name: tcp\n    number: 5432\n    protocol: tcp\n  - name: http\n    number: 80\n    protocol: HTTP\n  - name: bare\n    number: 6379\n";

  it("reports each TCP or protocol-less port of an entry without addresses", () => {
    const yaml = serviceEntry("db", "default", body);
    expect(run(protocolAddressesAnalyzer, yaml).map((f) => [f.code, f.severity, f.line, f.message])).toEqual([
      ["IST0134", "warning", lineOf(yaml, "protocol: tcp"), "ServiceEntry addresses are required for this protocol."],
      ["IST0134", "warning", lineOf(yaml, "- name: bare"), "ServiceEntry addresses are required for this protocol."],
    ]);
  });

  it("accepts addresses, addresses allocated in status, or DNS capture with auto-allocation", () => {
    expect(run(protocolAddressesAnalyzer, serviceEntry("db", "default", `${body}  addresses: [10.0.0.1]\n`))).toEqual([]);
    const allocated = serviceEntry("db", "default", body).replace("---\n", "status:\n  addresses:\n  - {host: db.example.com, value: 240.240.0.1}\n---\n");
    expect(run(protocolAddressesAnalyzer, allocated)).toEqual([]);
    const mesh = (metadata: Record<string, string>) => ({ meshConfig: readMeshConfig({ defaultConfig: { proxyMetadata: metadata } }) });
    expect(run(protocolAddressesAnalyzer, serviceEntry("db", "default", body), mesh({ ISTIO_META_DNS_CAPTURE: "true", PILOT_ENABLE_IP_AUTOALLOCATE: "true" }))).toEqual([]);
    expect(run(protocolAddressesAnalyzer, serviceEntry("db", "default", body), mesh({ ISTIO_META_DNS_AUTO_ALLOCATE: "true" }))).toHaveLength(2);
  });
});

describe("serviceentry.ConflictingServiceEntryProtocolAnalyzer", () => {
  const entry = (name: string, ns: string, protocol: string, exportTo = "") =>
    serviceEntry(name, ns, `  hosts: [api.example.com]\n${exportTo}  ports:\n  - name: p\n    number: 443\n    protocol: ${protocol}\n`);

  it("reports each entry giving the same host and port another protocol, on its port", () => {
    const yaml = entry("se-https", "default", "HTTPS") + entry("se-tls", "default", "TLS");
    const findings = run(conflictingServiceEntryProtocolAnalyzer, yaml);
    const message = 'Multiple ServiceEntries (default/se-https, default/se-tls) define the same host "api.example.com" and port 443 with conflicting protocols (HTTPS, TLS).';
    expect(findings.map((f) => [f.code, f.severity, f.resource?.name, f.line, f.message])).toEqual([
      ["IST0177", "warning", "se-https", lineOf(yaml, "protocol: HTTPS"), message],
      ["IST0177", "warning", "se-tls", lineOf(yaml, "protocol: TLS"), message],
    ]);
  });

  it("compares protocols case-insensitively and only within a shared export scope", () => {
    expect(run(conflictingServiceEntryProtocolAnalyzer, entry("a", "default", "https") + entry("b", "default", "HTTPS"))).toEqual([]);
    const local = (ns: string, p: string) => entry(`se-${ns}`, ns, p, "  exportTo: ['.']\n");
    expect(run(conflictingServiceEntryProtocolAnalyzer, local("ns1", "HTTP") + local("ns2", "HTTPS"))).toEqual([]);
    expect(run(conflictingServiceEntryProtocolAnalyzer, local("ns1", "HTTP") + entry("global", "ns2", "HTTPS")).map((f) => f.resource?.name)).toEqual(["se-ns1", "global"]);
  });
});
