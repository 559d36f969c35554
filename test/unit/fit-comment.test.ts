import { describe, expect, it } from "vitest";
import { type CommentPart, DIAGRAMS_KEPT, fitComment } from "../../src/render/fit-comment.ts";

const HEAD = "### ✅ meshgate: no new problems";
const table = (rows: number) => ["#### Traffic", "", "| host | share |", "|---|---|", ...Array.from({ length: rows }, (_, i) => `| <code>host-${i}</code> | ${i}% |`)].join("\n");
const list = (title: string, items: number, width = 40) => [`#### ${title}`, "", ...Array.from({ length: items }, (_, i) => `- item ${i} ${"x".repeat(width)}`)].join("\n");
const diagram = (i: number) => ["```mermaid", "flowchart LR", `  r${i}["host-${i}"] --> d${i}["v2"]`, "```"].join("\n");
const details = (i: number, body: number) => [`<details><summary>changed r${i}</summary>`, "", "```diff", "x".repeat(body), "```", "", "</details>"].join("\n");

const traffic = (rows: number, diagrams: number): CommentPart => ({
  name: "traffic",
  blocks: [table(rows), ...Array.from({ length: diagrams }, (_, i) => diagram(i))],
  summary: `**Traffic**: ${rows} request classes change.`,
  unit: ["traffic row", "traffic rows"],
});
const findings = (items: number): CommentPart => ({ name: "findings", blocks: [list("Findings", items)], summary: `**Findings**: ${items} findings.`, unit: ["finding", "findings"] });
const diffs = (n: number, body: number): CommentPart => ({
  name: "resource diffs",
  blocks: Array.from({ length: n }, (_, i) => details(i, body)),
  collapsed: [list("Changed resources", n, 10)],
  summary: `**Resources**: ${n} changed.`,
  unit: ["resource", "resources"],
});

describe("fitComment", () => {
  it("keeps everything, with no note, when it fits", () => {
    const md = fitComment(HEAD, [traffic(3, 2), findings(2)], 65_536);
    expect(md).toBe(`${[HEAD, table(3), diagram(0), diagram(1), list("Findings", 2)].join("\n\n")}\n`);
  });

  it("drops diagrams first, keeping the first few and saying how many more", () => {
    const parts = [traffic(3, 40)];
    const md = fitComment(HEAD, parts, table(3).length + 10 * diagram(0).length);
    expect(md.match(/```mermaid/g)?.length).toBe(DIAGRAMS_KEPT);
    expect(md).toContain(`${table(3)}\n\n${diagram(0)}`);
    expect(md).toContain(`_… and ${40 - DIAGRAMS_KEPT} more diagrams not shown._`);
    expect(md).toContain(`> Shortened to stay within GitHub's comment size: ${40 - DIAGRAMS_KEPT} traffic diagrams not shown.`);
  });

  it("collapses per-resource diffs to their names before cutting lines", () => {
    const md = fitComment(HEAD, [findings(5), diffs(30, 500)], 5_000);
    expect(md).not.toContain("<details>");
    expect(md).toContain(list("Changed resources", 30, 10));
    expect(md).toContain(list("Findings", 5));
  });

  it("cuts a table at whole rows after its heading and header, and counts the rest", () => {
    const md = fitComment(HEAD, [traffic(2_000, 0)], 20_000);
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain("#### Traffic\n\n| host | share |\n|---|---|\n| <code>host-0</code> | 0% |");
    const rows = md.split("\n").filter((l) => l.startsWith("| <code>host-")).length;
    expect(rows).toBeGreaterThan(100);
    expect(md).toContain(`| <code>host-${rows - 1}</code> | ${rows - 1}% |\n\n_… and ${(2_000 - rows).toLocaleString("en-US")} more traffic rows not shown._`);
  });

  it("shares the space fairly, so a huge part cannot crowd out a small one after it", () => {
    const md = fitComment(HEAD, [traffic(5_000, 0), findings(20)], 30_000);
    expect(md).toContain(list("Findings", 20));
    expect(md).toContain("more traffic rows not shown");
  });

  it("summarises a part in counts when not one of its lines fits, and names it when not even that does", () => {
    const wide: CommentPart = { name: "rollout", blocks: [list("Rollout", 3, 5_000)], summary: "**Rollout**: 3 steps.", unit: ["rollout line", "rollout lines"] };
    expect(fitComment(HEAD, [wide], 3_000)).toContain("\n\n**Rollout**: 3 steps.\n\n> Shortened to stay within GitHub's comment size: rollout details not shown.");
    const md = fitComment(HEAD, [wide], HEAD.length + 1_000);
    expect(md).not.toContain("**Rollout**");
    expect(md).toContain("the rollout section not shown");
  });

  it("never cuts a block holding a fence or a <details>: it is kept whole or summarised", () => {
    const big: CommentPart = { name: "resource diffs", blocks: [details(0, 50_000)], summary: "**Resources**: 1 changed.", unit: ["resource", "resources"] };
    const md = fitComment(HEAD, [big], 10_000);
    expect(md).not.toContain("<details>");
    expect(md).not.toContain("```");
    expect(md).toContain("**Resources**: 1 changed.");
  });
});
