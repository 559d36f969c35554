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
    const doc = "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n";
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

const MARK = "SUPERSECRET";

/** A document of `kind` with `rest` (metadata given) after its head. */
function doc(kind: string, rest: string, apiVersion = "v1"): string {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: s, namespace: x}\n${rest}`;
}

describe("parseDocuments never lets a Secret's values into a finding", () => {
  // One document per finding the parser can give on a Secret, each with the marker where a value stands.
  it.each([
    ["an unquoted template (MG1006)", doc("Secret", `stringData:\n  password: {{ ${MARK} }}\n`), "MG1006"],
    ["a quoted Helm template (MG1006)", doc("Secret", `stringData:\n  password: "{{ .Values.${MARK} }}"\n`), "MG1006"],
    ["a template when the kind is templated too (MG1006)", `apiVersion: v1\nkind: {{ .Values.kind }}\nmetadata: {name: s}\nstringData: {p: {{ ${MARK} }}}\n`, "MG1006"],
    ["a block scalar header with text after it (MG1001)", doc("Secret", `stringData:\n  password: |${MARK}\n    x\n`), "MG1001"],
    ["a bad escape sequence (MG1001)", doc("Secret", `stringData:\n  password: "${MARK}\\q"\n`), "MG1001"],
    ["an unclosed quote (MG1001)", doc("Secret", `stringData:\n  password: '${MARK}\n`), "MG1001"],
    ["a reserved first character (MG1001)", doc("Secret", `stringData:\n  password: @${MARK}\n`), "MG1001"],
    ["an unresolved alias (MG1001)", doc("Secret", `stringData:\n  password: *${MARK}\n`), "MG1001"],
    ["a duplicate key (MG1002)", doc("Secret", `stringData: {a: ${MARK}1, a: ${MARK}2}\n`), "MG1002"],
    ["a tab (MG1003)", doc("Secret", `stringData:\n\tpassword: ${MARK}\n`), "MG1003"],
    ["a List item that is not a mapping (MG1004)", `apiVersion: v1\nkind: List\nitems:\n- ${doc("Secret", "").replace(/\n(?=.)/g, "\n  ")}- ${MARK}\n`, "MG1004"],
    ["no metadata.name (MG1005)", `apiVersion: v1\nkind: Secret\nmetadata: {namespace: x}\nstringData: {password: ${MARK}}\n`, "MG1005"],
    ["an alias bomb (MG1011)", doc("Secret", `stringData:\n  a: &a [${MARK},${MARK}]\n  b: [${Array(120).fill("*a").join(",")}]\n`), "MG1011"],
    ["an apiVersion not served (MG1012)", doc("Secret", `stringData: {password: ${MARK}}\n`, "v2"), "MG1012"],
    ["a kind in the wrong group (MG1012)", doc("Secret", `stringData: {password: ${MARK}}\n`, "networking.istio.io/v1"), "MG1012"],
  ])("%s", (_, text, code) => {
    const { findings, resources } = parseDocuments({ path: "secret.yaml", content: text });
    expect(findings.map((f) => f.code)).toContain(code);
    expect(JSON.stringify(findings)).not.toContain(MARK);
    expect(JSON.stringify(resources.map((r) => r.body))).not.toContain(MARK);
  });

  it("would have shown the text in another kind (the cases above are real leaks)", () => {
    const leaky = [`stringData:\n  password: |${MARK}\n    x\n`, `stringData:\n  password: {{ ${MARK} }}\n`, `stringData:\n  password: *${MARK}\n`];
    for (const rest of leaky) expect(JSON.stringify(parseDocuments({ path: "c", content: doc("ConfigMap", rest) }).findings)).toContain(MARK);
  });

  it("drops kubectl's last-applied-configuration, a copy of the data, from a Secret", () => {
    const last = JSON.stringify({ apiVersion: "v1", kind: "Secret", data: { key: MARK } });
    const text = doc("Secret", `data: {key: c2VjcmV0}\n`).replace("metadata: {name: s, namespace: x}", `metadata:\n  name: s\n  namespace: x\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '${last}'\n    team: shop\n`);
    const [secret] = parseDocuments({ path: "s", content: text }).resources;
    expect(secret?.annotations).toEqual({ team: "shop" });
    expect(JSON.stringify(secret?.body)).not.toContain(MARK);
  });
});

