import { describe, expect, it } from "vitest";
import { DEFAULT_MESH_CONFIG } from "../../src/mesh/mesh-config.ts";
import { policyOptions } from "../../src/policy/policy-options.ts";
import { checkConfig } from "../../src/review/check-config.ts";
import { duplicateResourceAnalyzer } from "../../src/validation/duplicate-resource-analyzer.ts";

const ns = (name: string, extra = "") => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${extra}`;

describe("checkConfig", () => {
  it("reports an object defined twice, on the second definition", () => {
    const { findings } = checkConfig(
      [
        { path: "a.yaml", content: ns("shop") },
        { path: "b.yaml", content: `${ns("other")}---\n${ns("shop")}` },
      ],
      { analyzers: [duplicateResourceAnalyzer] },
    );
    expect(findings).toEqual([
      expect.objectContaining({ code: "MG1013", file: "b.yaml", line: 9, message: "Namespace shop is also defined at a.yaml:1; only one of them can be applied (the last one wins)." }),
    ]);
  });

  it("honours galley.istio.io/analyze-suppress for listed codes and *", () => {
    const suppressed = (value: string) =>
      checkConfig(
        [{ path: "a.yaml", content: `${ns("shop")}---\n${ns("shop", `  annotations:\n    galley.istio.io/analyze-suppress: "${value}"\n`)}` }],
        { analyzers: [duplicateResourceAnalyzer] },
      ).findings.map((f) => f.code);
    expect(suppressed("IST0101")).toEqual(["MG1013"]);
    expect(suppressed("IST0101, MG1013")).toEqual([]);
    expect(suppressed("*")).toEqual([]);
  });

  it("drops resources in namespaces Istio never analyzes", () => {
    const { set } = checkConfig([{ path: "a.yaml", content: "apiVersion: v1\nkind: Service\nmetadata: {name: dns, namespace: kube-system}\n" }], { analyzers: [] });
    expect(set.resources.filter((r) => !r.synthetic)).toEqual([]);
  });

  it("reads the MeshConfig from the istio ConfigMap when none is given", () => {
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n    rootNamespace: mesh-root\n    ingressControllerMode: 'OFF'\n";
    const { set } = checkConfig([{ path: "cm.yaml", content: cm }], { analyzers: [] });
    expect(set.meshConfig.rootNamespace).toBe("mesh-root");
    // With the ingress controller off, Istio adds no default ingress Pod and Service.
    expect(set.resources.some((r) => r.synthetic)).toBe(false);
  });

  it("reports a MeshConfig in the istio ConfigMap that cannot be read, on data.mesh, and goes on with the defaults", () => {
    const cm = (mesh: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |-\n${mesh.replace(/^/gm, "    ")}\n`;
    for (const mesh of ["defaultConfig:\n  proxyMetadata: [oops", "- a\n- b"]) {
      for (const options of [{ analyzers: [] }, { analyzers: [], meshConfig: DEFAULT_MESH_CONFIG }]) {
        const { findings, set } = checkConfig([{ path: "cm.yaml", content: cm(mesh) }], options);
        expect(findings).toEqual([expect.objectContaining({ code: "MG1014", severity: "error", file: "cm.yaml", line: 5, path: "data.mesh" })]);
        expect(set.meshConfig.rootNamespace).toBe("istio-system");
      }
    }
    expect(checkConfig([{ path: "cm.yaml", content: cm("defaultConfig:\n  proxyMetadata: [oops") }], { analyzers: [] }).findings[0]?.message)
      .toMatch(/^data\.mesh is not a valid MeshConfig: line 2 of it: /);
    expect(checkConfig([{ path: "cm.yaml", content: cm("") }], { analyzers: [] }).findings).toEqual([]);
  });

  it("says why a string field got a boolean: kubectl reads an unquoted yes as one", () => {
    const vs = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: v, namespace: ns}\nspec:\n  hosts: [r]\n  http:\n  - headers: {request: {set: {x-flag: yes, x-off: 'off'}}}\n    route: [{destination: {host: r}}]\n";
    const { findings } = checkConfig([{ path: "vs.yaml", content: vs }], { analyzers: [] });
    expect(findings).toEqual([expect.objectContaining({ code: "MG2002", line: 7, column: 31, path: "spec.http[0].headers.request.set.x-flag" })]);
    expect(findings[0]?.message).toMatch(/must be of type string.*\(`yes` is read as the boolean true by kubectl, as in YAML 1\.1; quote it: "yes"\)$/);
    // A boolean field takes it as kubectl does: no finding.
    const dr = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d, namespace: ns}\nspec:\n  host: r\n  trafficPolicy: {tls: {mode: SIMPLE, insecureSkipVerify: yes}}\n";
    expect(checkConfig([{ path: "dr.yaml", content: dr }], { analyzers: [] }).findings).toEqual([]);
  });

  it("keeps one error per field, not per line: schema and webhook errors on other fields of a line all stay", () => {
    const dr = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d, namespace: ns}\nspec:\n  host: r\n  trafficPolicy: {outlierDetection: {consecutive5xxErrors: -1, maxEjectionPercent: 200}}\n";
    const onLine = checkConfig([{ path: "dr.yaml", content: dr }], { analyzers: [] }).findings;
    expect(onLine.map((f) => [f.line, f.code, f.path])).toEqual([
      [6, "MG2005", "spec.trafficPolicy.outlierDetection.consecutive5xxErrors"],
      [6, "IST0106", "spec.trafficPolicy.outlierDetection.maxEjectionPercent"],
    ]);
    // The CRD and the webhook both refuse port 70000: one error for the field.
    const se = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: s, namespace: ns}\nspec:\n  hosts: [a.example.com]\n  ports: [{number: 70000, name: http, protocol: HTTP}]\n  resolution: DNS\n";
    expect(checkConfig([{ path: "se.yaml", content: se }], { analyzers: [] }).findings.map((f) => f.path)).toEqual(["spec.ports[0].number"]);
  });

  it("reports webhook rules as istioctl does (IST0106, schema.ValidationAnalyzer.<Kind>), so analyze-suppress: IST0106 works", () => {
    const vs = (annotations: string) => `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: v, namespace: ns${annotations}}\nspec:\n  hosts: [r]\n  http: [{route: [{destination: {host: r}, weight: -1}]}]\n`;
    const [finding] = checkConfig([{ path: "vs.yaml", content: vs("") }], { analyzers: [] }).findings;
    expect(finding).toMatchObject({ code: "IST0106", rule: "schema.ValidationAnalyzer.VirtualService", message: "Schema validation error: weight -1 < 0", family: "weight" });
    expect(checkConfig([{ path: "vs.yaml", content: vs(", annotations: {galley.istio.io/analyze-suppress: IST0106}") }], { analyzers: [] }).findings).toEqual([]);
  });

  it("suppresses by kind key: an annotated Gateway API Gateway does not silence Istio's Gateway of the same name", () => {
    const k8s = (annotation: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: foo, namespace: ns${annotation}}\nspec:\n  gatewayClassName: istio\n  listeners: [{name: http, port: 80, protocol: HTTP}]\n`;
    const istio = (annotation: string) => `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: foo, namespace: ns${annotation}}\nspec:\n  selector: {istio: ingressgateway}\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [a.example.com], bogus: 1}]\n`;
    const all = ", annotations: {galley.istio.io/analyze-suppress: '*'}";
    const codes = (text: string) => checkConfig([{ path: "gw.yaml", content: text }], { analyzers: [] }).findings.map((f) => [f.code, f.line]);
    expect(codes(`${k8s(all)}---\n${istio("")}`)).toEqual([["MG2001", 13]]);
    expect(codes(`${istio("")}---\n${k8s(all)}`)).toEqual([["MG2001", 6]]);
    expect(codes(`${k8s("")}---\n${istio(all)}`)).toEqual([]);
  });

  it("never lets analyze-suppress silence a policy: its exemptions live in .meshgate.yaml", () => {
    const pa = (annotation: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\n${annotation}spec:\n  mtls: {mode: DISABLE}\n`;
    const { policy } = policyOptions({ file: ".meshgate.yaml", text: undefined, today: "2026-01-01" });
    const codes = (text: string) => checkConfig([{ path: "pa.yaml", content: text }], { analyzers: [], policy }).findings.map((f) => f.code);
    expect(codes(pa(""))).toContain("MG5001");
    expect(codes(pa("  annotations:\n    galley.istio.io/analyze-suppress: \"*\"\n"))).toContain("MG5001");
    expect(codes(pa("  annotations:\n    galley.istio.io/analyze-suppress: MG5001\n"))).toContain("MG5001");
  });
});
