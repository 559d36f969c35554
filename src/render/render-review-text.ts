import { formatOrigin } from "../mesh/resource.ts";
import type { ChangeReview } from "../review/review-change.ts";
import { summarizeFindings } from "../review/summarize-findings.ts";
import { countOf } from "./count-of.ts";
import { describeOutcome, type OutcomeStyle } from "./describe-outcome.ts";
import { formatDuration, formatTimeTo } from "./format-duration.ts";
import { oneLine } from "./one-line.ts";
import { type Paint, painter, renderText, type TextOptions } from "./render-text.ts";
import { reviewVerdict } from "./review-verdict.ts";

const VERDICT_STYLE = { failure: ["error", "✗"], warning: ["warning", "!"], success: ["ok", "✓"] } as const;

function headline(r: ChangeReview, paint: Paint): string {
  const v = reviewVerdict(r);
  const [style, icon] = VERDICT_STYLE[v.level];
  const changes = (t: string) => r.changes.filter((c) => c.type === t).length;
  const policies = r.policies.length === 0 ? [] : [`policies ${r.policies.filter((p) => p.status === "passed").length} passed, ${r.policies.filter((p) => p.status === "failed").length} failed`];
  const rollout = r.rollout.steps.length > 0 ? `rollout ${countOf(r.rollout.steps.length, "step")}, ${formatDuration(r.rollout.totalSeconds)}` : "applied at once";
  const tally = [`${changes("added")} added, ${changes("changed")} changed, ${changes("removed")} removed`, ...policies, countOf(r.traffic.length, "traffic change"), rollout];
  return `${paint(style, paint("bold", `${icon} ${v.text}`))}\n${paint("dim", tally.join(" · "))}`;
}

function section(title: string, lines: readonly string[], paint: Paint): string[] {
  return lines.length === 0 ? [] : [[paint("bold", title), ...lines.map((l) => `  ${l}`)].join("\n")];
}

function traffic(r: ChangeReview, paint: Paint): string[] {
  const style: OutcomeStyle = { name: oneLine, strong: (t) => paint("bold", t) };
  return section(
    "Traffic, before → after",
    r.traffic.map((t) => `${oneLine(t.host)} via ${oneLine(t.gateway)}, ${oneLine(t.match)}: ${describeOutcome(t.before, style)} → ${describeOutcome(t.after, style)}${t.after?.unreachable ? " (unreachable)" : ""}${t.note ? ` (${oneLine(t.note)})` : ""}${t.outage ? ` ${paint("error", "OUTAGE")}` : ""}`),
    paint,
  );
}

function mtls(r: ChangeReview, paint: Paint): string[] {
  return section(
    "mTLS",
    r.mtls.map((m) =>
      m.conflict
        ? `${paint("error", "✗")} ${oneLine(formatOrigin(m.conflict.rule))}: ${oneLine(m.conflict.message)}`
        : m.channel
          ? `${paint("warning", "weaker")} ${oneLine(m.scope)}` // a client-side change: the scope says from what to what
          : `${m.weakening ? `${paint("warning", "weaker")} ` : ""}${oneLine(m.scope)}: ${m.before ?? "—"} → ${m.after ?? "—"}`,
    ),
    paint,
  );
}

function access(r: ChangeReview, paint: Paint): string[] {
  return section("Access", r.access.map((a) => `${a.after === "allow" ? paint("warning", "+") : a.after === "external" ? paint("warning", "?") : paint("info", "-")} ${oneLine(a.sentence)}`), paint);
}

function rollout(r: ChangeReview, paint: Paint): string[] {
  const p = r.rollout;
  if (p.steps.length === 0 && p.unsteppable.length === 0) return [];
  const names = (refs: typeof p.before) => refs.map((x) => oneLine(formatOrigin(x))).join(", ");
  const lines = [
    ...(p.before.length > 0 ? [`First applied: ${names(p.before)}`] : []),
    ...p.steps.map((s) => `Step ${s.index}: ${s.weights.map((w, i) => `${oneLine(p.routes[i]?.resource.name ?? "?")} ${w.join("/")}`).join(", ")}; bake ${formatDuration(s.bakeSeconds)}${s.gates.length > 0 ? `, then check ${s.gates.map(oneLine).join(", ")}` : ""}`),
    ...(p.after.length > 0 ? [`After traffic drained: ${names(p.after)}`] : []),
    ...p.unsteppable.map((u) => `${paint("warning", "!")} ${oneLine(formatOrigin(u.resource))} cannot be stepped: ${oneLine(u.reason)}; it is applied at once`),
    `Full rollout ${formatTimeTo(p.totalSeconds)}; rollback ${formatTimeTo(p.rollbackSeconds)}.`,
  ];
  return section("Rollout on merge", lines, paint);
}

/** New findings only (they decide the exit status); the ones the base already had are counted. */
function findings(r: ChangeReview, options: TextOptions, paint: Paint): string {
  const fresh = r.findings.filter((f) => f.isNew);
  const old = r.findings.length - fresh.length;
  const text = renderText(fresh, summarizeFindings(fresh, r.files, r.resources), options);
  return `${paint("bold", "Findings")}\n${text}${old > 0 ? `${paint("dim", `${countOf(old, "finding")} the base already had ${old === 1 ? "is" : "are"} not shown.`)}\n` : ""}`;
}

/**
 * `meshgate check --base … --format text`: the review the comment shows, for a terminal. The verdict
 * and tally, traffic before → after, mTLS, access, the rollout, then the new findings as renderText
 * prints them; colour only when asked, and repo text made one plain line so it cannot drive the terminal.
 */
export function renderReviewText(review: ChangeReview, options: TextOptions): string {
  const paint = painter(options.color);
  const parts = [headline(review, paint), ...traffic(review, paint), ...mtls(review, paint), ...access(review, paint), ...rollout(review, paint), findings(review, options, paint)];
  return parts.join("\n\n");
}
