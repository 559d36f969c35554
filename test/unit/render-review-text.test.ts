import { describe, expect, it } from "vitest";
import { renderReviewText } from "../../src/render/render-review-text.ts";
import { reviewChange } from "../../src/review/review-change.ts";

const vs = (v1: number, v2: number, subset2 = "v2") =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v1}\n      weight: ${v1}\n    - destination: {host: reviews, subset: ${subset2}}\n      weight: ${v2}\n    timeout: 2s\n---\n`;
const dr = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]\n---\n";
const pa = (mode: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: istio-system}\nspec:\n  mtls: {mode: ${mode}}\n---\n`;
const files = (text: string) => [{ path: "mesh/reviews.yaml", content: text }];

describe("renderReviewText", () => {
  const review = reviewChange(files(vs(90, 10) + dr + pa("STRICT")), files(vs(50, 50) + dr + pa("PERMISSIVE")), { analyzers: [] });

  it("prints the review the comment shows, in the comment's order: verdict, traffic, mTLS, rollout, findings", () => {
    const text = renderReviewText(review, { color: false });
    const order = ["! meshgate: mTLS weakened; no new errors\n", "\nTraffic, before → after\n", "\nmTLS\n", "\nRollout on merge\n", "\nFindings\n"].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain("  reviews via mesh, any request: reviews/v1 90%, reviews/v2 10% → reviews/v1 50%, reviews/v2 50%");
    expect(text).toContain("  weaker mesh: STRICT → PERMISSIVE");
    // 10 → 50 in steps of at most 20 points (DEFAULT_ROLLOUT): 30, 50; 5 min bake each (PRODUCT.md, Rollouts).
    expect(text).toContain("  Step 1: reviews 70/30; bake 5 min\n  Step 2: reviews 50/50; bake 5 min");
    expect(text).toContain("  Full rollout in about 10 min;");
  });

  it("uses colour only when asked", () => {
    expect(renderReviewText(review, { color: false })).not.toMatch(/\u001b\[/);
    expect(renderReviewText(review, { color: true })).toMatch(/\u001b\[33m/);
  });

  it("lists new findings as renderText does and counts those the base already had", () => {
    const broken = reviewChange(files(vs(90, 10, "v3") + dr), files(vs(50, 50, "v3") + dr));
    const text = renderReviewText(broken, { color: false });
    expect(text).toMatch(/^✗ meshgate: /);
    expect(text).toContain("finding the base already had");
  });

  it("makes repo text one plain line, so it cannot drive the terminal", () => {
    const evil = vs(90, 10).replace("hosts: [reviews]", 'hosts: ["reviews\\e[2J\\rspoof"]');
    const text = renderReviewText(reviewChange(files(evil + dr), files(evil.replace("weight: 90", "weight: 80").replace("weight: 10", "weight: 20") + dr), { analyzers: [] }), { color: false });
    expect(text).not.toMatch(/[\u001b\r]/);
    expect(text).toContain("reviews [2J spoof");
  });
});
