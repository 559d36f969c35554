import { describe, expect, it } from "vitest";
import { diffConfigSets } from "../../src/diff/diff-config-sets.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { formatOrigin } from "../../src/mesh/resource.ts";
import { planRollout, type RolloutOptions } from "../../src/rollout/plan-rollout.ts";
import { stepWeights } from "../../src/rollout/step-weights.ts";

describe("stepWeights", () => {
  it.each([
    [[90, 10], [70, 30], 20, [[70, 30]]],
    [[100, 0], [0, 100], 25, [[75, 25], [50, 50], [25, 75], [0, 100]]],
    // 50 points in steps of at most 20: three steps of 16⅔, rounded so each rise stays ≤ 20 and sums stay 100.
    [[100, 0], [50, 50], 20, [[83, 17], [67, 33], [50, 50]]],
    [[100, 0, 0], [40, 30, 30], 10, [[80, 10, 10], [60, 20, 20], [40, 30, 30]]],
    // Moving traffic back to stable is a rise for stable: stepped the same way.
    [[20, 80], [100, 0], 50, [[60, 40], [100, 0]]],
  ])("%j → %j with max step %i", (from, to, max, expected) => {
    const steps = stepWeights(from, to, max);
    expect(steps).toEqual(expected);
    let prev = from;
    for (const s of steps) {
      expect(s.reduce((a, b) => a + b, 0)).toBe(100);
      expect(Math.max(...s.map((w, i) => w - (prev[i] ?? 0)))).toBeLessThanOrEqual(max);
      prev = s;
    }
  });

  it("gives one step when the step size is no size at all (0 or not a number), and does not loop", () => {
    expect(stepWeights([90, 10], [50, 50], 0)).toEqual([[50, 50]]);
    expect(stepWeights([90, 10], [50, 50], Number.NaN)).toEqual([[50, 50]]);
  });
});

const parse = (text: string) => parseDocuments({ path: "m.yaml", content: text }).resources;
const plan = (base: string, head: string, options: RolloutOptions = OPTIONS) => planRollout(diffConfigSets(parse(base), parse(head)), options);
const names = (refs: readonly { kind: string; namespace: string; name: string }[]) => refs.map(formatOrigin);
const VS = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n";
/** The reviews VirtualService with one HTTP rule routing to the given subsets (a weight of `-` is left out). */
const vs = (...split: [string, number | "-"][]) =>
  `${VS}  http:\n  - route:\n${split.map(([s, w]) => `    - destination: {host: reviews, subset: ${s}}\n${w === "-" ? "" : `      weight: ${w}\n`}`).join("")}---\n`;
