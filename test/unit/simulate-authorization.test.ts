import { describe, expect, it } from "vitest";
import { buildConfigSet, type ConfigSet } from "../../src/mesh/config-set.ts";
import { DEFAULT_MESH_CONFIG } from "../../src/mesh/mesh-config.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { checkConfig } from "../../src/review/check-config.ts";
import { addressSamples, inIpBlock } from "../../src/simulation/authz-address-samples.ts";
import { MAX_PROBES } from "../../src/simulation/authz-probes.ts";
import { matchAuthzValue } from "../../src/simulation/match-authz-value.ts";
import {
  type AccessProbe,
  collectProbes,
  diffAuthorization,
  simulateAuthorization,
  type WorkloadAccess,
  workloadsWithChangedPolicies,
} from "../../src/simulation/simulate-authorization.ts";

// Every expected answer below is worked out from semantics.md §c ([api] authorization_policy.proto L25-37):
// CUSTOM, then DENY, then "no ALLOW policy → allow", then any matching ALLOW → allow, else deny; AUDIT
// never changes the answer; `spec: {}` allows nothing, `rules: [{}]` everything. Within a rule one source,
// one operation and all conditions must match; `not*` fields and `notValues` are negative matches.
const set = (text: string) => buildConfigSet(parseDocuments({ path: "m.yaml", content: text }).resources, DEFAULT_MESH_CONFIG);
const pod = (name: string, ns = "shop") => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}\nspec: {containers: [{name: app, image: ${name}}]}\n---\n`;
const orders = pod("orders");
const policy = (name: string, ns: string, spec: string, annotations = "") =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ${name}, namespace: ${ns}${annotations}}\nspec:\n${spec}---\n`;
const FRONTEND = "cluster.local/ns/shop/sa/frontend";
const allowFrontend = (methods: string) =>
  policy("orders", "shop", `  selector: {matchLabels: {app: orders}}\n  rules:\n  - from: [{source: {principals: [${FRONTEND}]}}]\n    to: [{operation: {methods: [${methods}], paths: [/api/orders]}}]\n`);

function simulate(text: string): WorkloadAccess[] {
  const s = set(text);
  return simulateAuthorization(s, collectProbes([s]));
}

/** The verdicts of the workload's probes that send these attributes (each probe varies only what policies test). */
function answers(access: WorkloadAccess | undefined, request: { [K in keyof AccessProbe]?: AccessProbe[K] | undefined }): string[] {
  const fits = (p: AccessProbe) => Object.entries(request).every(([k, v]) => (p as unknown as Record<string, unknown>)[k] === v);
  return [...new Set([...(access?.verdicts.values() ?? [])].filter((v) => fits(v.probe)).map((v) => v.verdict))];
}

function sentences(base: string, head: string): string[] {
  const [b, h] = [set(base), set(head)];
  const probes = collectProbes([b, h]);
  return diffAuthorization(simulateAuthorization(b, probes), simulateAuthorization(h, probes)).map((c) => c.sentence);
}

