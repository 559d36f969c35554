import type { RequestClass, TrafficShare } from "../simulation/simulate-traffic.ts";

/** How a medium shows names and emphasis: Markdown (`<code>`, `**`) or a terminal (plain, colours). */
export interface OutcomeStyle {
  readonly name: (text: string) => string;
  readonly strong: (text: string) => string;
}

export function formatPercent(p: number): string {
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}

/** A destination as people name it: the service's short name, then the subset. */
export function shortDestination(s: TrafficShare, separator = "/"): string {
  return `${s.host.split(".")[0] ?? s.host}${s.subset ? `${separator}${s.subset}` : ""}`;
}

function describeShare(s: TrafficShare, style: OutcomeStyle): string {
  const problem = s.problem === undefined ? "" : ` ⚠️ ${s.problem === "unknown-subset" ? "subset missing" : "host missing"}`;
  return `${style.name(shortDestination(s))} ${formatPercent(s.percent)}${problem}`;
}

/**
 * Where one request class goes: its shares, then what is mirrored. `mirrors` is read as optional so
 * this reads any outcome whether or not the simulation fills it.
 */
export function describeOutcome(outcome: RequestClass | undefined, style: OutcomeStyle): string {
  if (outcome === undefined) return "—";
  if (outcome.action === "redirect") return "redirect";
  if (outcome.action === "direct-response") return "direct response";
  const shares = outcome.shares.length === 0 ? style.strong("nowhere") : outcome.shares.map((s) => describeShare(s, style)).join(", ");
  const mirrors: readonly TrafficShare[] = outcome.mirrors ?? [];
  return mirrors.length === 0 ? shares : `${shares} · mirror ${mirrors.map((m) => describeShare(m, style)).join(", ")}`;
}
