import { describe, expect, it } from "vitest";
import { diffConfigSets } from "../../src/diff/diff-config-sets.ts";
import { formatFieldChanges } from "../../src/diff/format-field-changes.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";

const parse = (text: string) => parseDocuments({ path: "x.yaml", content: text }).resources;

const vs = (apiVersion: string, body: string) => `apiVersion: networking.istio.io/${apiVersion}
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
${body}`;

const canary = (v1: number, v2: number) => `  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: ${v1}
    - destination: {host: reviews, subset: v2}
      weight: ${v2}
`;

describe("diffConfigSets", () => {
  it("reports a weight shift as two field changes with head lines", () => {
    const [change, ...rest] = diffConfigSets(parse(vs("v1", canary(90, 10))), parse(vs("v1", canary(70, 30))));
    expect(rest).toEqual([]);
    expect(change?.type).toBe("changed");
    expect(change?.fields.map((f) => [f.path.join("."), f.before, f.after])).toEqual([
      ["spec.http.0.route.0.weight", 90, 70],
      ["spec.http.0.route.1.weight", 10, 30],
    ]);
    expect(formatFieldChanges(change?.fields ?? [], change?.head)).toBe(
      "@@ spec.http[0].route[0] line 11 @@\n- weight: 90\n+ weight: 70\n@@ spec.http[0].route[1] line 13 @@\n- weight: 10\n+ weight: 30",
    );
  });

  it("ignores key order, formatting, apiVersion spelling and defaulted weights", () => {
    const base = vs("v1alpha3", "  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n");
    const head = vs("v1", "  http:\n    - route:\n        - weight: 100\n          destination:\n            host: reviews\n  hosts:\n    - reviews\n");
    expect(diffConfigSets(parse(base), parse(head))).toEqual([]);
  });

  it("matches named items by name, so an inserted subset is one addition", () => {
    const dr = (subsets: string[]) =>
      `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets:\n${subsets.map((s) => `  - name: ${s}\n    labels: {version: ${s}}\n`).join("")}`;
    const [change] = diffConfigSets(parse(dr(["v1", "v2"])), parse(dr(["v0", "v1", "v2"])));
    expect(change?.fields.map((f) => [f.type, f.path.join(".")])).toEqual([["added", "spec.subsets.0"]]);
  });

  it("says a rename is a removal plus an addition of the same content", () => {
    const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: {istio-injection: enabled}\n`;
    const changes = diffConfigSets(parse(ns("shop")), parse(ns("store")));
    expect(changes.map((c) => [c.type, c.resource.name, c.renamedFrom?.name ?? c.renamedTo?.name])).toEqual([
      ["removed", "shop", "store"],
      ["added", "store", "shop"],
    ]);
  });

  it("ignores the cluster's bookkeeping and the status block", () => {
    const base = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  resourceVersion: '1'\nstatus: {phase: Active}\n";
    expect(diffConfigSets(parse(base), parse("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"))).toEqual([]);
  });
});
