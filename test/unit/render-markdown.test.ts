import { describe, expect, it } from "vitest";
import { renderCheckRun } from "../../src/render/render-check-run.ts";
import { DIAGRAMS_KEPT } from "../../src/render/fit-comment.ts";
import { renderMarkdown } from "../../src/render/render-markdown.ts";
import { type ChangeReview, reviewChange } from "../../src/review/review-change.ts";

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

/**
 * The comment's structure as CommonMark reads it: lines end at \n, \r or \r\n (spec §2.1); a fence
 * closes only on a line of the same character at least as long (§4.5); `<details>` counts only outside
 * fences (inside one it is text). Returns the lines outside fences, after checking every fence closes
 * and every `<details>` is closed in order.
 */
function balanced(md: string): string[] {
  let fence: string | undefined;
  let depth = 0;
  const outside: string[] = [];
  for (const line of md.split(/\r\n|\r|\n/)) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    outside.push(line);
    depth += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(fence).toBeUndefined();
  expect(depth).toBe(0);
  return outside;
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
    expect(md).toContain("<code>mesh/&#60;img src=x onerror=alert&#40;1&#41;&#62;&#124;.yaml</code>");
  });

  it("reads right when the rollout takes no time (the auditor's case A)", () => {
    const vsA = (head: boolean) =>
      `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n${head ? "" : "  - match: [{headers: {end-user: {exact: jason}}}]\n    route: [{destination: {host: reviews, subset: v2}}]\n    timeout: 2s\n"}  - route: [{destination: {host: reviews, subset: v1}}]\n    timeout: 2s\n---\n`;
    const md = renderMarkdown(reviewChange(files(vsA(false) + dr), files(vsA(true) + dr), { analyzers: [] }));
    expect(md).toContain("| applied at once |");
    expect(md).not.toMatch(/\b(about|in) immediately\b/);
  });

  it("keeps a header value with lone \\r from closing a fence or injecting a heading or a link (case H)", () => {
    const injected = "a\\r```\\r<details><summary>pwn</summary>\\r# Injected heading\\r[link](https://evil.example)";
    const head = vs(50, 50).replace("  - route:", `  - match: [{headers: {x: {exact: "${injected}"}}}]\n    route:`).replace("subset: v2}", 'subset: "v2`</details>|x"}');
    const md = renderMarkdown(reviewChange(files(vs(50, 50) + dr), files(head + dr), { analyzers: [] }));
    const outside = balanced(md);
    expect(md).toContain("```mermaid");
    expect(outside.filter((l) => /^ {0,3}#{1,6} /.test(l) && !/^#{3,4} /.test(l))).toEqual([]);
    expect(outside.join("\n")).not.toMatch(/Injected heading\n|\]\(https:\/\/evil|<summary>pwn/);
    expect(md).toContain("header x = a \\`\\`\\` &lt;details&gt;&lt;summary&gt;pwn&lt;/summary&gt; \\# Injected heading \\[link\\]\\(https://evil.example\\)");
  });

  it("degrades the auditor's 1,500-route change: a few diagrams, the table cut by rows, diffs as names", () => {
    let base = "";
    let head = "";
    const drOf = (i: number) => dr.replace(/reviews/g, `r${i}`);
    for (let i = 0; i < 1_500; i++) {
      base += vs(90, 10, `r${i}`).replace(/reviews/g, `r${i}`) + drOf(i);
      head += vs(40, 60, `r${i}`).replace(/reviews/g, `r${i}`) + drOf(i);
    }
    const md = renderMarkdown(reviewChange(files(base), files(head), { analyzers: [] }));
    expect(md.length).toBeLessThanOrEqual(65_536);
    balanced(md);
    // The table keeps its heading and header, then as many rows as fit, then says how many are left.
    expect(md).toContain("#### Traffic, before → after\n\n| host | via | requests | before | after |\n|---|---|---|---|---|\n| <code>r0</code>");
    const rows = md.split("\n").filter((l) => l.startsWith("| <code>r")).length;
    const more = Number(/_… and ([\d,]+) more traffic rows not shown\._/.exec(md)?.[1]?.replace(/,/g, ""));
    expect(rows).toBeGreaterThan(10);
    expect(rows + more).toBe(1_500);
    // Diagrams went first: the first few stay, the rest are counted.
    expect(md.match(/```mermaid\nflowchart/g)?.length).toBe(DIAGRAMS_KEPT);
    expect(md).toContain(`_… and ${(1_500 - DIAGRAMS_KEPT).toLocaleString("en-US")} more diagrams not shown._`);
    // Per-resource diffs collapsed to their names.
    expect(md).not.toContain("<details>");
    expect(md).toContain("#### Changed resources\n\n- changed <code>VirtualService shop/r0</code>");
    expect(md).toMatch(new RegExp(`\\n> Shortened to stay within GitHub's comment size: .*${more.toLocaleString("en-US")} traffic rows.* not shown\\.`));
  }, 30_000);

  it("stays within the limit with fences and <details> balanced, whatever the size of each part", () => {
    const evil = (i: number) => `e${i}\`\`\`<details>|[a](https:evil)_*y*\r# h`;
    const rich = reviewChange(
      files(vs(90, 10) + dr + pa("STRICT") + orders),
      [{ path: `mesh/${evil(0)}.yaml`, content: vs(50, 50).replace("subset: v2}", `subset: "${evil(1)}"}`) + dr.replace("v2}", "v3}") + pa("PERMISSIVE") + orders + onlyFrontend }],
    );
    expect([rich.findings.length, rich.changes.length, rich.traffic.length, rich.mtls.length, rich.access.length].every((n) => n > 0)).toBe(true);
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    const times = <T>(list: readonly T[], k: number): T[] => Array.from({ length: k }, () => list).flat();
    for (let round = 0; round < 8; round++) {
      const k = () => [0, 1, 4, 200, 2_000][random(5)] ?? 1;
      const review: ChangeReview = {
        ...rich,
        findings: times(rich.findings, k()),
        changes: times(rich.changes, k()),
        traffic: times(rich.traffic, k()),
        mtls: times(rich.mtls, k()),
        access: times(rich.access, k()),
        policies: times(rich.policies, k() > 5 ? 5 : 1),
      };
      for (const limit of [2_000, 65_536]) {
        const md = renderMarkdown(review, { limit, marker: "meshgate:review" });
        expect(md.length).toBeLessThanOrEqual(limit);
        expect(md).toMatch(/^<!-- meshgate:review -->\n### /);
        balanced(md);
      }
      expect(renderCheckRun(review).summary.length).toBeLessThanOrEqual(65_535);
    }
  }, 60_000);
});

const pa = (mode: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: istio-system}\nspec:\n  mtls: {mode: ${mode}}\n---\n`;
const orders = "apiVersion: v1\nkind: Pod\nmetadata: {name: orders, namespace: shop, labels: {app: orders}}\nspec: {containers: [{name: app, image: orders}]}\n---\n";
const onlyFrontend =
  "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: orders, namespace: shop}\nspec:\n  selector: {matchLabels: {app: orders}}\n  rules:\n  - from: [{source: {principals: [cluster.local/ns/shop/sa/frontend]}}]\n---\n";
