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
      // The delegate's match must lie within the root's ([api] L423-435); prefix /reviews/v2 does, so the
      // merged match is the delegate's own.
      ["path starts with /reviews/v2", "v2", "reviews-leaf"],
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
  it("routes nowhere when several destinations carry no weight at all", () => {
    // Absent weight = 0; with several destinations a total of 0 is rejected by validation and no
    // weighted cluster gets traffic (semantics.md "Weights").
    const [t] = simulateTraffic(set(vs(split("", ""))));
    expect(t?.classes.map((c) => [c.action, c.shares.length])).toEqual([["nowhere", 0]]);
  });

  it("simulates TCP and TLS routes: first match wins, a rule without match catches the rest", () => {
    const text = `${dr}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: db, namespace: shop}
spec:
  hosts: [reviews]
  tcp:
  - match: [{port: 5432}]
    route:
    - destination: {host: reviews, subset: v1}
      weight: 9
    - destination: {host: reviews, subset: v2}
      weight: 1
  - route: [{destination: {host: reviews, subset: v1}}]
  - match: [{port: 6432}]
    route: [{destination: {host: reviews, subset: v2}}]
  tls:
  - match: [{sniHosts: [reviews.example.com], port: 443}]
    route: [{destination: {host: reviews, subset: v2}}]
`;
    const byProtocol = Object.fromEntries(simulateTraffic(set(text)).map((t) => [t.protocol, t]));
    // TCP: port 5432 splits 9:1 = 90/10; the next rule has no match, so it takes every other connection
    // and the port 6432 rule after it can never run.
    expect(byProtocol.tcp?.classes.map((c) => [c.match, c.unreachable, c.shares.map((s) => [s.subset, s.percent])])).toEqual([
      ["port 5432", false, [["v1", 90], ["v2", 10]]],
      ["any request", false, [["v1", 100]]],
      ["port 6432", true, [["v2", 100]]],
    ]);
    expect(byProtocol.tcp?.unmatched).toBe(false);
    // TLS: only connections with that SNI on 443 are routed; any other connection matches nothing.
    expect(byProtocol.tls?.classes.map((c) => [c.match, c.shares.map((s) => [s.subset, s.percent])])).toEqual([["port 443 and SNI reviews.example.com", [["v2", 100]]]]);
    expect(byProtocol.tls?.unmatched).toBe(true);
  });

  it("records mirrors with their percentage (mirrorPercentage, mirrors[].percentage; 100% when absent)", () => {
    const http = `  - route: [{destination: {host: reviews, subset: v1}}]
    mirror: {host: reviews, subset: v2}
    mirrorPercentage: {value: 5}
    match: [{uri: {prefix: /a}}]
  - route: [{destination: {host: reviews, subset: v1}}]
    mirrors:
    - destination: {host: reviews, subset: v2}
      percentage: {value: 12.5}
    - destination: {host: reviews, subset: v3}
`;
    const [t] = simulateTraffic(set(vs(http)));
    expect(t?.classes.map((c) => (c.mirrors ?? []).map((m) => [m.subset, m.percent, m.problem]))).toEqual([
      [["v2", 5, undefined]],
      [["v2", 12.5, undefined], ["v3", 100, "unknown-subset"]],
    ]);
  });

  it("records a Gateway API RequestMirror filter (percent, or fraction over a denominator of 100 by default)", () => {
    const route = (mirror: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: a, port: 80}]
    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}${mirror}}}]
