import { describe, expect, it } from "vitest";
import { accessSection } from "../../src/render/access-section.ts";
import { renderMarkdown } from "../../src/render/render-markdown.ts";
import { reviewChange } from "../../src/review/review-change.ts";

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: orders, namespace: shop}
spec:
  selector: {matchLabels: {app: orders}}
  template:
    metadata: {labels: {app: orders}}
    spec: {containers: [{name: orders, image: orders}]}
---
`;
// Audit case F: a principal with a backtick and an HTML tag, methods that are HTML and a Markdown link.
const hostile = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: orders, namespace: shop}
spec:
  selector: {matchLabels: {app: orders}}
  rules:
  - from: [{source: {principals: ["cluster.local/ns/shop/sa/x\`<img src=x onerror=alert(1)>"]}}]
    to: [{operation: {methods: ["<b>BOLD</b>", "[click](https://evil.example)"], paths: ["/a"]}}]
`;
const files = (text: string) => [{ path: "mesh/orders.yaml", content: text }];

/** The section with every code span taken out: what is left is prose, which must carry no markup. */
function outsideCode(md: string): string {
  return md.replace(/<code>[^<]*<\/code>/g, "");
}

describe("accessSection", () => {
  const review = reviewChange(files(deployment), files(deployment + hostile), { analyzers: [] });
  const [section = ""] = accessSection(review);

  it("renders every part of a sentence escaped, so repo text cannot open a tag, a link or a code span", () => {
    expect(review.access.length).toBeGreaterThan(0);
    expect(section).not.toMatch(/<img|<b>|\]\(https/);
    const prose = outsideCode(section.split("\n").slice(2).join("\n"));
    expect(prose).not.toMatch(/[<>`]/);
    expect((section.match(/<code>/g) ?? []).length).toBe((section.match(/<\/code>/g) ?? []).length);
  });

  it("still shows the names, as code", () => {
    // Entities in code spans display as the characters themselves.
    const decoded = section.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
    expect(decoded).toContain("<code>x`<img src=x onerror=alert(1)></code>");
    expect(decoded).toContain("<code><b>BOLD</b></code>");
    expect(decoded).toContain("<code>/a</code> on <code>shop/orders</code>");
  });

  it("keeps the plain sentence for JSON and the terminal", () => {
    expect(review.access.every((a) => !a.sentence.includes("<code>"))).toBe(true);
    expect(renderMarkdown(review)).toContain(section);
  });
});
