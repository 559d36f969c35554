import { formatFieldChanges } from "../diff/format-field-changes.ts";
import { formatOrigin } from "../mesh/resource.ts";
import type { ChangeReview } from "../review/review-change.ts";
import { accessSection } from "./access-section.ts";
import { codeSpan, escapeMarkdown } from "./escape-markdown.ts";
import { formatDuration } from "./format-duration.ts";
import { mtlsSection } from "./mtls-section.ts";
import { rolloutSection } from "./rollout-section.ts";
import { trafficSection } from "./traffic-section.ts";

/** GitHub refuses comment bodies over 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Prefix that turns `file#Lline` into a link, e.g. `https://github.com/o/r/blob/<sha>/`; none: no links. */
  readonly linkBase?: string;
  /** Hidden marker that lets the App find its own sticky comment. */
  readonly marker?: string;
  readonly limit?: number;
}

function verdict(r: ChangeReview): string {
  const errors = r.findings.filter((f) => f.isNew && f.severity === "error").length;
  const outages = r.traffic.filter((t) => t.outage).length;
  if (errors > 0 || outages > 0) {
    const parts = [errors > 0 ? `${errors} new error${errors === 1 ? "" : "s"}` : "", outages > 0 ? `${outages} request class${outages === 1 ? "" : "es"} would go nowhere` : ""].filter(Boolean);
    return `### ❌ meshgate: ${parts.join(", ")}`;
  }
  const warnings = r.findings.filter((f) => f.isNew && f.severity === "warning").length;
  const weaker = r.mtls.some((m) => m.weakening || m.conflict !== undefined);
  const opened = r.access.some((a) => a.after === "allow");
  const notes = [
    warnings > 0 ? `${warnings} new warning${warnings === 1 ? "" : "s"}` : "",
    weaker ? "mTLS weakened" : "",
    opened ? "access widened" : "",
  ].filter(Boolean);
  if (notes.length > 0) return `### ⚠️ meshgate: ${notes.join(", ")}; no new errors`;
  return "### ✅ meshgate: no new problems";
}

function summaryTable(r: ChangeReview): string {
  const count = (t: string) => r.changes.filter((c) => c.type === t).length;
  const sev = (s: string) => r.findings.filter((f) => f.severity === s).length;
  const fresh = (s: string) => r.findings.filter((f) => f.isNew && f.severity === s).length;
  const passed = r.policies.filter((p) => p.status === "passed").length;
  const failed = r.policies.filter((p) => p.status === "failed").length;
  return [
    "| added | changed | removed | errors (new) | warnings (new) | policies | traffic changes | rollout |",
    "|---:|---:|---:|---:|---:|---|---:|---|",
    `| ${count("added")} | ${count("changed")} | ${count("removed")} | ${sev("error")} (${fresh("error")}) | ${sev("warning")} (${fresh("warning")}) | ${r.policies.length > 0 ? `${passed} passed, ${failed} failed` : "—"} | ${r.traffic.length} | ${r.rollout.steps.length > 0 ? `${r.rollout.steps.length} steps, ${formatDuration(r.rollout.totalSeconds)}` : "applied at once"} |`,
  ].join("\n");
}

function policySection(r: ChangeReview): string[] {
  if (r.policies.length === 0) return [];
  const failed = r.policies.filter((p) => p.status === "failed");
  const passed = r.policies.filter((p) => p.status === "passed");
  const lines = ["#### Policies", ""];
  for (const p of failed) lines.push(`- ❌ ${escapeMarkdown(p.title)} (${codeSpan(p.id)}): ${p.violations} violation${p.violations === 1 ? "" : "s"}`);
  if (passed.length > 0) lines.push(`- ✅ ${passed.map((p) => escapeMarkdown(p.title)).join(" · ")}`);
  return [lines.join("\n")];
}

function findingsSection(r: ChangeReview, options: MarkdownOptions): string[] {
  if (r.findings.length === 0) return [];
  const byFile = new Map<string, ChangeReview["findings"][number][]>();
  for (const f of r.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const icon = { error: "❌", warning: "⚠️", info: "ℹ️" } as const;
  const blocks: string[] = [];
  for (const [file, list] of byFile) {
    // Chunks of 50, so one noisy file degrades to "some shown" rather than "none shown".
    for (let i = 0; i < list.length; i += 50) {
      const items = list.slice(i, i + 50).map((f) => {
        const where = options.linkBase ? `[L${f.line}](${options.linkBase}${encodeURI(file)}#L${f.line})` : `L${f.line}`;
        return `- ${icon[f.severity]} ${where} ${escapeMarkdown(f.message)} (${f.code}${f.isNew ? "" : ", already on base"})`;
      });
      blocks.push([`#### ${codeSpan(file)}${i > 0 ? " (continued)" : ""}`, "", ...items].join("\n"));
    }
  }
  return blocks;
}

function resourceDiffs(r: ChangeReview): string[] {
  return r.changes.map((c) => {
    const title = `${c.type} ${formatOrigin(c.resource)}${c.renamedFrom ? ` (renamed from ${c.renamedFrom.name})` : ""}${c.renamedTo ? ` (renamed to ${c.renamedTo.name})` : ""}`;
    const body = c.type === "changed" ? formatFieldChanges(c.fields, c.head).replace(/```/g, "ˋˋˋ") : "";
    return [`<details><summary>${escapeMarkdown(title)}</summary>`, "", ...(body ? ["```diff", body, "```"] : ["(whole resource)"]), "", "</details>"].join("\n");
  });
}

/**
 * The PR comment: verdict, summary, traffic, security, rollout, findings, per-resource diffs. Sections
 * are whole blocks added in that order while they fit the limit; what does not fit is named in a note,
 * so a code fence or a `<details>` is never cut in half.
 */
export function renderMarkdown(review: ChangeReview, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const head = [...(options.marker ? [`<!-- ${options.marker} -->`] : []), verdict(review), "", summaryTable(review)].join("\n");
  const optional: [string, string[]][] = [
    ["policies", policySection(review)],
    ["traffic", trafficSection(review)],
    ["mTLS", mtlsSection(review)],
    ["access", accessSection(review)],
    ["rollout", rolloutSection(review)],
    ["findings", findingsSection(review, options)],
    ["resource diffs", resourceDiffs(review)],
  ];
  const reserve = 300; // room for the omission note
  let out = head;
  const omitted: string[] = [];
  for (const [name, blocks] of optional) {
    let left = 0;
    for (const block of blocks) {
      if (out.length + block.length + 2 + reserve <= limit) out += `\n\n${block}`;
      else left++;
    }
    if (left > 0) omitted.push(`${left} ${name} block${left === 1 ? "" : "s"}`);
  }
  if (omitted.length > 0) out += `\n\n> Not shown, to stay within GitHub's comment size: ${omitted.join(", ")}. Run \`meshgate check --base\` locally for the whole review.`;
  return `${out}\n`;
}
