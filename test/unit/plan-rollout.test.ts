import { describe, expect, it } from "vitest";
import { diffConfigSets } from "../../src/diff/diff-config-sets.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { planRollout } from "../../src/rollout/plan-rollout.ts";
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
});

const parse = (text: string) => parseDocuments({ path: "m.yaml", content: text }).resources;
const vs = (v1: number, v2: number, extra = "") => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: ${v1}
    - destination: {host: reviews, subset: v2}
      weight: ${v2}
${extra}---
`;
const dr = (subsets: string[]) =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets:\n${subsets.map((s) => `  - {name: ${s}, labels: {version: ${s}}}\n`).join("")}---\n`;
const options = { maxStep: 20, intervalSeconds: 300, gates: ["success rate ≥ 99%"] };

describe("planRollout", () => {
  it("steps a canary shift within max-canary-step, baking each step behind the gates", () => {
    const plan = planRollout(diffConfigSets(parse(vs(90, 10)), parse(vs(50, 50))), options);
    expect(plan.routes.map((r) => [r.destinations, r.from, r.to])).toEqual([[["reviews:v1", "reviews:v2"], [90, 10], [50, 50]]]);
    expect(plan.steps.map((s) => [s.weights, s.bakeSeconds, s.gates])).toEqual([
      [[[70, 30]], 300, ["success rate ≥ 99%"]],
      [[[50, 50]], 300, ["success rate ≥ 99%"]],
    ]);
    expect([plan.totalSeconds, plan.rollbackSeconds]).toEqual([600, 300]);
  });

  it("applies a new subset before traffic moves and a removed one after it drained", () => {
    const base = parse(vs(100, 0) + dr(["v1", "v2"]));
    const grow = planRollout(diffConfigSets(base, parse(vs(100, 0) + dr(["v1", "v2", "v3"]))), options);
    expect(grow.before.map((r) => r.name)).toEqual(["reviews"]);
    expect(grow.after).toEqual([]);
    const shrink = planRollout(diffConfigSets(parse(vs(0, 100) + dr(["v1", "v2"])), parse(vs(0, 100) + dr(["v2"]))), options);
    expect(shrink.after.map((r) => r.name)).toEqual(["reviews"]);
  });

  it("says a route whose shape changed cannot be stepped", () => {
    const reshaped = vs(50, 50).replace("subset: v2}", "subset: v3}");
    const plan = planRollout(diffConfigSets(parse(vs(90, 10)), parse(reshaped)), options);
    expect(plan.unsteppable.map((u) => u.resource.name)).toEqual(["reviews"]);
    expect(plan.steps).toEqual([]);
  });
});
