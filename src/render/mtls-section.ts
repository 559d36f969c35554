import { formatOrigin } from "../mesh/resource.ts";
import type { ChangeReview } from "../review/review-change.ts";
import { conflictMessage, describeClients, formatPorts } from "../simulation/mtls-channels.ts";
import type { MtlsChange, MtlsConflict } from "../simulation/simulate-mtls.ts";
import { codeSpan, escapeMarkdown } from "./escape-markdown.ts";

/** Past this many lines the section names how many changes it leaves out rather than growing. */
const MAX_LINES = 60;
/** Workloads named after a namespace line whose change they simply follow. */
const MAX_FOLLOWERS = 10;

const WEAKER = "⚠️ **weaker**: ";

interface Entry {
  /** 0: breaks traffic, 1: weaker, 2: other. */
  readonly rank: number;
  readonly lines: readonly string[];
}

/**
 * The PR comment's mTLS changes: conflicts that break traffic first (one line per deciding field and
 * workload, its ports together), then weakenings and other changes in mesh → namespace → workload order.
 * A workload that only follows its namespace's change is named on the namespace's line; port-level
 * changes are nested under their workload; client-side changes name the clients and the rule.
 */
export function mtlsSection(r: ChangeReview): string[] {
  if (r.mtls.length === 0) return [];
  const entries = [...conflictEntries(r.mtls.flatMap((m) => (m.conflict ? [m.conflict] : []))), ...modeEntries(r.mtls), ...channelEntries(r.mtls)];
  // Stable: within a rank the simulation's order (mesh, namespaces, workloads) stays.
  entries.sort((a, b) => a.rank - b.rank);
  const lines: string[] = [];
  let shown = 0;
  for (const e of entries) {
    if (lines.length + e.lines.length > MAX_LINES && shown > 0) break;
    lines.push(...e.lines);
    shown++;
  }
  if (shown < entries.length) lines.push(`- … and ${entries.length - shown} more mTLS change${entries.length - shown === 1 ? "" : "s"} not shown`);
  return [["#### mTLS", "", ...lines].join("\n")];
}

function arrow(m: Pick<MtlsChange, "before" | "after">): string {
  return `${m.before ?? "—"} → ${m.after ?? "—"}`;
}

function conflictEntries(conflicts: readonly MtlsConflict[]): Entry[] {
  const groups = new Map<string, MtlsConflict[]>();
  for (const c of conflicts) {
    const id = [c.rule.kind, c.rule.namespace, c.rule.name, c.line, c.workload, c.cause, c.clientMode, c.serverMode, c.subset ?? "", c.clients.join(","), (c.unaffectedClients ?? []).join(",")].join("\u0000");
    const list = groups.get(id);
    if (list) list.push(c);
    else groups.set(id, [c]);
  }
  return [...groups.values()].map((list) => {
    const c = list[0] as MtlsConflict;
    return { rank: 0, lines: [`- 🚨 ${escapeMarkdown(formatOrigin(c.rule))} at ${codeSpan(`${c.file}:${c.line}`)}: ${escapeMarkdown(conflictMessage(c, formatPorts(list)))}`] };
  });
}

function modeEntries(changes: readonly MtlsChange[]): Entry[] {
  const modes = changes.filter((m) => !m.conflict && !m.channel);
  const namespaceChange = new Map(modes.filter((m) => m.level === "namespace").map((m) => [m.namespace ?? "", m]));
  const portsOf = new Map<string, MtlsChange[]>();
  for (const m of modes) {
    if (m.level !== "port") continue;
    const id = `${m.namespace ?? ""}/${m.workload ?? ""}`;
    portsOf.set(id, [...(portsOf.get(id) ?? []), m]);
  }
  // A workload whose change is its namespace's, with no port of its own changing, is only named there.
  const followers = new Map<string, string[]>();
  const workloads = new Map<string, MtlsChange>();
  for (const m of modes) {
    if (m.level !== "workload") continue;
    const id = `${m.namespace ?? ""}/${m.workload ?? ""}`;
    const ns = namespaceChange.get(m.namespace ?? "");
    if (ns && ns.before === m.before && ns.after === m.after && !portsOf.has(id)) followers.set(m.namespace ?? "", [...(followers.get(m.namespace ?? "") ?? []), m.workload ?? ""]);
    else workloads.set(id, m);
  }
  const out: Entry[] = [];
  for (const m of modes) {
    if (m.level === "mesh" || m.level === undefined) out.push({ rank: m.weakening ? 1 : 2, lines: [`- ${m.weakening ? WEAKER : ""}${escapeMarkdown(m.scope)}: ${arrow(m)}`] });
    else if (m.level === "namespace") {
      const names = followers.get(m.namespace ?? "") ?? [];
      const listed = names.slice(0, MAX_FOLLOWERS).map(codeSpan).join(", ") + (names.length > MAX_FOLLOWERS ? ` and ${names.length - MAX_FOLLOWERS} more` : "");
      out.push({ rank: m.weakening ? 1 : 2, lines: [`- ${m.weakening ? WEAKER : ""}namespace ${codeSpan(m.namespace ?? "")}: ${arrow(m)}${names.length > 0 ? `, and so ${names.length === 1 ? "its workload" : "its workloads"} ${listed}` : ""}`] });
    }
  }
  // Workloads, then any workload whose ports changed while it did not, each with its ports nested.
  const ids = [...new Set([...workloads.keys(), ...portsOf.keys()])];
  for (const id of ids) {
    const w = workloads.get(id);
    const ports = portsOf.get(id) ?? [];
    const weaker = (w?.weakening ?? false) || ports.some((p) => p.weakening);
    const head = w ? `- ${w.weakening ? WEAKER : ""}workload ${codeSpan(id)}: ${arrow(w)}` : `- workload ${codeSpan(id)}, by port:`;
    const nested = ports.map((p) => `  - ${p.weakening ? WEAKER : ""}port ${codeSpan(p.port ?? "")}: ${arrow(p)}`);
    out.push({ rank: weaker ? 1 : 2, lines: [head, ...nested] });
  }
  return out;
}

function channelEntries(changes: readonly MtlsChange[]): Entry[] {
  return changes.flatMap((m) => {
    const c = m.channel;
    if (!c) return [];
    const ports = formatPorts([c]);
    const where = `${codeSpan(c.workload)}${ports ? ` ${escapeMarkdown(ports)}` : ""}${c.subset !== undefined ? ` (subset ${codeSpan(c.subset)})` : ""}`;
    const by = c.rule ? `clients apply ${escapeMarkdown(formatOrigin(c.rule))}` : "no DestinationRule applies";
    return [{ rank: c.weakening ? 1 : 2, lines: [`- ${c.weakening ? WEAKER : ""}${escapeMarkdown(describeClients(c.clients, c.unaffectedClients))} → ${where}: ${c.before} → ${c.after} (${by})`] }];
  });
}