describe("parseDocuments reports unrendered templates, not template text that is content", () => {
  it.each([
    ["a PrometheusRule annotation", "monitoring.coreos.com/v1", "PrometheusRule", `spec:\n  groups:\n  - name: g\n    rules:\n    - alert: A\n      annotations:\n        summary: "{{ $labels.destination_service }} is failing"\n`],
    ["an Alertmanager template in a ConfigMap", "v1", "ConfigMap", `data:\n  slack.tmpl: |\n    {{ define "slack.title" }}\n    {{ range .Alerts }}{{ .Labels.alertname }}{{ end }}\n    {{ end }}\n`],
    ["a quoted header value", "networking.istio.io/v1", "VirtualService", `spec:\n  hosts: [r]\n  http:\n  - headers: {request: {set: {x-t: "{{literally}}"}}}\n    route: [{destination: {host: r}}]\n`],
    ["a plain scalar with a template inside", "v1", "ConfigMap", "data:\n  a: foo-{{ .x }}\n"],
    ["a comment", "v1", "ConfigMap", "# {{ end }}\ndata: {a: b}\n"],
  ])("accepts %s", (_, apiVersion, kind, rest) => {
    const { findings } = parseDocuments({ path: "t.yaml", content: doc(kind, rest, apiVersion) });
    expect(findings.filter((f) => f.code === "MG1006")).toEqual([]);
  });

  // The line is that of the template: line 4 is the first after the document's head.
  it.each([
    ["an unquoted template value", "data:\n  a: {{ .name }}\n", 5],
    ["a control line", "data:\n  a: b\n{{- if .y }}\n  c: d\n{{- end }}\n", 6],
    ["a control line YAML folds into a plain scalar", "data:\n  a: b\n    {{ end }}\n", 6],
    ["a template key", "data:\n  {{ .k }}: v\n", 5],
    ["an unquoted template followed by text", "data:\n  summary: {{ $labels.x }} is failing\n", 5],
  ])("reports %s (MG1006)", (_, rest, line) => {
    const { findings, resources } = parseDocuments({ path: "t.yaml", content: doc("ConfigMap", rest) });
    expect(resources).toEqual([]);
    expect(findings.map((f) => [f.code, f.line])).toEqual([["MG1006", line]]);
  });

  // Inside a string the API server reads the template as literal text, so istioctl loads the resource:
  // meshgate warns (it is still most likely an unrendered chart) and checks the resource as read.
  it.each([
    ["Helm's names inside quotes", `data:\n  a: "{{ .Values.x }}"\n`, 5],
    ["toYaml inside a block scalar", "data:\n  a: |\n    {{ toYaml .x }}\n", 6],
  ])("warns on %s and keeps the resource (MG1006)", (_, rest, line) => {
    const { findings, resources } = parseDocuments({ path: "t.yaml", content: doc("ConfigMap", rest) });
    expect(resources.map((r) => r.name)).toHaveLength(1);
    expect(findings.map((f) => [f.code, f.severity, f.line])).toEqual([["MG1006", "warning", line]]);
  });
});

describe("parseDocuments: a known kind with the wrong apiVersion group", () => {
  it.each([
    ["PeerAuthentication", "networking.istio.io/v1", "did you mean apiVersion security.istio.io/v1?"],
    ["PeerAuthentication", "networking.istio.io/v1alpha3", "did you mean apiVersion security.istio.io/v1?"],
    ["VirtualService", "v1", "did you mean apiVersion networking.istio.io/v1?"],
    ["Gateway", "networking.k8s.io/v1", "did you mean apiVersion networking.istio.io/v1 or gateway.networking.k8s.io/v1?"],
    ["Deployment", "extensions/v1beta1", "did you mean apiVersion apps/v1?"],
    ["Virtualservice", "networking.istio.io/v1beta1", "did you mean VirtualService (networking.istio.io/v1beta1)?"],
  ])("%s in %s is an error on apiVersion", (kind, apiVersion, meant) => {
    const text = `kind: ${kind}\napiVersion: ${apiVersion}\nmetadata: {name: a, namespace: ns}\n`;
    const { findings, resources } = parseDocuments({ path: "k.yaml", content: text });
    expect(resources).toEqual([]);
    expect(findings).toEqual([expect.objectContaining({ code: "MG1012", severity: "error", line: 2 })]);
    expect(findings[0]?.message).toContain(meant);
  });

  it("leaves same-named kinds of other projects unknown (Knative's Service)", () => {
    const { findings } = parseDocuments({ path: "k.yaml", content: "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: a}\n" });
    expect(findings.map((f) => [f.code, f.severity])).toEqual([["MG1007", "info"]]);
  });
});

describe("parseDocuments: limits name the flag that raises them", () => {
  it.each([
    [{ maxFileBytes: 3 }, "x: 1\n", "`--max-file-bytes` or `limits.maxFileBytes` in .meshgate.yaml"],
    [{ maxDocumentsPerFile: 1 }, "a: 1\n---\nb: 1\n", "`--max-documents` or `limits.maxDocumentsPerFile` in .meshgate.yaml"],
    [{ maxAliasCount: 1 }, "a: &a [1]\nb: [*a, *a, *a]\n", "`--max-aliases` or `limits.maxAliasCount` in .meshgate.yaml"],
  ])("%j", (limits, text, hint) => {
    const { findings } = parseDocuments({ path: "l.yaml", content: text }, { limits });
    expect(findings.some((f) => f.message.includes(hint))).toBe(true);
  });
});

describe("parseDocuments reads YAML as kubectl does", () => {
  it("merges `<<` keys and bounds merges like aliases", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m, namespace: x, labels: {<<: &l {app: a, v: one}, v: two}}\n";
    expect(parseDocuments({ path: "m", content: text }).resources[0]?.labels).toEqual({ app: "a", v: "two" });
    const levels = ["a: &a {k: 1}", ...[..."bcdefgh"].map((k, i) => `${k}: &${k} {<<: [${Array(10).fill(`*${"abcdefg"[i] ?? "a"}`).join(", ")}]}`)];
    expect(parseDocuments({ path: "bomb", content: `${levels.join("\n")}\n` }).findings.map((f) => f.code)).toEqual(["MG1011"]);
  });

  it("says a boolean name is one, and where each YAML 1.1 boolean stands", () => {
    const { findings } = parseDocuments({ path: "b", content: "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n" });
    expect(findings[0]?.message).toMatch(/no string `metadata.name` \(it is a boolean/);
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: yes\n  b: 'no'\n  c: [on, true]\n";
    expect(parseDocuments({ path: "b", content: text }).yaml11Booleans).toEqual([
      { file: "b", line: 5, column: 3, word: "yes", value: true },
      { file: "b", line: 7, column: 7, word: "on", value: true },
    ]);
  });
});
