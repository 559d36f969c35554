import { describe, expect, it } from "vitest";
import { rolloutSection } from "../../src/render/rollout-section.ts";
import type { RolloutOptions } from "../../src/rollout/plan-rollout.ts";
import { reviewChange } from "../../src/review/review-change.ts";

const files = (text: string) => [{ path: "mesh/m.yaml", content: text }];
const section = (base: string, head: string, rollout: RolloutOptions) => rolloutSection(reviewChange(files(base), files(head), { analyzers: [], rollout })).join("\n\n");
const ON: RolloutOptions = { maxStep: 20, intervalSeconds: 300, gates: [] };
const vs = (v1: number, v2: number, name = "canary") =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  tcp:\n  - route: [{destination: {host: reviews, subset: v1}, weight: ${v1}}, {destination: {host: reviews, subset: v2}, weight: ${v2}}]\n  http:\n  - name: ${JSON.stringify(name)}\n    route:\n    - {destination: {host: reviews, subset: v1}, weight: ${v1}}\n    - {destination: {host: reviews, subset: v2}, weight: ${v2}}\n---\n`;
const dr = (subsets: string[]) => `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets: [${subsets.map((s) => `{name: ${s}, labels: {version: ${s}}}`).join(", ")}]\n---\n`;

describe("rolloutSection", () => {
  it("says that with rollouts off merging applies the change at once, and shows no steps", () => {
    const md = section(vs(90, 10), vs(60, 40), { ...ON, mode: "off" });
    expect(md).toContain("Rollouts are off (`rollout.mode: off`): merging applies the whole change at once");
    expect(md).toContain(": 90/10 → 60/40");
    expect(md).not.toContain("Step 1");
  });

  it("names each route of a resource that moves several, escaping the rule name", () => {
    const md = section(vs(90, 10, "<b>x</b>"), vs(60, 40, "<b>x</b>"), ON);
    // tcp[0] and http[0] both move 90/10 → 60/40: +30 for v2, 2 steps (75/25, 60/40).
    expect(md).toContain("1. Step 1: <code>reviews http&#91;0&#93; &#40;&#60;b&#62;x&#60;/b&#62;&#41;</code> 75/25, <code>reviews tcp&#91;0&#93;</code> 75/25; bake 5 min");
    expect(md).not.toContain("<b>");
    expect(md).toContain("rollback (`/meshgate abort`) restores the base weights in 5 min.");
  });

  it("splits a resource that adds and removes: its additions first, its removals after the drain", () => {
    const md = section(vs(100, 0) + dr(["v1"]), vs(0, 100) + dr(["v2"]), { ...ON, gates: ["success rate ≥ 99%"] });
    expect(md).toContain("1. First applied: <code>DestinationRule shop/reviews</code> (what it adds)");
    expect(md).toContain("1. After traffic drained: <code>DestinationRule shop/reviews</code> (what it removes)");
    // One gate and failureLimit unset (0): the first failed check rolls back, one interval (5 min) after.
    expect(md).toContain("Full rollout in about 25 min; a failing check rolls back to the base weights within 5 min.");
  });
});

describe("rolloutSection without steps", () => {
  it("says a change that cannot be stepped is applied at once, and why", () => {
    const head = vs(90, 10).replace("  - name: \"canary\"\n", "  - name: \"canary\"\n    match: [{uri: {prefix: /v2}}]\n");
    const md = section(vs(90, 10), head, ON);
    expect(md).toContain("- ⚠️ <code>VirtualService shop/reviews</code> cannot be stepped: the matches of spec.http\\[0\\] changed; it is applied at once.");
    expect(md).toContain("No weights are stepped: merging applies the whole change at once.");
  });
});
