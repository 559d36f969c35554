import { formatOrigin } from "../mesh/resource.ts";
import type { Finding, Severity } from "../review/finding.ts";
import type { FindingSummary } from "../review/summarize-findings.ts";
import { oneLine } from "./one-line.ts";

export interface TextOptions {
  /** ANSI colours, for a terminal. */
  readonly color: boolean;
}

const COLORS: Readonly<Record<Severity | "dim" | "bold" | "ok", string>> = {
  error: "\u001b[31m",
  warning: "\u001b[33m",
  info: "\u001b[36m",
  dim: "\u001b[2m",
  bold: "\u001b[1m",
  ok: "\u001b[32m",
};
const RESET = "\u001b[0m";

export type TextStyle = keyof typeof COLORS;
export type Paint = (style: TextStyle, text: string) => string;

/** Styles text with ANSI colours, or leaves it plain when colour is off (NO_COLOR, a file, a pipe). */
export function painter(color: boolean): Paint {
  return (style, text) => (color ? `${COLORS[style]}${text}${RESET}` : text);
}

/**
 * What a person wants in a terminal: findings grouped by file, each on its line, then a one-line tally.
 * Repo text goes through oneLine: a control character in a message could otherwise drive the terminal.
 */
export function renderText(findings: readonly Finding[], summary: FindingSummary, options: TextOptions): string {
  const paint = painter(options.color);
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    let list = byFile.get(f.file);
    if (!list) byFile.set(f.file, (list = []));
    list.push(f);
  }
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(paint("bold", oneLine(file)));
    const width = Math.max(...list.map((f) => `${f.line}:${f.column}`.length));
    for (const f of list) {
      const where = `${f.line}:${f.column}`.padEnd(width);
      const origin = f.resource ? paint("dim", `  ${oneLine(formatOrigin(f.resource))}`) : "";
      lines.push(`  ${paint("dim", where)}  ${paint(f.severity, f.severity.padEnd(7))} ${oneLine(f.message)}  ${paint("dim", oneLine(`${f.code} ${f.rule}`))}${origin}`);
    }
    lines.push("");
  }
  lines.push(renderTally(summary, paint));
  return `${lines.join("\n")}\n`;
}

function renderTally(s: FindingSummary, paint: Paint): string {
  const checked = `${s.resources} resource${s.resources === 1 ? "" : "s"} in ${s.files} file${s.files === 1 ? "" : "s"}`;
  if (s.errors + s.warnings + s.infos === 0) return paint("ok", `✓ ${checked}: no problems found`);
  const parts = [
    s.errors > 0 ? paint("error", `${s.errors} error${s.errors === 1 ? "" : "s"}`) : "",
    s.warnings > 0 ? paint("warning", `${s.warnings} warning${s.warnings === 1 ? "" : "s"}`) : "",
    s.infos > 0 ? paint("info", `${s.infos} info`) : "",
  ].filter((p) => p !== "");
  return `${parts.join(", ")} in ${checked}`;
}
