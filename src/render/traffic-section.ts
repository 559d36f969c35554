import type { ChangeReview } from "../review/review-change.ts";
import type { TrafficShare } from "../simulation/simulate-traffic.ts";
import { codeSpan, escapeMarkdown, mermaidLabel } from "./escape-markdown.ts";

function percent(p: number): string {
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}

function describeShares(shares: readonly TrafficShare[] | undefined, action?: string): string {
  if (action === "redirect") return "redirect";
  if (action === "direct-response") return "direct response";
  if (!shares || shares.length === 0) return action === undefined ? "—" : "**nowhere**";
  return shares
    .map((s) => `${codeSpan(`${s.host.split(".")[0] ?? s.host}${s.subset ? `/${s.subset}` : ""}`)} ${percent(s.percent)}${s.problem ? ` ⚠️ ${s.problem === "unknown-subset" ? "subset missing" : "host missing"}` : ""}`)
    .join(", ");
}

/** The PR comment's traffic table before → after, and a Mermaid diagram of each changed split. */
export function trafficSection(r: ChangeReview): string[] {
  if (r.traffic.length === 0) return [];
  const rows = r.traffic.map(
    (t) =>
      `| ${codeSpan(t.host)} | ${codeSpan(t.gateway)} | ${escapeMarkdown(t.match)} | ${describeShares(t.before?.shares, t.before?.action)} | ${describeShares(t.after?.shares, t.after?.action)}${t.outage ? " 🚨 **outage**" : ""} |`,
  );
  const table = ["#### Traffic, before → after", "", "| host | via | requests | before | after |", "|---|---|---|---|---|", ...rows].join("\n");
  const diagrams = r.traffic
    .filter((t) => t.after && t.after.shares.length > 1)
    .map((t, i) => {
      const lines = ["```mermaid", "flowchart LR", `  r${i}[${mermaidLabel(`${t.host} (${t.match})`)}]`];
      (t.after?.shares ?? []).forEach((s, j) => lines.push(`  r${i} -->|${mermaidLabel(percent(s.percent))}| d${i}_${j}[${mermaidLabel(`${s.host.split(".")[0] ?? s.host}${s.subset ? ` ${s.subset}` : ""}`)}]`));
      lines.push("```");
      return lines.join("\n");
    });
  return [table, ...diagrams];
}
