import { describe, expect, it } from "vitest";
import { buildConfigSet } from "../../src/mesh/config-set.ts";
import { DEFAULT_MESH_CONFIG } from "../../src/mesh/mesh-config.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { diffTraffic } from "../../src/simulation/diff-traffic.ts";
import { simulateTraffic } from "../../src/simulation/simulate-traffic.ts";

// Expected shares below are worked out from Istio's documented semantics (semantics.md §a, "Weights"):
// share = weight / sum of weights; a lone destination takes 100% whatever its weight; absent weight = 0;
// Gateway API backendRefs default to weight 1.
const set = (text: string) => buildConfigSet(parseDocuments({ path: "m.yaml", content: text }).resources, DEFAULT_MESH_CONFIG);

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
const split = (w1: string, w2: string) => `  - route:
    - destination: {host: reviews, subset: v1}
${w1}
    - destination: {host: reviews, subset: v2}
${w2}`;

const shares = (text: string) => simulateTraffic(set(text)).map((t) => t.classes.map((c) => c.shares.map((s) => [s.subset, s.percent, s.problem])));

describe("simulateTraffic", () => {
  it("splits by relative weight: 1:3 is 25/75, whatever the sum", () => {
    expect(shares(vs(split("      weight: 1", "      weight: 3")))).toEqual([[[["v1", 25, undefined], ["v2", 75, undefined]]]]);
  });

  it("sends everything to a lone destination even with weight 20", () => {
    expect(shares(vs("  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: 20\n"))).toEqual([[[["v1", 100, undefined]]]]);
  });

  it("gives nothing to a destination without a weight next to weighted ones", () => {
    expect(shares(vs(split("      weight: 50", "")))).toEqual([[[["v1", 100, undefined]]]]);
  });

  it("routes nowhere when all of several weights are zero", () => {
    const [t] = simulateTraffic(set(vs(split("      weight: 0", "      weight: 0"))));
    expect(t?.classes.map((c) => c.action)).toEqual(["nowhere"]);
  });

  it("keeps evaluation order, marks rules after a catch-all unreachable and notes unmatched requests", () => {
    const http = `  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - route: [{destination: {host: reviews, subset: v1}}]
  - match: [{uri: {prefix: /api}}]
    route: [{destination: {host: reviews, subset: v2}}]
`;
    const [t] = simulateTraffic(set(vs(http)));
    expect(t?.classes.map((c) => [c.match, c.unreachable])).toEqual([
      ["header end-user = jason", false],
      ["any request", false],
      ["path starts with /api", true],
    ]);
    expect(t?.unmatched).toBe(false);
    const [partial] = simulateTraffic(set(vs("  - match: [{uri: {exact: /a}}]\n    route: [{destination: {host: reviews}}]\n")));
    expect(partial?.unmatched).toBe(true);
  });

  it("calls out a route to a subset no DestinationRule defines", () => {
    expect(shares(vs("  - route: [{destination: {host: reviews, subset: v3}}]\n"))).toEqual([[[["v3", 100, "unknown-subset"]]]]);
  });

  it("replaces a delegate rule by the delegate's rules, at its place", () => {
    const text = `${vs("  - match: [{uri: {prefix: /reviews}}]\n    delegate: {name: reviews-leaf}\n  - route: [{destination: {host: reviews, subset: v1}}]\n")}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews-leaf, namespace: shop}
spec:
  http:
  - match: [{uri: {prefix: /reviews/v2}}]
    route: [{destination: {host: reviews, subset: v2}}]
`;
    const [t] = simulateTraffic(set(text));
    expect(t?.classes.map((c) => [c.match, c.shares[0]?.subset, c.source.name])).toEqual([
      ["(path starts with /reviews) and (path starts with /reviews/v2)", "v2", "reviews-leaf"],
      ["any request", "v1", "reviews"],
    ]);
  });

  it("weighs Gateway API backendRefs with a default of 1", () => {
    const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: a, port: 80}, {name: b, port: 80, weight: 3}]
`;
    const [t] = simulateTraffic(set(route));
    expect([t?.gateway, t?.classes[0]?.shares.map((s) => [s.host, s.percent])]).toEqual(["shop/gw", [["a.shop.svc.cluster.local", 25], ["b.shop.svc.cluster.local", 75]]]);
  });
});

describe("diffTraffic", () => {
  it("shows a canary step before → after for the class it changes", () => {
    const changes = diffTraffic(simulateTraffic(set(vs(split("      weight: 90", "      weight: 10")))), simulateTraffic(set(vs(split("      weight: 70", "      weight: 30")))));
    expect(changes.map((c) => [c.host, c.gateway, c.match, c.before?.shares.map((s) => s.percent), c.after?.shares.map((s) => s.percent), c.outage])).toEqual([
      ["reviews", "mesh", "any request", [90, 10], [70, 30], false],
    ]);
  });

  it("calls a route to a missing subset an outage", () => {
    const changes = diffTraffic(
      simulateTraffic(set(vs("  - route: [{destination: {host: reviews, subset: v1}}]\n"))),
      simulateTraffic(set(vs("  - route: [{destination: {host: reviews, subset: v3}}]\n"))),
    );
    expect(changes.map((c) => c.outage)).toEqual([true]);
  });

  it("reports nothing when nothing routes differently", () => {
    const text = vs(split("      weight: 90", "      weight: 10"));
    expect(diffTraffic(simulateTraffic(set(text)), simulateTraffic(set(text)))).toEqual([]);
  });
});
