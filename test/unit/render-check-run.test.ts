import { describe, expect, it } from "vitest";
import { renderCheckRun } from "../../src/render/render-check-run.ts";
import { reviewChange } from "../../src/review/review-change.ts";

const vs = (subset: string, name = "r") =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  hosts: [${name}]\n  http:\n  - route: [{destination: {host: ${name}, subset: ${subset}}}]\n---\n`;

describe("renderCheckRun", () => {
  it("fails on new errors, with annotations in batches of 50 on the findings' lines", () => {
    let text = "";
    for (let i = 0; i < 120; i++) text += vs("missing", `r${i}`);
    const out = renderCheckRun(reviewChange([], [{ path: "mesh/vs.yaml", content: text }]));
    expect(out.conclusion).toBe("failure");
    expect(out.title).toMatch(/^120 new errors/);
    expect(out.batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(out.batches[0]?.[0]).toEqual({ path: "mesh/vs.yaml", start_line: 7, end_line: 7, annotation_level: "failure", message: 'Referenced host+subset in destinationrule not found: "r0+missing"', title: "IST0101 virtualservice.DestinationRuleAnalyzer" });
    expect(out.summary.length).toBeLessThanOrEqual(65_535);
  });

  it("lists findings outside the diff in the text, not as annotations", () => {
    const out = renderCheckRun(reviewChange([], [{ path: "other.yaml", content: vs("missing") }]), (p) => p !== "other.yaml");
    expect(out.batches).toEqual([]);
    expect(out.text).toContain("- `other.yaml` line 7:");
  });

  it("succeeds when the change brings no new error", () => {
    const files = [{ path: "ns.yaml", content: "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n" }];
    expect(renderCheckRun(reviewChange(files, files)).conclusion).toBe("success");
  });
});