`;
    const mirrors = (m: string) => simulateTraffic(set(route(m)))[0]?.classes[0]?.mirrors?.map((s) => [s.host, s.percent]);
    expect(mirrors("")).toEqual([["shadow.shop.svc.cluster.local", 100]]);
    expect(mirrors(", percent: 20")).toEqual([["shadow.shop.svc.cluster.local", 20]]);
    expect(mirrors(", fraction: {numerator: 1, denominator: 8}")).toEqual([["shadow.shop.svc.cluster.local", 12.5]]);
    expect(mirrors(", fraction: {numerator: 3}")).toEqual([["shadow.shop.svc.cluster.local", 3]]);
  });

  it("recognises catch-alls (prefix /, regex .*, no match) and rules a more general earlier rule shadows", () => {
    const reachability = (http: string) => {
      const [t] = simulateTraffic(set(vs(http)));
      return [t?.classes.map((c) => c.unreachable), t?.unmatched];
    };
    const rule = (match: string, subset = "v1") => `  - match: ${match}\n    route: [{destination: {host: reviews, subset: ${subset}}}]\n`;
    // IsCatchAllRoute: path prefix / or regex .*, without header or query matchers.
    expect(reachability(rule("[{uri: {prefix: /}}]") + rule("[{uri: {prefix: /never}}]"))).toEqual([[false, true], false]);
    expect(reachability(rule("[{uri: {regex: '.*'}}]") + rule("[{uri: {exact: /x}}]"))).toEqual([[false, true], false]);
    expect(reachability(rule("[{uri: {prefix: /}}, {uri: {regex: '.*'}}]") + rule("[{headers: {x: {exact: y}}}]"))).toEqual([[false, true], false]);
    // A header condition makes prefix / a partial match: nothing after it is shadowed, some requests match nothing.
    expect(reachability(rule("[{uri: {prefix: /}, headers: {x: {exact: y}}}]") + rule("[{uri: {prefix: /a}}]"))).toEqual([[false, false], true]);
    // Prefix /api takes every /api/v2 request first (IST0131's case), but not /apix... only when it is a prefix of it.
    expect(reachability(rule("[{uri: {prefix: /api}}]") + rule("[{uri: {prefix: /api/v2}}]") + rule("[{uri: {exact: /ap}}]"))).toEqual([[false, true, false], true]);
    // Every block of a rule must be covered for it to be dead.
    expect(reachability(rule("[{uri: {prefix: /a}}]") + rule("[{uri: {prefix: /a/b}}, {uri: {prefix: /c}}]"))).toEqual([[false, false], true]);
  });

  it("keeps a gateway's catch-all last and a delegate's rules in place (audit case DL)", () => {
    const text = `${dr}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: root, namespace: shop}
spec:
  hosts: [shop.example.com]
  gateways: [gw]
  http:
  - match: [{uri: {prefix: /reviews}}]
    delegate: {name: leaf}
  - match: [{uri: {prefix: /}}]
    route: [{destination: {host: web}}]
  - match: [{uri: {prefix: /never}}]
    route: [{destination: {host: web}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: leaf, namespace: shop}
spec:
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 90
    - destination: {host: reviews, subset: v2}
      weight: 10
`;
    const [t] = simulateTraffic(set(text));
    // The leaf rule has no match, so it inherits the root's (prefix /reviews) and splits 90/10. Istio stops
    // emitting the root's routes at its catch-all prefix /, so /never never runs, and prefix / catches
    // every other request: nothing is unmatched.
    expect(t?.classes.map((c) => [c.match, c.unreachable, c.source.name, c.shares.map((s) => [s.subset ?? s.host, s.percent])])).toEqual([
      ["path starts with /reviews", false, "leaf", [["v1", 90], ["v2", 10]]],
      ["path starts with /never", true, "root", [["web.shop.svc.cluster.local", 100]]],
      ["path starts with /", false, "root", [["web.shop.svc.cluster.local", 100]]],
    ]);
    expect([t?.gateway, t?.unmatched]).toEqual(["shop/gw", false]);
  });

  it("drops a delegate rule whose match is not within the root's", () => {
    const text = `${vs("  - match: [{uri: {prefix: /reviews}}]\n    delegate: {name: leaf}\n")}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: leaf, namespace: shop}
