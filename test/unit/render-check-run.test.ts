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
    expect(out.text).toContain("- <code>other.yaml</code> line 7:");
  });

  it("escapes repo text in the Markdown text and summary; annotations stay plain text", () => {
    // The auditor's case: a subset name carrying an image and a link. GitHub renders a check run's
    // summary and text as Markdown, its annotations' message and title as plain text.
    const subset = "<img src=https://evil.example/p.png>[x](https://evil.example)";
    const yaml = `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop}\nspec:\n  hosts: [r]\n  http:\n  - route: [{destination: {host: r, subset: "${subset}"}}]\n    timeout: 1s\n`;
    const review = reviewChange([], [{ path: "other.yaml", content: yaml }]);
    const escaped = "&lt;img src=https://evil.example/p.png&gt;\\[x\\]\\(https://evil.example\\)";
    const outside = renderCheckRun(review, () => false);
    // IST0101's text is Istio's message catalog: Referenced host+subset in destinationrule not found: "%s".
    expect(outside.text).toContain(`- <code>other.yaml</code> line 7: Referenced host\\+subset in destinationrule not found: &quot;r\\+${escaped}&quot; (IST0101)`);
    for (const md of [outside.text, outside.summary]) {
      // Inside a fenced code block (the resource diffs) text is shown literally, so only the prose counts.
      const prose = md.replace(/^```[a-z]*\n[\s\S]*?^```$/gm, "");
      expect(prose).not.toContain("<img");
      expect(prose).not.toContain("](https://evil");
    }
    expect(outside.summary).toContain("subset: <img"); // the diff shows the value as written
    const inside = renderCheckRun(review, () => true);
    expect(inside.batches.flat().map((a) => a.message)).toContain(`Referenced host+subset in destinationrule not found: "r+${subset}"`);
  });

  it("keeps the text within GitHub's limit in whole lines, saying how many more", () => {
    let text = "";
    for (let i = 0; i < 700; i++) text += vs(`missing-${"x".repeat(60)}`, `r${i}`);
    const review = reviewChange([], [{ path: "far.yaml", content: text }]);
    const out = renderCheckRun(review, () => false);
    const total = out.text.split("\n").filter((l) => l.startsWith("- ")).length;
    const more = /… and (\d+) more/.exec(out.text);
    expect(out.text.length).toBeLessThanOrEqual(65_535);
    expect(more).not.toBeNull();
    expect(total + Number(more?.[1])).toBe(review.findings.length);
  });

  it("succeeds when the change brings no new error", () => {
    const files = [{ path: "ns.yaml", content: "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n" }];
    expect(renderCheckRun(reviewChange(files, files)).conclusion).toBe("success");
  });
});
