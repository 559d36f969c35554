import { describe, expect, it } from "vitest";
import { buildConfigSet } from "../../src/mesh/config-set.ts";
import { DEFAULT_MESH_CONFIG } from "../../src/mesh/mesh-config.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { collectProbes, diffAuthorization, simulateAuthorization, workloadsWithChangedPolicies } from "../../src/simulation/simulate-authorization.ts";
import { checkConfig } from "../../src/review/check-config.ts";

// Verdicts are worked out from semantics.md §c: CUSTOM, then DENY, then "no ALLOW policy → allow",
// then any matching ALLOW → allow, else deny; `spec: {}` is allow-nothing, `rules: [{}]` allow-all.
const set = (text: string) => buildConfigSet(parseDocuments({ path: "m.yaml", content: text }).resources, DEFAULT_MESH_CONFIG);
const orders = "apiVersion: v1\nkind: Pod\nmetadata: {name: orders, namespace: shop, labels: {app: orders}}\nspec: {containers: [{name: app, image: orders}]}\n---\n";
const policy = (name: string, ns: string, spec: string) => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}---\n`;
const allowFrontend = (methods: string) =>
  policy("orders", "shop", `  selector: {matchLabels: {app: orders}}\n  rules:\n  - from: [{source: {principals: [cluster.local/ns/shop/sa/frontend]}}]\n    to: [{operation: {methods: [${methods}], paths: [/api/orders]}}]\n`);

function verdicts(text: string): Record<string, string> {
  const s = set(text);
  const [w] = simulateAuthorization(s, collectProbes([s]));
  return Object.fromEntries([...(w?.verdicts.values() ?? [])].map((v) => [`${v.probe.caller} ${v.probe.method} ${v.probe.path}`, v.verdict]));
}

describe("simulateAuthorization", () => {
  it("allows everything when no policy applies", () => {
    expect(Object.values(verdicts(orders))).toEqual(["allow"]);
  });

  it("allows only what an ALLOW policy matches once one exists", () => {
    const v = verdicts(orders + allowFrontend("GET, POST"));
    expect(v["frontend (shop) POST /api/orders"]).toBe("allow");
    expect(v["frontend (shop) GET /"]).toBe("deny");
    expect(v["a caller without mTLS identity GET /api/orders"]).toBe("deny");
  });

  it("lets DENY win over ALLOW", () => {
    const deny = policy("no-post", "shop", "  action: DENY\n  rules:\n  - to: [{operation: {methods: [POST]}}]\n");
    const v = verdicts(orders + allowFrontend("GET, POST") + deny);
    expect([v["frontend (shop) POST /api/orders"], v["frontend (shop) GET /api/orders"]]).toEqual(["deny", "allow"]);
  });

  it("treats spec: {} as allow-nothing and rules: [{}] as allow-all, also from the root namespace", () => {
    expect(new Set(Object.values(verdicts(orders + policy("nothing", "shop", "  {}\n"))))).toEqual(new Set(["deny"]));
    expect(new Set(Object.values(verdicts(orders + policy("all", "istio-system", "  rules: [{}]\n"))))).toEqual(new Set(["allow"]));
  });
});

describe("diffAuthorization", () => {
  it("says in words who lost which access", () => {
    const before = set(orders + allowFrontend("GET, POST"));
    const after = set(orders + allowFrontend("GET"));
    const probes = collectProbes([before, after]);
    const changes = diffAuthorization(simulateAuthorization(before, probes), simulateAuthorization(after, probes));
    expect(changes.map((c) => c.sentence)).toEqual(["`frontend (shop)` can no longer POST `/api/orders` on `shop/orders`"]);
  });

  it("says who gained access when a policy is removed", () => {
    const before = set(orders + allowFrontend("GET"));
    const after = set(orders);
    const probes = collectProbes([before, after]);
    const sentences = diffAuthorization(simulateAuthorization(before, probes), simulateAuthorization(after, probes)).map((c) => c.sentence);
    expect(sentences).toContain("`a caller without mTLS identity` can now GET `/api/orders` on `shop/orders`");
    expect(sentences).not.toContain("`frontend (shop)` can now GET `/api/orders` on `shop/orders`");
  });
});

describe("workloadsWithChangedPolicies", () => {
  const workloads = `apiVersion: v1
kind: Pod
metadata: { name: a, namespace: shop, labels: { app: a } }
spec: { containers: [{ name: c, image: i }] }
---
apiVersion: v1
kind: Pod
metadata: { name: b, namespace: shop, labels: { app: b } }
spec: { containers: [{ name: c, image: i }] }
`;
  const policy = (methods: string) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: a-only, namespace: shop }
spec:
  selector: { matchLabels: { app: a } }
  rules: [{ to: [{ operation: { methods: [${methods}] } }] }]
`;
  const setOf = (...contents: string[]) => checkConfig(contents.map((content, i) => ({ path: `f${i}.yaml`, content }))).set;

  it("names only the workloads whose applicable policies changed, so only their access is simulated", () => {
    expect(workloadsWithChangedPolicies(setOf(workloads, policy("GET")), setOf(workloads, policy("GET, POST")))).toEqual(new Set(["shop/a"]));
    expect(workloadsWithChangedPolicies(setOf(workloads, policy("GET")), setOf(workloads, policy("GET")))).toEqual(new Set());
  });
});
