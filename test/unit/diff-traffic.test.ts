import { describe, expect, it } from "vitest";
import { buildConfigSet } from "../../src/mesh/config-set.ts";
import { DEFAULT_MESH_CONFIG } from "../../src/mesh/mesh-config.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { diffTraffic, type TrafficChange } from "../../src/simulation/diff-traffic.ts";
import { simulateTraffic } from "../../src/simulation/simulate-traffic.ts";

// Each expectation is worked out from Istio's documented semantics (semantics.md §a): the first matching
// rule takes a request, so when a rule goes away its requests are taken by the next rule that matches
// them; a gateway merges the VirtualServices bound to a host; Gateway API merges HTTPRoutes (§d).
const set = (text: string) => buildConfigSet(parseDocuments({ path: "m.yaml", content: text }).resources, DEFAULT_MESH_CONFIG);
const diff = (base: string, head: string) => diffTraffic(simulateTraffic(set(base)), simulateTraffic(set(head)));

const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
---
`;
const vs = (http: string) => `${dr}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
${http}`;
const rule = (match: string, subset: string) => `  - ${match ? `match: ${match}\n    ` : ""}route: [{destination: {host: reviews, subset: ${subset}}}]\n`;
const jason = "[{headers: {end-user: {exact: jason}}}]";

const rows = (changes: TrafficChange[]) =>
  changes.map((c) => [c.match, c.before?.shares.map((s) => `${s.subset ?? s.host} ${s.percent}`) ?? null, c.after?.shares.map((s) => `${s.subset ?? s.host} ${s.percent}`) ?? null, c.outage]);

describe("diffTraffic", () => {
  it("sends a removed rule's requests to the next rule that matches them, with no outage (audit case A)", () => {
    // Base: jason → v2, everyone else → v1. Head drops the jason rule: jason's requests now reach the
    // catch-all, v1. They still reach a destination, so this is a change and not an outage.
    const changes = diff(vs(rule(jason, "v2") + rule("", "v1")), vs(rule("", "v1")));
    expect(rows(changes)).toEqual([["header end-user = jason", ["v2 100"], ["v1 100"], false]]);
    expect(changes[0]?.note).toBe("now: taken by rule 1 of VirtualService shop/reviews (any request)");
  });

  it("names the requests a new rule takes and where they went before", () => {
    const changes = diff(vs(rule("", "v1")), vs(rule(jason, "v2") + rule("", "v1")));
    expect(rows(changes)).toEqual([["header end-user = jason", ["v1 100"], ["v2 100"], false]]);
    expect(changes[0]?.note).toBe("before: taken by rule 1 of VirtualService shop/reviews (any request)");
  });

  it("calls requests that now match no rule an outage, and only those", () => {
    // Removing the catch-all: /api requests still reach v1 (unchanged, not listed); all others now match
    // nothing (404).
    const changes = diff(vs(rule("[{uri: {prefix: /api}}]", "v1") + rule("", "v1")), vs(rule("[{uri: {prefix: /api}}]", "v1")));
    expect(rows(changes)).toEqual([["any request except path starts with /api", ["v1 100"], null, true]]);
  });

  it("tells a rule made unreachable by reordering, and where its requests go", () => {
    // Base: /api/v2 → v2 before /api → v1. Head swaps them: /api takes every /api/v2 request first.
    const v2 = rule("[{uri: {prefix: /api/v2}}]", "v2");
    const api = rule("[{uri: {prefix: /api}}]", "v1");
    const changes = diff(vs(v2 + api), vs(api + v2));
    expect(rows(changes)).toEqual([["path starts with /api/v2", ["v2 100"], ["v1 100"], false]]);
    expect(changes[0]?.note).toBe("now: their rule is shadowed by rule 1 of VirtualService shop/reviews (path starts with /api)");
  });

  it("reports a mirror added alone as a traffic change (audit case T)", () => {
    const mirrored = rule("", "v1").replace("\n", "\n    mirror: {host: reviews, subset: v2}\n    mirrorPercentage: {value: 5}\n");
    const changes = diff(vs(rule("", "v1")), vs(mirrored));
    expect(rows(changes)).toEqual([["any request", ["v1 100"], ["v1 100"], false]]);
    expect([changes[0]?.before?.mirrors, changes[0]?.after?.mirrors?.map((m) => [m.subset, m.percent])]).toEqual([undefined, [["v2", 5]]]);
  });

  it("keeps every route of a host two HTTPRoutes share (audit case HR)", () => {
    const routes = (w1: number, w2: number) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a-store, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /store}}]
    backendRefs: [{name: store-v1, port: 80, weight: ${w1}}, {name: store-v2, port: 80, weight: ${w2}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: b-cart, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /cart}}]
    backendRefs: [{name: cart, port: 80}]
`;
    const changes = diff(routes(90, 10), routes(0, 100));
    // 90:10 → 0:100 on /store; /cart (the other route) is untouched. Weight 0 gets nothing.
    expect(rows(changes)).toEqual([["path starts with /store", ["store-v1.shop.svc.cluster.local 90", "store-v2.shop.svc.cluster.local 10"], ["store-v2.shop.svc.cluster.local 100"], false]]);
    expect([changes[0]?.host, changes[0]?.gateway]).toEqual(["shop.example.com", "shop/gw"]);
  });

  it("keeps every route of a gateway host two VirtualServices share (audit case GV)", () => {
    const bound = (name: string, prefix: string, route: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: shop}
spec:
  hosts: [shop.example.com]
  gateways: [gw]
  http:
  - match: [{uri: {prefix: ${prefix}}}]
    route:
${route}---
`;
    const store = (w1: number, w2: number) =>
      bound("a-store", "/store", `    - destination: {host: reviews, subset: v1}\n      weight: ${w1}\n    - destination: {host: reviews, subset: v2}\n      weight: ${w2}\n`);
    const cart = bound("b-cart", "/cart", "    - destination: {host: reviews, subset: v1}\n");
    expect(rows(diff(dr + store(90, 10) + cart, dr + store(0, 100) + cart))).toEqual([["path starts with /store", ["v1 90", "v2 10"], ["v2 100"], false]]);
  });

  it("calls removing a gateway's VirtualService an outage, but not removing a mesh one (the service takes the requests)", () => {
    const service = "apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  ports: [{port: 80, name: http}]\n---\n";
    // mesh: without a VirtualService a sidecar sends requests to the service itself, all endpoints.
    const mesh = diff(service + vs(rule("", "v2")), service + dr);
    expect(rows(mesh)).toEqual([["any request", ["v2 100"], ["reviews.shop.svc.cluster.local 100"], false]]);
    expect(mesh[0]?.note).toBe("now: no VirtualService routes the host; the service itself takes them");
    // gateway: the route was the only way in; without it requests get a 404.
    const gateway = vs(rule("", "v2")).replace("hosts: [reviews]", "hosts: [shop.example.com]\n  gateways: [gw]");
    expect(rows(diff(service + gateway, service + dr))).toEqual([["any request", ["v2 100"], null, true]]);
  });

  it("follows the requests of a delegate's rules when the delegate changes", () => {
    const leaf = (http: string) => `${vs("  - match: [{uri: {prefix: /reviews}}]\n    delegate: {name: leaf}\n" + rule("", "v1"))}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: leaf, namespace: shop}
spec:
  http:
${http}`;
    // Head drops the leaf's /reviews/v2 rule: those requests fall through the delegate (no leaf rule
    // matches them any more) to the root's next rule, the catch-all to v1.
    const changes = diff(leaf(rule("[{uri: {prefix: /reviews/v2}}]", "v2") + rule("[{uri: {exact: /reviews}}]", "v1")), leaf(rule("[{uri: {exact: /reviews}}]", "v1")));
    expect(rows(changes)).toEqual([["path starts with /reviews/v2", ["v2 100"], ["v1 100"], false]]);
  });
});
