import { formatFieldPath } from "../mesh/field-path.ts";
import { formatOrigin, type ResourceRef } from "../mesh/resource.ts";
import type { SteppedRoute } from "../rollout/plan-rollout.ts";
import type { ChangeReview } from "../review/review-change.ts";
import { codeSpan, escapeMarkdown } from "./escape-markdown.ts";
import { formatDuration } from "./format-duration.ts";

/**
 * The PR comment's rollout plan: which routes move and how, what is applied first, each step with bake
 * and gates, what waits for drain, what cannot be stepped. With rollouts off: that merging applies it at once.
 */
export function rolloutSection(r: ChangeReview): string[] {
  const p = r.rollout;
  const label = routeLabel(p.routes);
  const moves = p.routes.map((route) => `- ${label(route)} (${route.destinations.map(codeSpan).join(" / ")}): ${route.from.join("/")} → ${route.to.join("/")}`);
  if (!p.rolloutsOn) {
    if (p.routes.length === 0) return [];
    return [["#### Rollout on merge", "", "Rollouts are off (`rollout.mode: off`): merging applies the whole change at once, with no steps, bake time or gates.", "", ...moves].join("\n")];
  }
  if (p.steps.length === 0 && p.unsteppable.length === 0) return [];
  const both = (x: ResourceRef) => p.before.some((b) => formatOrigin(b) === formatOrigin(x)) && p.after.some((a) => formatOrigin(a) === formatOrigin(x));
  const lines = ["#### Rollout on merge", ""];
  if (moves.length > 0) lines.push("Weights that move (the steps list them in this order):", "", ...moves, "");
  if (p.before.length > 0) lines.push(`1. First applied: ${p.before.map((x) => `${codeSpan(formatOrigin(x))}${both(x) ? " (what it adds)" : ""}`).join(", ")}`);
  p.steps.forEach((s) => {
    const w = s.weights.map((ws, i) => `${p.routes[i] ? label(p.routes[i]) : "?"} ${ws.join("/")}`).join(", ");
    lines.push(`1. Step ${s.index}: ${w}; bake ${formatDuration(s.bakeSeconds)}${s.gates.length > 0 ? `, then check ${s.gates.map(escapeMarkdown).join(", ")}` : ""}`);
  });
  if (p.after.length > 0) lines.push(`1. After traffic drained: ${p.after.map((x) => `${codeSpan(formatOrigin(x))}${both(x) ? " (what it removes)" : ""}`).join(", ")}`);
  for (const u of p.unsteppable) lines.push(`- ⚠️ ${codeSpan(formatOrigin(u.resource))} cannot be stepped: ${escapeMarkdown(u.reason)}; it is applied at once.`);
  const gated = p.steps.some((s) => s.gates.length > 0);
  if (p.steps.length === 0) lines.push("", "No weights are stepped: merging applies the whole change at once.");
  else lines.push("", `Full rollout in about ${formatDuration(p.totalSeconds)}; ${gated ? "a failing check rolls back to the base weights within" : "rollback (`/meshgate abort`) restores the base weights in"} ${formatDuration(p.rollbackSeconds)}.`);
  const timeline = ["```mermaid", "timeline", "  title Rollout", ...p.steps.map((s) => `  Step ${s.index} : ${s.weights.map((w) => w.join("/")).join(" ; ").replace(/:/g, "")} : bake ${formatDuration(s.bakeSeconds)}`), "```"];
  return [lines.join("\n"), ...(p.steps.length > 0 ? [timeline.join("\n")] : [])];
}

/** A route by its resource's name, plus the rule (`tcp[0]`, `rules[1]`) when the plan moves several of that resource's routes. */
function routeLabel(routes: readonly SteppedRoute[]): (route: SteppedRoute) => string {
  const count = new Map<string, number>();
  for (const r of routes) count.set(formatOrigin(r.resource), (count.get(formatOrigin(r.resource)) ?? 0) + 1);
  return (route) => {
    if ((count.get(formatOrigin(route.resource)) ?? 0) < 2) return codeSpan(route.resource.name);
    const rule = formatFieldPath(route.field.slice(1, 3));
    return codeSpan(`${route.resource.name} ${rule}${route.name !== undefined ? ` (${route.name})` : ""}`);
  };
}