const dr = (subsets: string[], name = "reviews") =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  host: ${name}\n  subsets:\n${subsets.map((s) => `  - {name: ${s}, labels: {version: ${s}}}\n`).join("")}---\n`;
const OPTIONS: RolloutOptions = { maxStep: 20, intervalSeconds: 300, gates: ["success rate ≥ 99%"] };

describe("planRollout", () => {
  it("steps a canary shift within max-canary-step, baking each step behind the gates", () => {
    // 90/10 → 50/50: v2 rises 40 points, so ⌈40/20⌉ = 2 equal steps of 20: 70/30, then 50/50.
    const p = plan(vs(["v1", 90], ["v2", 10]), vs(["v1", 50], ["v2", 50]));
    expect(p.routes.map((r) => [r.destinations, r.from, r.to])).toEqual([[["reviews:v1", "reviews:v2"], [90, 10], [50, 50]]]);
    expect(p.steps.map((s) => [s.weights, s.bakeSeconds, s.gates])).toEqual([
      [[[70, 30]], 300, ["success rate ≥ 99%"]],
      [[[50, 50]], 300, ["success rate ≥ 99%"]],
    ]);
    // 2 steps × 300 s; a failing gate (failureLimit unset: 0, so the first failure) rolls back after 1 interval.
    expect([p.totalSeconds, p.rollbackSeconds]).toEqual([600, 300]);
  });

  it("steps a new canary from 0: 100 → 50/50, its new subset applied before any traffic moves", () => {
    // Base: v1 is the only destination, so it gets 100% whatever its weight (semantics.md, Weights). v2 is
    // new in the head: it starts at 0. v2 rises 50 points: ⌈50/20⌉ = 3 steps of 16⅔ → 16.67, 33.33, 50,
    // rounded to whole percents that sum to 100 (largest remainder): 83/17, 67/33, 50/50 (rises 17, 16, 17).
    const p = plan(vs(["v1", "-"]) + dr(["v1"]), vs(["v1", 50], ["v2", 50]) + dr(["v1", "v2"]));
    expect(p.rolloutsOn).toBe(true);
    expect(p.unsteppable).toEqual([]);
    expect(p.routes.map((r) => [formatOrigin(r.resource), r.protocol, r.rule, r.destinations, r.from, r.to])).toEqual([
      ["VirtualService shop/reviews", "http", 0, ["reviews:v1", "reviews:v2"], [100, 0], [50, 50]],
    ]);
    expect(p.steps.map((s) => s.weights)).toEqual([[[83, 17]], [[67, 33]], [[50, 50]]]);
    // The DestinationRule defines v2: it must exist before the first step sends v2 traffic. The
    // VirtualService changed only in its weights, so nothing of it is applied ahead of the steps.
    expect(names(p.before)).toEqual(["DestinationRule shop/reviews"]);
    expect(p.after).toEqual([]);
    expect(p.totalSeconds).toBe(900); // 3 steps × 300 s
  });

  it("steps a 100-point move in steps of 20, and drops the old subset only after its traffic drained", () => {
    // v1 100 / v2 0 → v2 alone (v1 gone from the route, so at 0 in the head): v2 rises 100 points,
    // ⌈100/20⌉ = 5 steps: 80/20, 60/40, 40/60, 20/80, 0/100.
    const p = plan(vs(["v1", 100], ["v2", 0]) + dr(["v1", "v2"]), vs(["v2", "-"]) + dr(["v2"]));
    expect(p.routes.map((r) => [r.destinations, r.from, r.to])).toEqual([[["reviews:v1", "reviews:v2"], [100, 0], [0, 100]]]);
    expect(p.steps.map((s) => s.weights)).toEqual([[[80, 20]], [[60, 40]], [[40, 60]], [[20, 80]], [[0, 100]]]);
    expect(p.before).toEqual([]);
    expect(names(p.after)).toEqual(["DestinationRule shop/reviews"]);
    expect(p.totalSeconds).toBe(1500); // 5 × 300 s
  });

  it("plans TCP and TLS routes each on their own: a reshaped HTTP rule or a new TLS destination stops neither", () => {
    const db = (tcp: [number, number], tlsHost: string, prefix: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: db, namespace: shop}
spec:
  hosts: [db]
  http:
  - match: [{uri: {prefix: ${prefix}}}]
    route: [{destination: {host: db, subset: v1}}]
  tcp:
  - match: [{port: 5432}]
    route:
    - {destination: {host: db, subset: v1}, weight: ${tcp[0]}}
    - {destination: {host: db, subset: v2}, weight: ${tcp[1]}}
  tls:
  - match: [{sniHosts: [db.example.com], port: 443}]
    route: [{destination: {host: ${tlsHost}}}]
`;
    const p = plan(db([90, 10], "db", "/a"), db([50, 50], "db-new", "/b"));
    // The HTTP rule's matches changed: that rule alone is applied at once.
    expect(p.unsteppable.map((u) => [formatOrigin(u.resource), u.reason])).toEqual([["VirtualService shop/db", "the matches of spec.http[0] changed"]]);
    // TCP 90/10 → 50/50: 2 steps (70/30, 50/50). TLS db → db-new: db-new is new (0 → 100), 5 steps of 20.
    expect(p.routes.map((r) => [r.protocol, r.rule, r.destinations, r.from, r.to])).toEqual([
      ["tcp", 0, ["db:v1", "db:v2"], [90, 10], [50, 50]],
      ["tls", 0, ["db", "db-new"], [100, 0], [0, 100]],
    ]);
    // Routes step together; the TCP route holds 50/50 once it got there.
    expect(p.steps.map((s) => s.weights)).toEqual([
      [[70, 30], [80, 20]],
      [[50, 50], [60, 40]],
      [[50, 50], [40, 60]],
      [[50, 50], [20, 80]],
      [[50, 50], [0, 100]],
    ]);
  });

  it("says a route whose shape changed cannot be stepped: rules added, or a route turned into a redirect", () => {
    const tester = `${VS}  http:\n  - match: [{headers: {end-user: {exact: jason}}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n  - route:\n    - {destination: {host: reviews, subset: v1}, weight: 0}\n    - {destination: {host: reviews, subset: v2}, weight: 100}\n`;
    const added = plan(vs(["v1", 100], ["v2", 0]), tester);
    expect(added.unsteppable.map((u) => u.reason)).toEqual(["rules were added or removed in spec.http"]);
    expect(added.steps).toEqual([]);
    expect(added.totalSeconds).toBe(0);
    const redirect = `${VS}  http:\n  - redirect: {uri: /v2}\n`;
    expect(plan(vs(["v1", 90], ["v2", 10]), redirect).unsteppable.map((u) => u.reason)).toEqual(["spec.http[0] changed from a route to a redirect"]);
  });

  it("with rollouts off, plans no steps: merging applies every move at once", () => {
    const p = plan(vs(["v1", 90], ["v2", 10]) + dr(["v1", "v2"]), vs(["v1", 50], ["v2", 50]) + dr(["v1", "v2", "v3"]), { ...OPTIONS, mode: "off" });
    expect(p.rolloutsOn).toBe(false);
    expect(p.steps).toEqual([]);
    expect([p.before, p.after, p.unsteppable]).toEqual([[], [], []]);
    // The move is still reported, as one jump: 90/10 → 50/50.
    expect(p.routes.map((r) => [r.destinations, r.from, r.to])).toEqual([[["reviews:v1", "reviews:v2"], [90, 10], [50, 50]]]);
    expect([p.totalSeconds, p.rollbackSeconds]).toEqual([0, 0]);
  });

  it("steps HTTPRoute backendRefs weights as percentage shares (weights are relative, default 1)", () => {
    const route = (rule0: string, rule1: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: store, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs: ${rule0}
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: ${rule1}
`;
    const p = plan(
      route("[{name: store-v1, port: 80, weight: 9}, {name: store-v2, port: 80}]", "[{name: api-v1, port: 80}]"),
      route("[{name: store-v1, port: 80, weight: 1}, {name: store-v2, port: 80, weight: 3}]", "[{name: api-v1, port: 80, weight: 4}, {name: api-v2, port: 80, weight: 1}]"),
    );
    // Rule 0: 9 and (default) 1 of 10 → 90/10; 1 and 3 of 4 → 25/75. store-v2 rises 65: ⌈65/20⌉ = 4 steps of
    // 16.25 → 73.75/26.25, 57.5/42.5, 41.25/58.75, 25/75; largest remainder rounds them to 74/26, 58/42 (a tie of
    // .5/.5 goes to the first), 41/59, 25/75 (rises 16, 16, 17, 16).
    // Rule 1: api-v1 alone (default weight 1) → 100%; head 4:1 → 80/20; api-v2 is new: one step of 20.
    expect(p.routes.map((r) => [r.rule, r.field.join("."), r.destinations, r.from, r.to])).toEqual([
      [0, "spec.rules.0.backendRefs", ["store-v1:80", "store-v2:80"], [90, 10], [25, 75]],
      [1, "spec.rules.1.backendRefs", ["api-v1:80", "api-v2:80"], [100, 0], [80, 20]],
    ]);
    expect(p.steps.map((s) => s.weights)).toEqual([
      [[74, 26], [80, 20]],
      [[58, 42], [80, 20]],
      [[41, 59], [80, 20]],
      [[25, 75], [80, 20]],
    ]);
    expect(p.unsteppable).toEqual([]);
  });

  it("orders application: what is added before traffic moves, what is removed after it drained", () => {
    // The reviews DestinationRule replaces subset v1 by v2: v2 must exist before traffic moves to it, and
    // v1 must stay until no traffic goes to it; a new DestinationRule goes first, a deleted one last.
    const p = plan(vs(["v1", "-"]) + dr(["v1"]) + dr(["v1"], "ratings"), vs(["v2", "-"]) + dr(["v2"]) + dr(["v1"], "details"));
    expect(names(p.before)).toEqual(["DestinationRule shop/details", "DestinationRule shop/reviews"]);
    expect(names(p.after)).toEqual(["DestinationRule shop/ratings", "DestinationRule shop/reviews"]);
    expect(p.steps.map((s) => s.weights)).toEqual([[[80, 20]], [[60, 40]], [[40, 60]], [[20, 80]], [[0, 100]]]);
    // A VirtualService change beside its weights (a new timeout) is applied first, with the base weights held.
    const timed = plan(vs(["v1", 90], ["v2", 10]), vs(["v1", 70], ["v2", 30]).replace("  - route:", "  - timeout: 2s\n    route:"));
    expect(names(timed.before)).toEqual(["VirtualService shop/reviews"]);
    expect(timed.steps.map((s) => s.weights)).toEqual([[[70, 30]]]);
  });

  it("gives the expected time to full rollout and to roll back", () => {
    // 90/10 → 40/60 with steps of at most 25: v2 rises 50, ⌈50/25⌉ = 2 steps (65/35, 40/60) of 600 s each.
    const options = { maxStep: 25, intervalSeconds: 600, gates: ["success rate ≥ 99%"], failureLimit: 2 };
    const p = plan(vs(["v1", 90], ["v2", 10]), vs(["v1", 40], ["v2", 60]), options);
    expect(p.steps.map((s) => s.weights)).toEqual([[[65, 35]], [[40, 60]]]);
    expect(p.totalSeconds).toBe(1200);
    // failureLimit 2: the analysis fails on the 3rd failed check (Argo: failed > failureLimit), one check per
    // 600 s interval, so the base weights are back at most 3 × 600 s after the canary went bad.
    expect(p.rollbackSeconds).toBe(1800);
    // Without gates nothing watches the canary: `/meshgate abort` restores the base weights in one apply.
    expect(plan(vs(["v1", 90], ["v2", 10]), vs(["v1", 40], ["v2", 60]), { ...options, gates: [] }).rollbackSeconds).toBe(600);
  });
});