describe("simulateAuthorization", () => {
  it("allows everything when no policy applies", () => {
    const [w] = simulate(orders);
    expect([...(w?.verdicts.values() ?? [])].map((v) => v.verdict)).toEqual(["allow"]);
  });

  it("allows only what an ALLOW policy matches once one exists", () => {
    // One ALLOW policy for frontend GET/POST /api/orders: anything else matches no ALLOW → rule 5, deny.
    const [w] = simulate(orders + allowFrontend("GET, POST"));
    expect(answers(w, { principal: FRONTEND, method: "POST", path: "/api/orders" })).toEqual(["allow"]);
    expect(answers(w, { principal: FRONTEND, path: "/" })).toEqual(["deny"]);
    expect(answers(w, { caller: "callers without an mTLS identity", path: "/api/orders" })).toEqual(["deny"]);
  });

  it("probes a method no policy names, so ALLOW only GET denies POST and the rest", () => {
    // ALLOW methods [GET]: a POST matches no ALLOW rule → deny; a GET does → allow.
    const [w] = simulate(orders + policy("get-only", "shop", "  rules: [{to: [{operation: {methods: [GET]}}]}]\n"));
    const method = w?.probes.dimensions.find((d) => d.kind === "method");
    expect(method?.samples.some((s) => s.other && s.value !== "GET")).toBe(true);
    expect(answers(w, { method: "GET" })).toEqual(["allow"]);
    expect(answers(w, { method: "POST" })).toEqual(["deny"]);
    expect(sentences(orders, orders + policy("get-only", "shop", "  rules: [{to: [{operation: {methods: [GET]}}]}]\n"))).toEqual([
      "any caller can no longer call any path on `shop/orders` with a method other than GET",
    ]);
  });

  it("lets DENY win over ALLOW", () => {
    const deny = policy("no-post", "shop", "  action: DENY\n  rules:\n  - to: [{operation: {methods: [POST]}}]\n");
    const [w] = simulate(orders + allowFrontend("GET, POST") + deny);
    expect(answers(w, { principal: FRONTEND, method: "POST", path: "/api/orders" })).toEqual(["deny"]);
    expect(answers(w, { principal: FRONTEND, method: "GET", path: "/api/orders" })).toEqual(["allow"]);
  });

  it("treats spec: {} as allow-nothing and rules: [{}] as allow-all, also from the root namespace", () => {
    expect(answers(simulate(orders + policy("nothing", "shop", "  {}\n"))[0], {})).toEqual(["deny"]);
    expect(answers(simulate(orders + policy("all", "istio-system", "  rules: [{}]\n"))[0], {})).toEqual(["allow"]);
  });

  it("asks from inside and outside every IP block, the most specific block getting its own address", () => {
    // 10.0.0.0/8 holds 10.1.0.0/16: the /8's sample must avoid the /16, and "other" must be in neither.
    const { inside, outside } = addressSamples(["10.0.0.0/8", "10.1.0.0/16", "192.168.1.7"]);
    expect(inIpBlock(inside.get("10.0.0.0/8"), "10.1.0.0/16")).toBe(false);
    expect(inIpBlock(inside.get("10.0.0.0/8"), "10.0.0.0/8")).toBe(true);
    expect(inIpBlock(inside.get("10.1.0.0/16"), "10.1.0.0/16")).toBe(true);
    expect(inside.get("192.168.1.7")).toBe("192.168.1.7");
    for (const block of ["10.0.0.0/8", "10.1.0.0/16", "192.168.1.7"]) expect(inIpBlock(outside, block)).toBe(false);
    expect(inIpBlock("2001:db8::1", "2001:db8::/32")).toBe(true);
    expect(inIpBlock("10.1.2.3", "2001:db8::/32")).toBe(false);
  });

  it("decides ipBlocks by the caller's address, whoever the caller is", () => {
    // ALLOW from ipBlocks [10.1.0.0/16]: an address inside matches → allow; outside matches no ALLOW → deny.
    const allowBlock = policy("from-vpc", "shop", "  rules: [{from: [{source: {ipBlocks: [10.1.0.0/16]}}]}]\n");
    const [w] = simulate(orders + allowBlock);
    const [inside] = [...(w?.verdicts.values() ?? [])].filter((v) => inIpBlock(v.probe.address, "10.1.0.0/16")).map((v) => v.verdict);
    const outside = [...(w?.verdicts.values() ?? [])].filter((v) => !inIpBlock(v.probe.address, "10.1.0.0/16")).map((v) => v.verdict);
    expect([inside, ...new Set(outside)]).toEqual(["allow", "deny"]);
    expect(sentences(orders, orders + allowBlock)).toEqual(["any caller from addresses outside `10.1.0.0/16` can no longer call any path on `shop/orders`"]);
  });

  it("reads remoteIpBlocks as the caller's address too (no trusted proxies configured)", () => {
    const deny = policy("block", "shop", "  action: DENY\n  rules: [{from: [{source: {remoteIpBlocks: [203.0.113.0/24]}}]}]\n");
    expect(sentences(orders, orders + deny)).toEqual(["any caller from `203.0.113.0/24` can no longer call any path on `shop/orders`"]);
  });

  it("matches notPrincipals negatively, so a plaintext caller (no principal at all) is caught too", () => {
    // DENY from notPrincipals [frontend]: any request whose principal is not frontend matches → deny. A
    // plaintext request has no principal, which is not frontend, so it is denied as well.
    const deny = policy("only-frontend", "shop", `  action: DENY\n  rules: [{from: [{source: {notPrincipals: [${FRONTEND}]}}]}]\n`);
    const [w] = simulate(orders + deny);
    expect(answers(w, { principal: FRONTEND })).toEqual(["allow"]);
    expect(answers(w, { caller: "callers without an mTLS identity" })).toEqual(["deny"]);
    expect(answers(w, { caller: "any other mTLS identity" })).toEqual(["deny"]);
    expect(sentences(orders, orders + deny)).toEqual(["any caller except `frontend` in `shop` can no longer call any path on `shop/orders`"]);
  });

  it("reads a bare service account in the policy's namespace", () => {
    // serviceAccounts [frontend] in a shop policy means shop/frontend ([istio] serviceAccountRegex).
    const allow = policy("sa", "shop", "  rules: [{from: [{source: {serviceAccounts: [frontend]}}]}]\n");
    const [w] = simulate(orders + allow);
    expect(answers(w, { principal: FRONTEND })).toEqual(["allow"]);
    expect(answers(w, { caller: "any other mTLS identity" })).toEqual(["deny"]);
  });

  it("applies a DENY with a when condition only to requests meeting it, and says so", () => {
    // DENY /api/orders when x-debug: 1. Without the header nothing matches the DENY, so frontend keeps
    // GET/POST /api/orders; with it, the DENY matches first → denied. Nothing else changes.
    const deny = policy("block-debug", "shop", "  action: DENY\n  rules:\n  - to: [{operation: {paths: [/api/orders]}}]\n    when: [{key: \"request.headers[X-Debug]\", values: [\"1\"]}]\n");
    const [w] = simulate(orders + allowFrontend("GET, POST") + deny);
    expect(answers(w, { principal: FRONTEND, method: "GET", path: "/api/orders", attributes: undefined })).toEqual(["allow"]);
    const withHeader = [...(w?.verdicts.values() ?? [])].filter((v) => v.probe.principal === FRONTEND && v.probe.method === "GET" && v.probe.path === "/api/orders" && v.probe.attributes?.["request.headers[x-debug]"] === "1");
    expect(withHeader.map((v) => v.verdict)).toEqual(["deny"]);
    expect(sentences(orders + allowFrontend("GET, POST"), orders + allowFrontend("GET, POST") + deny)).toEqual([
      "`frontend` in `shop` can no longer GET or POST `/api/orders` on `shop/orders` when header `x-debug` is `1`",
    ]);
  });

  it("adds an IP-block rule and a conditional DENY without claiming more than they do (audit case E)", () => {
    // Head adds "DELETE from 10.1.0.0/16" to the ALLOW and a DENY of /api/orders when x-debug: 1.
    // - frontend's GET/POST /api/orders with x-debug: 1 now meets the DENY first → newly denied;
    //   without the header it is still allowed.
    // - DELETE from inside 10.1.0.0/16 now matches an ALLOW rule, whoever calls → newly allowed,
    //   except on /api/orders with x-debug: 1, where the DENY wins.
    // - Nothing from outside the block, and no other method, changes.
    const base = orders + allowFrontend("GET, POST");
    const head =
      orders +
      policy("orders", "shop", `  selector: {matchLabels: {app: orders}}\n  rules:\n  - from: [{source: {principals: [${FRONTEND}]}}]\n    to: [{operation: {methods: [GET, POST], paths: [/api/orders]}}]\n  - from: [{source: {ipBlocks: [10.1.0.0/16]}}]\n    to: [{operation: {methods: [DELETE]}}]\n`) +
      policy("block-debug", "shop", "  selector: {matchLabels: {app: orders}}\n  action: DENY\n  rules:\n  - to: [{operation: {paths: [/api/orders]}}]\n    when: [{key: \"request.headers[x-debug]\", values: [\"1\"]}]\n");
    expect(sentences(base, head)).toEqual([
      "`frontend` in `shop` can no longer GET or POST `/api/orders` on `shop/orders` when header `x-debug` is `1`",
      "any caller from `10.1.0.0/16` can now DELETE `/api/orders` on `shop/orders` when header `x-debug` is not `1`",
      "any caller from `10.1.0.0/16` can now DELETE any path except `/api/orders` on `shop/orders`",
    ]);
  });

  it("applies ports and hosts only to requests on them", () => {
    // DENY POST on port 8080: POST elsewhere, and anything on 8080 but POST, stay allowed.
    const deny = policy("no-post-8080", "shop", "  action: DENY\n  rules: [{to: [{operation: {methods: [POST], ports: [\"8080\"]}}]}]\n");
    expect(sentences(orders, orders + deny)).toEqual(["any caller can no longer POST any path on `shop/orders` (port `8080`)"]);
    // ALLOW only host orders.example.com (case-insensitive): other hosts match no ALLOW → deny.
    const allow = policy("host", "shop", "  rules: [{to: [{operation: {hosts: [Orders.Example.com]}}]}]\n");
    expect(sentences(orders, orders + allow)).toEqual(["any caller can no longer call any path on `shop/orders` for any host except `Orders.Example.com`"]);
    const [w] = simulate(orders + allow);
    expect(answers(w, { host: "Orders.Example.com" })).toEqual(["allow"]);
  });

  it("leaves requests matching a CUSTOM rule to the external authorizer, unless DENY or ALLOW already deny them", () => {
    // CUSTOM on /admin/*: matching requests are decided by the provider; others are not sent to it.
    const custom = policy("ext", "shop", "  action: CUSTOM\n  provider: {name: my-authz}\n  rules: [{to: [{operation: {paths: [/admin/*]}}]}]\n");
    const [w] = simulate(orders + custom);
    expect(answers(w, { path: "/admin/x" })).toEqual(["external"]);
    expect([...(w?.verdicts.values() ?? [])].find((v) => v.probe.path === "/admin/x")?.provider).toBe("my-authz");
    expect(answers(w, { path: "/" })).toEqual(["allow"]);
    expect(sentences(orders, orders + custom)).toEqual([
      "requests from any caller to call `/admin/*` on `shop/orders` are now decided by the external authorizer `my-authz` (before: allowed)",
    ]);
    // "A request is allowed if and only if all the actions return allow": an ALLOW that does not match
    // /admin/x denies it whatever the extension would say.
    const [both] = simulate(orders + custom + policy("get", "shop", "  rules: [{to: [{operation: {paths: [/public]}}]}]\n"));
    expect(answers(both, { path: "/admin/x" })).toEqual(["deny"]);
  });

  it("never changes an answer for an AUDIT policy", () => {
    const audit = policy("audit", "shop", "  action: AUDIT\n  rules: [{to: [{operation: {methods: [GET]}}]}]\n");
    expect(sentences(orders, orders + audit)).toEqual([]);
    expect(workloadsWithChangedPolicies(set(orders), set(orders + audit))).toEqual(new Set());
  });

  it("applies a namespace-wide policy to every workload of the namespace, a selector policy to its workloads only", () => {
    const two = orders + pod("payments");
    const wide = simulate(two + policy("nothing", "shop", "  {}\n"));
    expect(wide.map((w) => [w.workload, answers(w, {})])).toEqual([["orders", ["deny"]], ["payments", ["deny"]]]);
    const selected = simulate(two + policy("nothing", "shop", "  selector: {matchLabels: {app: orders}}\n"));
    expect(selected.map((w) => [w.workload, answers(w, {})])).toEqual([["orders", ["deny"]], ["payments", ["allow"]]]);
  });

  it("applies root-namespace policies mesh-wide, and another namespace's policies nowhere else", () => {
    const mesh = orders + pod("reviews", "books");
    // istio-system is the root namespace: no selector → every workload; a selector → matching ones in any namespace.
    const all = simulate(mesh + policy("deny-all", "istio-system", "  action: DENY\n  rules: [{}]\n"));
    expect(all.map((w) => answers(w, {}))).toEqual([["deny"], ["deny"]]);
    const byLabel = simulate(mesh + policy("reviews", "istio-system", "  action: DENY\n  selector: {matchLabels: {app: reviews}}\n  rules: [{}]\n"));
    expect(byLabel.map((w) => [w.workload, answers(w, {})])).toEqual([["orders", ["allow"]], ["reviews", ["deny"]]]);
    const elsewhere = simulate(mesh + policy("deny-all", "books", "  action: DENY\n  rules: [{}]\n"));
    expect(elsewhere.map((w) => [w.workload, answers(w, {})])).toEqual([["orders", ["allow"]], ["reviews", ["deny"]]]);
  });

  it("ignores dry-run policies and policies attached by targetRefs", () => {
    const dry = policy("dry", "shop", "  action: DENY\n  rules: [{}]\n", ", annotations: {istio.io/dry-run: \"true\"}");
    expect(answers(simulate(orders + dry)[0], {})).toEqual(["allow"]);
    const gw = policy("gw", "shop", "  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: gw}]\n  action: DENY\n  rules: [{}]\n");
    expect(answers(simulate(orders + gw)[0], {})).toEqual(["allow"]);
  });

  it("caps the probes when the named values would multiply past the limit", () => {
    const principals = Array.from({ length: 80 }, (_, i) => `cluster.local/ns/shop/sa/c${i}`).join(", ");
    const paths = Array.from({ length: 80 }, (_, i) => `/p${i}`).join(", ");
    const [w] = simulate(orders + policy("big", "shop", `  rules: [{from: [{source: {principals: [${principals}]}}], to: [{operation: {paths: [${paths}], methods: [GET, PUT]}}]}]\n`));
    expect(w?.probes.capped).toBe(true);
    expect(w?.probes.probes.length).toBeLessThanOrEqual(MAX_PROBES);
    // ...and every sentence about that workload says it was simulated on a sample.
    const capped = sentences(orders, orders + policy("big", "shop", `  rules: [{from: [{source: {principals: [${principals}]}}], to: [{operation: {paths: [${paths}], methods: [GET, PUT]}}]}]\n`));
    expect(capped.length).toBeGreaterThan(0);
    expect(capped.every((s) => s.endsWith("(simulated on a sample of the values the policies name)"))).toBe(true);
  });
});

