import type { ChangeReview } from "../review/review-change.ts";
import type { TrafficChange } from "../simulation/diff-traffic.ts";
import { describeOutcome, formatPercent, type OutcomeStyle, shortDestination } from "./describe-outcome.ts";
import { codeSpan, escapeMarkdown, mermaidLabel } from "./escape-markdown.ts";

const MARKDOWN: OutcomeStyle = { name: codeSpan, strong: (t) => `**${t}**` };

function row(t: TrafficChange): string {
  // A rule no request reaches (an earlier, wider rule takes them) says so, and a note names the rule that now takes a class's requests.
  const unreachable = t.after?.unreachable ? " (unreachable: an earlier rule takes these requests)" : "";
  const note = t.note ? ` (${escapeMarkdown(t.note)})` : "";
  const after = `${describeOutcome(t.after, MARKDOWN)}${unreachable}${note}${t.outage ? " 🚨 **outage**" : ""}`;
  return `| ${codeSpan(t.host)} | ${codeSpan(t.gateway)} | ${escapeMarkdown(t.match)} | ${describeOutcome(t.before, MARKDOWN)} | ${after} |`;
}

/** A flowchart of where a class now goes; mirrors as dotted edges, since they copy rather than split. */
function diagram(t: TrafficChange, i: number): string {
  const lines = ["```mermaid", "flowchart LR", `  r${i}[${mermaidLabel(`${t.host} (${t.match})`)}]`];
  (t.after?.shares ?? []).forEach((s, j) => lines.push(`  r${i} -->|${mermaidLabel(formatPercent(s.percent))}| d${i}_${j}[${mermaidLabel(shortDestination(s, " "))}]`));
  (t.after?.mirrors ?? []).forEach((m, j) => lines.push(`  r${i} -.->|${mermaidLabel(`mirror ${formatPercent(m.percent)}`)}| m${i}_${j}[${mermaidLabel(shortDestination(m, " "))}]`));
  lines.push("```");
  return lines.join("\n");
}

/**
 * The PR comment's traffic table before → after, then a Mermaid diagram of each changed split (one
 * block each, so the comment can drop diagrams before it drops rows).
 */
export function trafficSection(r: ChangeReview): string[] {
  if (r.traffic.length === 0) return [];
  const table = ["#### Traffic, before → after", "", "| host | via | requests | before | after |", "|---|---|---|---|---|", ...r.traffic.map(row)].join("\n");
  const split = r.traffic.filter((t) => t.after && (t.after.shares.length > 1 || (t.after.mirrors ?? []).length > 0));
  return [table, ...split.map(diagram)];
}
