import { describe, expect, it } from "vitest";
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
});