describe("matchAuthzValue", () => {
  it("matches exact, prefix, suffix, presence, path templates and hosts without case", () => {
    expect([matchAuthzValue("/api/*", "/api/x"), matchAuthzValue("*.local", "a.local"), matchAuthzValue("*", ""), matchAuthzValue("GET", undefined)]).toEqual([true, true, false, false]);
    // {*} is one path segment, {**} any number ([api] paths).
    expect([matchAuthzValue("/a/{*}/c", "/a/b/c", { pathTemplate: true }), matchAuthzValue("/a/{*}/c", "/a/b/x/c", { pathTemplate: true }), matchAuthzValue("/a/{**}", "/a/b/x/c", { pathTemplate: true })]).toEqual([true, false, true]);
    expect(matchAuthzValue("Orders.Example.COM", "orders.example.com", { ignoreCase: true })).toBe(true);
  });
});

describe("diffAuthorization", () => {
  it("says in words who lost which access", () => {
    expect(sentences(orders + allowFrontend("GET, POST"), orders + allowFrontend("GET"))).toEqual(["`frontend` in `shop` can no longer POST `/api/orders` on `shop/orders`"]);
  });

  it("says who gained access when a policy is removed", () => {
    // Before, only frontend's GET /api/orders matched the ALLOW; without it rule 3 allows everything. The
    // gain is every request but that one, said as: everyone else's GET /api/orders, everyone's GET on
    // other paths, and everyone's other methods.
    expect(sentences(orders + allowFrontend("GET"), orders)).toEqual([
      "any caller except `frontend` in `shop` can now GET `/api/orders` on `shop/orders`",
      "any caller can now GET any path except `/api/orders` on `shop/orders`",
      "any caller can now call any path on `shop/orders` with a method other than GET",
    ]);
  });

  it("keeps the sentence's parts apart, names from the repo marked as code", () => {
    const [b, h] = [set(orders + allowFrontend("GET, POST")), set(orders + allowFrontend("GET"))];
    const probes = collectProbes([b, h]);
    const [change] = diffAuthorization(simulateAuthorization(b, probes), simulateAuthorization(h, probes));
    expect(change?.who).toEqual([{ text: "frontend", code: true }, { text: " in " }, { text: "shop", code: true }]);
    expect([change?.verb, change?.method, change?.path, change?.condition]).toEqual(["can no longer", [{ text: "POST" }], [{ text: "/api/orders", code: true }], []]);
    expect(change?.probe).toMatchObject({ principal: FRONTEND, method: "POST", path: "/api/orders" });
  });
});

describe("workloadsWithChangedPolicies", () => {
  const workloads = pod("a") + pod("b");
  const policyFor = (methods: string) => policy("a-only", "shop", `  selector: { matchLabels: { app: a } }\n  rules: [{ to: [{ operation: { methods: [${methods}] } }] }]\n`);
  const setOf = (...contents: string[]): ConfigSet => checkConfig(contents.map((content, i) => ({ path: `f${i}.yaml`, content }))).set;

  it("names only the workloads whose applicable policies changed, so only their access is simulated", () => {
    expect(workloadsWithChangedPolicies(setOf(workloads, policyFor("GET")), setOf(workloads, policyFor("GET, POST")))).toEqual(new Set(["shop/a"]));
    expect(workloadsWithChangedPolicies(setOf(workloads, policyFor("GET")), setOf(workloads, policyFor("GET")))).toEqual(new Set());
  });
});