spec:
  http:
  - match: [{uri: {prefix: /ratings}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - route: [{destination: {host: reviews, subset: v1}}]
`;
    const [t] = simulateTraffic(set(text));
    // prefix /ratings is not within prefix /reviews: a conflict, that route does not take effect.
    expect(t?.classes.map((c) => [c.match, c.unreachable])).toEqual([
      ["path starts with /ratings", true],
      ["path starts with /reviews", false],
    ]);
  });

  it("merges VirtualServices bound to one gateway host, moving catch-alls last; on mesh the first one wins", () => {
    const bound = (name: string, gateways: string, prefix: string, host: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: shop}
spec:
  hosts: [shop.example.com]
  ${gateways}
  http:
  - match: [{uri: {prefix: ${prefix}}}]
    route: [{destination: {host: ${host}}}]
---
`;
    // Without creation timestamps the order is by name: a-web before b-cart. Appended, a-web's prefix /
    // would shadow /cart; SortVHostRoutes moves the catch-all to the end, so /cart is reachable.
    const [gw] = simulateTraffic(set(bound("a-web", "gateways: [gw]", "/", "web") + bound("b-cart", "gateways: [gw]", "/cart", "cart")));
    expect(gw?.classes.map((c) => [c.match, c.unreachable, c.source.name])).toEqual([
      ["path starts with /cart", false, "b-cart"],
      ["path starts with /", false, "a-web"],
    ]);
    // Bound to mesh, the duplicate host keeps the first VirtualService's routes only.
    const [mesh] = simulateTraffic(set(bound("a-web", "", "/", "web") + bound("b-cart", "", "/cart", "cart")));
    expect(mesh?.classes.map((c) => [c.match, c.unreachable, c.source.name])).toEqual([
      ["path starts with /", false, "a-web"],
      ["path starts with /cart", true, "b-cart"],
    ]);
    // An older b-cart (creationTimestamp) comes first instead.
    const dated = bound("b-cart", "", "/cart", "cart").replace("namespace: shop}", "namespace: shop, creationTimestamp: '2024-01-01T00:00:00Z'}");
    const [older] = simulateTraffic(set(bound("a-web", "", "/", "web") + dated));
    expect(older?.classes.map((c) => [c.source.name, c.unreachable])).toEqual([
      ["b-cart", false],
      ["a-web", true],
    ]);
  });

  it("orders HTTPRoute rules of every route on a parent and hostname by Gateway API precedence", () => {
    const route = (name: string, hostnames: string, rules: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  ${hostnames}
  rules:
${rules}---
`;
    const text =
      route("a-root", "hostnames: [shop.example.com]", "  - backendRefs: [{name: web, port: 80}]\n  - matches: [{path: {type: Exact, value: /api/health}}]\n    backendRefs: [{name: health, port: 80}]\n") +
      route("b-api", "hostnames: [shop.example.com]", "  - matches: [{path: {type: PathPrefix, value: /api}}, {path: {value: /api}, headers: [{name: X-Canary, value: 'yes'}]}]\n    backendRefs: [{name: api, port: 80}]\n") +
      route("c-any", "", "  - matches: [{path: {type: PathPrefix, value: /api/v2}}]\n    backendRefs: [{name: v2, port: 80}]\n");
    const byHost = Object.fromEntries(simulateTraffic(set(text)).map((t) => [t.host, t]));
    // shop.example.com: routes naming the host rank before c-any, which names none (hostname precedence).
    // Among them: Exact /api/health, then prefix /api with a header (more headers), then prefix /api,
    // then a-root's first rule (no matches = PathPrefix /, the shortest). c-any's /api/v2 comes after that
    // catch-all, so it never runs for this host.
    expect(byHost["shop.example.com"]?.classes.map((c) => [c.match, c.unreachable, c.source.name])).toEqual([
      ["path = /api/health", false, "a-root"],
      ["path starts with /api and header X-Canary = yes", false, "b-api"],
      ["path starts with /api", false, "b-api"],
      ["any request", false, "a-root"],
      ["path starts with /api/v2", true, "c-any"],
    ]);
    expect(byHost["shop.example.com"]?.unmatched).toBe(false);
    // Other hosts: only c-any applies, and requests outside /api/v2 get a 404.
    expect(byHost["*"]?.classes.map((c) => c.match)).toEqual(["path starts with /api/v2"]);
    expect(byHost["*"]?.unmatched).toBe(true);
  });

  it("gives a lone backendRef with weight 0 no traffic (Gateway API, unlike a VirtualService destination)", () => {
    const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs: [{name: a, port: 80, weight: 0}]
  - backendRefs: [{name: a, port: 80, weight: 2}, {name: b, port: 80, weight: 2}, {name: c, port: 80}]
`;
    const [t] = simulateTraffic(set(route));
    // Rule 1: the only weight is 0, so nothing is forwarded. Rule 2 (shadowed by rule 1, both catch-alls):
    // 2:2:1 (default 1) = 40/40/20.
    expect(t?.classes.map((c) => [c.action, c.unreachable, c.shares.map((s) => s.percent)])).toEqual([
      ["nowhere", false, []],
      ["route", true, [40, 40, 20]],
    ]);
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
