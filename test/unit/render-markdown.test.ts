import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/render/render-markdown.ts";
import { reviewChange } from "../../src/review/review-change.ts";

const vs = (v1: number, v2: number, name = "reviews") => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: ${v1}
    - destination: {host: reviews, subset: v2}
      weight: ${v2}
    timeout: 2s
---
`;
const dr = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: shop}\nspec:\n  host: reviews\n  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]\n---\n";
const files = (text: string) => [{ path: "mesh/reviews.yaml", content: text }];

function balanced(md: string): void {
  expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
  expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
}

describe("renderMarkdown", () => {
  it("shows the verdict, the traffic before → after with a diagram, the rollout and the diff", () => {
    const review = reviewChange(files(vs(90, 10) + dr), files(vs(50, 50) + dr), { analyzers: [] });
    const md = renderMarkdown(review, { marker: "meshgate:review" });
    expect(md.startsWith("<!-- meshgate:review -->\n### ✅ meshgate: no new problems")).toBe(true);
    expect(md).toContain("| <code>reviews</code> | <code>mesh</code> | any request | <code>reviews/v1</code> 90%, <code>reviews/v2</code> 10% | <code>reviews/v1</code> 50%, <code>reviews/v2</code> 50% |");
    expect(md).toContain("```mermaid\nflowchart LR");
    expect(md).toContain("1. Step 1: <code>reviews</code> 70/30; bake 5 min");
    expect(md).toContain("1. Step 2: <code>reviews</code> 50/50; bake 5 min");
    expect(md).toContain("@@ spec.http[0].route[0] line 9 @@\n- weight: 90\n+ weight: 50");
    balanced(md);
  });

  it("calls a route to a missing subset an outage in the verdict", () => {
    const broken = vs(90, 10).replace("subset: v2}", "subset: v3}");
    const md = renderMarkdown(reviewChange(files(vs(90, 10) + dr), files(broken + dr), { analyzers: [] }));
    expect(md).toMatch(/^### ❌ meshgate: 1 request class would go nowhere/);
    expect(md).toContain("subset missing");
  });

  it("puts an mTLS weakening in the verdict", () => {
    const pa = (mode: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: istio-system}\nspec:\n  mtls: {mode: ${mode}}\n`;
    const md = renderMarkdown(reviewChange(files(pa("STRICT")), files(pa("PERMISSIVE")), { analyzers: [] }));
    expect(md).toMatch(/^### ⚠️ meshgate: mTLS weakened; no new errors/);
    expect(md).toContain("- ⚠️ **weaker**: mesh: STRICT → PERMISSIVE");
  });

  it("escapes names and messages so repo content cannot inject Markdown or HTML", () => {
    const evil = "apiVersion: networking.istio.io/v1\nkind: Foo\nmetadata: {name: x}\n";
    const review = reviewChange([], [{ path: "mesh/<img src=x onerror=alert(1)>|.yaml", content: evil }], { analyzers: [] });
    const md = renderMarkdown(review);
    expect(md).not.toContain("<img");
    expect(md).toContain("&lt;img src=x onerror=alert(1)&gt;&#124;.yaml");
  });

  it("stays under the limit whatever the change, dropping whole blocks with a note", () => {
    let base = dr;
    let head = dr;
    for (let i = 0; i < 400; i++) {
      base += vs(90, 10, `r${i}`);
      head += vs(40, 60, `r${i}`);
    }
    const review = reviewChange(files(base), files(head), { analyzers: [] });
    for (const limit of [3_000, 20_000, 65_536]) {
      const md = renderMarkdown(review, { limit });
      expect(md.length).toBeLessThanOrEqual(limit);
      expect(md).toContain("Not shown, to stay within GitHub's comment size");
      balanced(md);
    }
  });
});
