import { formatOrigin } from "../mesh/resource.ts";
import type { ChangeReview } from "../review/review-change.ts";
import { codeSpan, escapeMarkdown } from "./escape-markdown.ts";
import { formatDuration } from "./format-duration.ts";

/** The PR comment's rollout plan: what is applied first, each step with bake and gates, what waits for drain. */
export function rolloutSection(r: ChangeReview): string[] {
  const p = r.rollout;
  if (p.steps.length === 0 && p.unsteppable.length === 0) return [];
  const lines = ["#### Rollout on merge", ""];
  if (p.before.length > 0) lines.push(`1. First applied: ${p.before.map((x) => codeSpan(formatOrigin(x))).join(", ")}`);
  p.steps.forEach((s) => {
    const w = s.weights.map((ws, i) => `${codeSpan(p.routes[i]?.resource.name ?? "?")} ${ws.join("/")}`).join(", ");
    lines.push(`1. Step ${s.index}: ${w}; bake ${formatDuration(s.bakeSeconds)}${s.gates.length > 0 ? `, then check ${s.gates.map(escapeMarkdown).join(", ")}` : ""}`);
  });
  if (p.after.length > 0) lines.push(`1. After traffic drained: ${p.after.map((x) => codeSpan(formatOrigin(x))).join(", ")}`);
  for (const u of p.unsteppable) lines.push(`- ⚠️ ${codeSpan(formatOrigin(u.resource))} cannot be stepped: ${escapeMarkdown(u.reason)}; it is applied at once.`);
  lines.push("", `Full rollout in about ${formatDuration(p.totalSeconds)}; rollback restores the base weights in ${formatDuration(p.rollbackSeconds)}.`);
  const timeline = ["```mermaid", "timeline", "  title Rollout", ...p.steps.map((s) => `  Step ${s.index} : ${s.weights.map((w) => w.join("/")).join(" ; ").replace(/:/g, "")} : bake ${formatDuration(s.bakeSeconds)}`), "```"];
  return [lines.join("\n"), ...(p.steps.length > 0 ? [timeline.join("\n")] : [])];
}
