import { describe, expect, it } from "vitest";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";

const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 90
    - destination: {host: reviews, subset: v2}
      weight: 10
`;

describe("parseDocuments", () => {
  it("keeps the line and column of every field", () => {
    const { resources, findings } = parseDocuments({ path: "vs.yaml", content: vs });
    expect(findings).toEqual([]);
    const [r] = resources;
    expect(r?.key).toBe("VirtualService.networking.istio.io");
    expect(r?.locate(["spec", "http", 0, "route", 1, "weight"])).toEqual({ line: 13, column: 7 });
    expect(r?.locate(["spec", "http", 0, "route", 1])).toEqual({ line: 12, column: 7 });
    // A path that does not exist points at its deepest existing ancestor.
    expect(r?.locate(["spec", "http", 0, "timeout"])).toEqual({ line: 9, column: 5 });
  });

  it("expands kind: List and positions items inside it", () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a, namespace: x}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b, namespace: x}\n`;
    const { resources } = parseDocuments({ path: "l.yaml", content: text });
    expect(resources.map((r) => r.name)).toEqual(["a", "b"]);
    expect(resources[1]?.locate(["metadata", "name"]).line).toBe(9);
  });

  it.each([
    ["a: [1\n", "MG1001", 2],
    ["apiVersion: v1\nkind: Service\nkind: Pod\nmetadata: {name: x}\n", "MG1002", 3],
    ["apiVersion: v1\nkind: Service\nmetadata:\n\tname: x\n", "MG1003", 4],
    ["- a\n- b\n", "MG1004", 1],
    ["apiVersion: v1\nkind: Service\nmetadata: {}\n", "MG1005", 1],
    ["apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n", "MG1006", 4],
    ["apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n", "MG1007", 1],
    ["apiVersion: networking.istio.io/v9\nkind: VirtualService\nmetadata: {name: w}\n", "MG1012", 1],
  ])("reports bad input %j as %s on line %i", (text, code, line) => {
    const { findings, resources } = parseDocuments({ path: "bad.yaml", content: text });
    expect(resources).toEqual([]);
    expect(findings.map((f) => [f.code, f.line, f.file])).toContainEqual([code, line, "bad.yaml"]);
  });

  it("skips empty documents: a trailing ---, comments only", () => {
    const text = "# header\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n# nothing here\n---\n";
    const { resources, findings } = parseDocuments({ path: "e.yaml", content: text });
    expect([resources.map((r) => r.name), findings]).toEqual([["a"], []]);
  });

  it("bounds alias expansion (billion laughs)", () => {
    const bomb = ["a: &a [x,x,x,x,x,x,x,x,x,x]", ...["b", "c", "d", "e", "f"].map((k, i) => `${k}: &${k} [${Array(10).fill(`*${"abcde"[i]}`).join(",")}]`)].join("\n");
    const { findings } = parseDocuments({ path: "bomb.yaml", content: `${bomb}\n` });
    expect(findings.map((f) => f.code)).toEqual(["MG1011"]);
  });

  it("refuses binary, non-UTF-8 and oversized files with a message", () => {
    expect(parseDocuments({ path: "b", content: new Uint8Array([0x61, 0, 0x62]) }).findings[0]?.code).toBe("MG1008");
    expect(parseDocuments({ path: "b", content: new Uint8Array([0xff, 0xfe, 0xfd]) }).findings[0]?.code).toBe("MG1008");
    const big = parseDocuments({ path: "b", content: "x: 1\n" }, { limits: { maxFileBytes: 3 } });
    expect(big.findings[0]?.message).toMatch(/over the 3-byte limit/);
  });

  it("stops at the document limit and says so", () => {
    const doc = "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n";
    const { resources, findings } = parseDocuments({ path: "m", content: `${doc}---\n${doc}---\n${doc}` }, { limits: { maxDocumentsPerFile: 2 } });
    expect(resources).toHaveLength(2);
    expect(findings.map((f) => f.code)).toEqual(["MG1010"]);
  });

  it("never keeps a Secret's data", () => {
    const { resources } = parseDocuments({ path: "s", content: "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: x}\ntype: kubernetes.io/tls\ndata: {tls.crt: c2VjcmV0}\nstringData: {k: v}\n" });
    expect(JSON.stringify(resources[0]?.body)).not.toMatch(/c2VjcmV0|stringData/);
    expect(resources[0]?.body.type).toBe("kubernetes.io/tls");
  });

  it("gives namespace-less resources the default namespace, cluster-scoped ones none", () => {
    const text = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n";
    const { resources } = parseDocuments({ path: "n", content: text }, { defaultNamespace: "default" });
    expect(resources.map((r) => r.namespace)).toEqual(["default", ""]);
  });
});
