import { describe, expect, it } from "vitest";
import { buildConfigSet } from "../../src/mesh/config-set.ts";
import { DEFAULT_MESH_CONFIG } from "../../src/mesh/mesh-config.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import type { Resource } from "../../src/mesh/resource.ts";
import { BUILTIN_RULES } from "../../src/policy/builtin-rules.ts";

const one = (text: string): Resource => {
  const r = parseDocuments({ path: "m.yaml", content: text }).resources[0];
  if (!r) throw new Error("no resource");
  return r;
};
const rule = BUILTIN_RULES["max-canary-step"];
/** Runs max-canary-step (maxStep 20 unless given) on base → head; the violations as [path, message]. */
function judge(base: string, head: string, rolloutsOn: boolean, maxStep = 20): [string, string][] {
  if (!rule) throw new Error("max-canary-step is not a built-in");
  const object = one(head);
  return rule({ object, oldObject: one(base), params: { maxStep }, head: buildConfigSet([object], DEFAULT_MESH_CONFIG), rolloutsOn }).map((v) => [v.path.join("."), v.message]);
}

const VS = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n";
const vs = (...split: [string, number | "-"][]) =>
  `${VS}  http:\n  - route:\n${split.map(([s, w]) => `    - destination: {host: reviews, subset: ${s}}\n${w === "-" ? "" : `      weight: ${w}\n`}`).join("")}`;

