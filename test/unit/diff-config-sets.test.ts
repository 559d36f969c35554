import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { diffConfigSets } from "../../src/diff/diff-config-sets.ts";
import { KIND_DEFAULTS } from "../../src/diff/kind-defaults.ts";
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

describe("diffConfigSets: defaults", () => {
  // Case V of the audit: each head spells out what the base leaves to its default.
  const pair = (base: string, head: string) => diffConfigSets(parse(base), parse(head));

  it("AuthorizationPolicy: action defaults to ALLOW (authorization_policy.proto)", () => {
    const ap = (action: string) => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: orders, namespace: shop}\nspec:\n${action}  selector: {matchLabels: {app: orders}}\n  rules:\n  - from: [{source: {principals: [cluster.local/ns/shop/sa/frontend]}}]\n`;
    expect(pair(ap(""), ap("  action: ALLOW\n"))).toEqual([]);
    const [deny] = pair(ap(""), ap("  action: DENY\n"));
    expect(deny?.fields.map((f) => [f.type, f.path.join("."), f.before, f.after])).toEqual([["changed", "spec.action", "ALLOW", "DENY"]]);
  });

  it("VirtualService: no gateways means the mesh; no weight is 100 for a lone destination and 0 among several", () => {
    expect(pair(vs("v1", "  hosts: [web]\n  http:\n  - route: [{destination: {host: web}}]\n"), vs("v1", "  hosts: [web]\n  gateways: [mesh]\n  http:\n  - route: [{destination: {host: web}, weight: 100}]\n"))).toEqual([]);
    expect(pair(vs("v1", canary(100, 0).replace("      weight: 0\n", "")), vs("v1", canary(100, 0)))).toEqual([]);
    // A gateway that is not the mesh is a change: the routes leave the sidecars.
    const [gw] = pair(vs("v1", "  hosts: [web]\n"), vs("v1", "  hosts: [web]\n  gateways: [shop/gw]\n"));
    expect(gw?.fields.map((f) => [f.path.join("."), f.before, f.after])).toEqual([["spec.gateways.0", "mesh", "shop/gw"]]);
  });

  const route = (spec: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: store, namespace: shop}\nspec:\n${spec}`;

  it("HTTPRoute: the CRD's defaults (parentRef group and kind, backendRef group, kind and weight, matches PathPrefix /)", () => {
    const base = route("  parentRefs: [{name: gw}]\n  rules:\n  - backendRefs: [{name: store-v1, port: 80}]\n");
    const head = route(
      "  parentRefs: [{name: gw, group: gateway.networking.k8s.io, kind: Gateway}]\n  rules:\n  - backendRefs: [{name: store-v1, port: 80, weight: 1, kind: Service, group: \"\"}]\n    matches: [{path: {type: PathPrefix, value: /}}]\n",
    );
    expect(pair(base, head)).toEqual([]);
    // A header match without a path still matches only under the default PathPrefix /.
    expect(pair(route("  rules:\n  - matches: [{headers: [{name: x, value: y}]}]\n"), route("  rules:\n  - matches: [{headers: [{name: x, value: y, type: Exact}], path: {type: PathPrefix, value: /}}]\n"))).toEqual([]);
    // No rules at all: one rule matching every path (the CRD's default for `rules`).
    expect(pair(route("  parentRefs: [{name: gw}]\n"), route("  parentRefs: [{name: gw}]\n  rules: [{matches: [{path: {type: PathPrefix, value: /}}]}]\n"))).toEqual([]);
  });

  it("HTTPRoute: a weight moved off its default of 1 shows as 1 → 3", () => {
    const two = (w: string) => route(`  rules:\n  - backendRefs:\n    - {name: v1, port: 80}\n    - {name: v2, port: 80${w}}\n`);
    const [change] = pair(two(""), two(", weight: 3"));
    expect(change?.fields.map((f) => [f.type, f.path.join("."), f.before, f.after])).toEqual([["changed", "spec.rules.0.backendRefs.1.weight", 1, 3]]);
  });

  it("uses exactly the defaults the Gateway API CRDs declare (storage version, under spec)", () => {
    for (const file of readdirSync("crds/gateway-api")) {
      const crd = parseYaml(readFileSync(join("crds/gateway-api", file), "utf8")) as CrdFile;
      const version = crd.spec.versions.find((v) => v.storage);
      const spec = version?.schema.openAPIV3Schema.properties?.spec;
      const declared = spec ? crdDefaults(spec, "") : {};
      const key = `${crd.spec.names.kind}.${crd.spec.group}`;
      expect(KIND_DEFAULTS[key] ?? {}, key).toEqual(declared);
    }
  });
});

describe("diffConfigSets: added and removed resources", () => {
  const dr = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: shop\n  labels: {team: a}\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n";

  it("shows an added resource's fields, as written, as additions on their head lines", () => {
    const [added] = diffConfigSets([], parse(dr));
    expect(added?.type).toBe("added");
    expect(added?.fields.map((f) => [f.type, f.path.join("."), f.after])).toEqual([
      ["added", "metadata.labels", { team: "a" }],
      ["added", "spec.host", "reviews"],
      ["added", "spec.subsets", [{ name: "v1", labels: { version: "v1" } }]],
    ]);
    expect(formatFieldChanges(added?.fields ?? [], added?.head)).toBe(
      "@@ metadata line 6 @@\n+ labels:\n+   team: a\n@@ spec line 8 @@\n+ host: reviews\n@@ spec line 9 @@\n+ subsets:\n+   - name: v1\n+     labels:\n+       version: v1",
    );
  });

  it("shows a removed resource's fields as removals, without head lines", () => {
    const [removed] = diffConfigSets(parse(dr), []);
    expect(removed?.fields.map((f) => [f.type, f.path.join(".")])).toEqual([
      ["removed", "metadata.labels"],
      ["removed", "spec.host"],
      ["removed", "spec.subsets"],
    ]);
    expect(formatFieldChanges(removed?.fields ?? [], removed?.head)).toMatch(/^@@ metadata @@\n- labels:/);
  });

  it("does not fill defaults into what an added resource shows", () => {
    const ap = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: a, namespace: shop}\nspec:\n  rules: [{}]\n";
    expect(diffConfigSets([], parse(ap))[0]?.fields.map((f) => f.path.join("."))).toEqual(["spec.rules"]);
  });
});