describe("max-canary-step", () => {
  it("passes a new canary's 0 → 50 jump that the rollout steps, and fails it with rollouts off", () => {
    expect(judge(vs(["v1", "-"]), vs(["v1", 50], ["v2", 50]), true)).toEqual([]);
    expect(judge(vs(["v1", "-"]), vs(["v1", 50], ["v2", 50]), false)).toEqual([
      ["spec.http.0.route.1.weight", "spec.http[0].route: reviews:v2 jumps from 0% to 50% (+50 points, max 20) and rollouts are off, so merging applies it at once: shift it in steps of at most 20 points"],
    ]);
  });

  it("judges a 100-point move: stepped with rollouts on, a failure with them off", () => {
    // v2 alone after: v2 gets 100% (a lone destination's weight is ignored), v1 drops to 0.
    expect(judge(vs(["v1", 100], ["v2", 0]), vs(["v2", "-"]), true)).toEqual([]);
    expect(judge(vs(["v1", 100], ["v2", 0]), vs(["v2", "-"]), false).map(([p, m]) => [p, m.slice(0, m.indexOf(" and"))])).toEqual([["spec.http.0.route.0.weight", "spec.http[0].route: reviews:v2 jumps from 0% to 100% (+100 points, max 20)"]]);
  });

  it("passes a move within maxStep whatever the rollout mode", () => {
    expect(judge(vs(["v1", 90], ["v2", 10]), vs(["v1", 70], ["v2", 30]), false)).toEqual([]);
  });

  it("fails a big jump the rollout cannot step because the route's shape changed, naming the route and why", () => {
    const head = `${VS}  http:\n  - name: testers\n    match: [{headers: {end-user: {exact: jason}}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n  - name: canary\n    route:\n    - {destination: {host: reviews, subset: v1}, weight: 40}\n    - {destination: {host: reviews, subset: v2}, weight: 60}\n`;
    const base = `${VS}  http:\n  - name: canary\n    route:\n    - {destination: {host: reviews, subset: v1}, weight: 90}\n    - {destination: {host: reviews, subset: v2}, weight: 10}\n`;
    // The rules pair by name: canary 90/10 → 40/60 is +50 for v2, in a list whose rules were added to.
    expect(judge(base, head, true)).toEqual([
      [
        "spec.http.1.route.1.weight",
        'spec.http[1].route ("canary"): reviews:v2 jumps from 10% to 60% (+50 points, max 20) and it cannot be stepped (rules were added or removed in spec.http), so merging applies it at once: shift it in steps of at most 20 points',
      ],
    ]);
  });

  it("judges TCP and TLS routes each on their own", () => {
    const db = (tcp: [number, number], tlsHost: string, prefix: string) =>
      `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: db, namespace: shop}\nspec:\n  hosts: [db]\n  http:\n  - match: [{uri: {prefix: ${prefix}}}]\n    route: [{destination: {host: db}}]\n  tcp:\n  - route:\n    - {destination: {host: db, subset: v1}, weight: ${tcp[0]}}\n    - {destination: {host: db, subset: v2}, weight: ${tcp[1]}}\n  tls:\n  - match: [{sniHosts: [db.example.com]}]\n    route: [{destination: {host: ${tlsHost}}}]\n`;
    // Rollouts on: the HTTP rule's new match does not stop the TCP (+40) and TLS (+100 to db-new) moves from being stepped.
    expect(judge(db([90, 10], "db", "/a"), db([50, 50], "db-new", "/b"), true)).toEqual([]);
    // Rollouts off: both are raw jumps over 20.
    expect(judge(db([90, 10], "db", "/a"), db([50, 50], "db-new", "/b"), false).map(([p]) => p)).toEqual(["spec.tcp.0.route.1.weight", "spec.tls.0.route.0.weight"]);
  });

  it("judges HTTPRoute backendRefs by their shares (weights relative, default 1)", () => {
    const route = (refs: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: store, namespace: shop}\nspec:\n  rules:\n  - backendRefs: ${refs}\n`;
    // 9 and (default) 1 → 90/10; 1 and 3 → 25/75: store-v2 gains 65 points.
    const [[path, message] = ["", ""]] = judge(route("[{name: store-v1, port: 80, weight: 9}, {name: store-v2, port: 80}]"), route("[{name: store-v1, port: 80, weight: 1}, {name: store-v2, port: 80, weight: 3}]"), false);
    expect([path, message.slice(0, message.indexOf(" and"))]).toEqual(["spec.rules.0.backendRefs.1.weight", "spec.rules[0].backendRefs: store-v2:80 jumps from 10% to 75% (+65 points, max 20)"]);
    expect(judge(route("[{name: store-v1, port: 80, weight: 9}, {name: store-v2, port: 80}]"), route("[{name: store-v1, port: 80, weight: 1}, {name: store-v2, port: 80, weight: 3}]"), true)).toEqual([]);
  });

  it("fails a big move when no steps of maxStep can make it (maxStep 0)", () => {
    expect(judge(vs(["v1", 90], ["v2", 10]), vs(["v1", 50], ["v2", 50]), true, 0).map(([, m]) => m)).toEqual([
      "spec.http[0].route: reviews:v2 jumps from 10% to 50% (+40 points, max 0) and it cannot be stepped (no steps of at most 0 whole points reach it), so merging applies it at once: shift it in steps of at most 0 points",
      // v1 falls: no violation for it.
    ]);
  });
});

describe("require-mtls (DestinationRule ports and subsets)", () => {
  const mtls = BUILTIN_RULES["require-mtls"];
  const check = (spec: string): [string, string][] => {
    if (!mtls) throw new Error("require-mtls is not a built-in");
    const object = one(`apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: db, namespace: shop}\nspec:\n  host: db\n${spec}`);
    return mtls({ object, oldObject: undefined, params: {}, head: buildConfigSet([object], DEFAULT_MESH_CONFIG), rolloutsOn: true }).map((v) => [v.path.join("."), v.message]);
  };

  it("finds TLS turned off for one port, one subset, or one port of a subset", () => {
    expect(check("  trafficPolicy:\n    portLevelSettings:\n    - {port: {number: 5432}, tls: {mode: DISABLE}}\n")).toEqual([
      ["spec.trafficPolicy.portLevelSettings.0.tls.mode", "the DestinationRule turns client-side TLS off on port 5432"],
    ]);
    expect(check("  subsets:\n  - {name: v1, labels: {version: v1}, trafficPolicy: {tls: {mode: DISABLE}}}\n")).toEqual([
      ["spec.subsets.0.trafficPolicy.tls.mode", 'the DestinationRule turns client-side TLS off for subset "v1"'],
    ]);
    expect(check("  subsets:\n  - name: v2\n    labels: {version: v2}\n    trafficPolicy:\n      portLevelSettings:\n      - {port: {number: 80}, tls: {mode: ISTIO_MUTUAL}}\n      - {port: {number: 81}, tls: {mode: DISABLE}}\n")).toEqual([
      ["spec.subsets.0.trafficPolicy.portLevelSettings.1.tls.mode", 'the DestinationRule turns client-side TLS off for subset "v2" on port 81'],
    ]);
  });

  it("leaves Istio mTLS, auto mTLS and the top level (the policy's CEL rule) alone", () => {
    expect(check("  trafficPolicy:\n    tls: {mode: DISABLE}\n    portLevelSettings:\n    - {port: {number: 80}, tls: {mode: ISTIO_MUTUAL}}\n    - {port: {number: 81}, connectionPool: {tcp: {maxConnections: 10}}}\n  subsets:\n  - {name: v1, labels: {version: v1}}\n")).toEqual([]);
  });
});