interface CrdSchema {
  readonly default?: unknown;
  readonly properties?: Record<string, CrdSchema>;
  readonly items?: CrdSchema;
}
interface CrdFile {
  readonly spec: { readonly group: string; readonly names: { readonly kind: string }; readonly versions: readonly { readonly storage: boolean; readonly schema: { readonly openAPIV3Schema: CrdSchema } }[] };
}

/** Every `default` under a CRD schema node, by the path notation of KIND_DEFAULTS (`a[].b`). */
function crdDefaults(schema: CrdSchema, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (path !== "" && "default" in schema) out[path] = schema.default;
  for (const [key, sub] of Object.entries(schema.properties ?? {})) Object.assign(out, crdDefaults(sub, path === "" ? key : `${path}.${key}`));
  if (schema.items) Object.assign(out, crdDefaults(schema.items, `${path}[]`));
  return out;
}

describe("diffConfigSets: parts added to a changed resource", () => {
  it("are shown as written, without the defaults filled in to compare", () => {
    const route = (rules: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: store, namespace: shop}\nspec:\n  rules:\n  - backendRefs: [{name: v1, port: 80}]\n${rules}`;
    const [change] = diffConfigSets(parse(route("")), parse(route("  - matches: [{path: {value: /api}}]\n    backendRefs: [{name: api, port: 80}]\n")));
    expect(change?.fields.map((f) => [f.type, f.path.join("."), f.after])).toEqual([
      ["added", "spec.rules.1", { matches: [{ path: { value: "/api" } }], backendRefs: [{ name: "api", port: 80 }] }],
    ]);
    const [removed] = diffConfigSets(parse(vs("v1", canary(90, 10).replace("      weight: 10\n", ""))), parse(vs("v1", "  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: 90\n")));
    expect(removed?.fields.map((f) => [f.type, f.path.join("."), f.before])).toEqual([["removed", "spec.http.0.route.1", { destination: { host: "reviews", subset: "v2" } }]]);
  });
});
