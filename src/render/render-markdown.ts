import { formatFieldChanges } from "../diff/format-field-changes.ts";
import { formatOrigin } from "../mesh/resource.ts";
import type { ChangeReview } from "../review/review-change.ts";
import { accessSection } from "./access-section.ts";
import { countOf } from "./count-of.ts";
import { encodeUriPath } from "./encode-uri-path.ts";
import { codeSpan, escapeMarkdown } from "./escape-markdown.ts";
import { type CommentPart, fitComment } from "./fit-comment.ts";
import { formatDuration, formatTimeTo } from "./format-duration.ts";
import { mtlsSection } from "./mtls-section.ts";
import { reviewVerdict } from "./review-verdict.ts";
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
  // One block per file; when space runs out, fitComment keeps its first lines and counts the rest.
  return [...byFile].map(([file, list]) => {
    const items = list.map((f) => {
      const where = options.linkBase ? `[L${f.line}](${options.linkBase}${encodeUriPath(file)}#L${f.line})` : `L${f.line}`;
      return `- ${icon[f.severity]} ${where} ${escapeMarkdown(f.message)} (${escapeMarkdown(f.code)}${f.isNew ? "" : ", already on base"})`;
    });
    return [`#### ${codeSpan(file)}`, "", ...items].join("\n");
  });
}

function renameNote(c: ChangeReview["changes"][number]): string {
  return `${c.renamedFrom ? ` (renamed from ${c.renamedFrom.name})` : ""}${c.renamedTo ? ` (renamed to ${c.renamedTo.name})` : ""}`;
}

function resourceDiffs(r: ChangeReview): string[] {
  return r.changes.map((c) => {
    const title = `${c.type} ${formatOrigin(c.resource)}${renameNote(c)}`;
    // A line of three backticks in a value would end the fence: ˋ (U+02CB) looks the same and cannot.
    const body = c.fields.length > 0 ? formatFieldChanges(c.fields, c.head).replace(/```/g, "ˋˋˋ") : "";
    return [`<details><summary>${escapeMarkdown(title)}</summary>`, "", ...(body ? ["```diff", body, "```"] : ["(whole resource)"]), "", "</details>"].join("\n");
  });
}

/** What the diffs collapse to when the comment must shrink: the resources, one line each. */
function resourceNames(r: ChangeReview): string[] {
  if (r.changes.length === 0) return [];
  return [["#### Changed resources", "", ...r.changes.map((c) => `- ${c.type} ${codeSpan(formatOrigin(c.resource))}${escapeMarkdown(renameNote(c))}`)].join("\n")];
}

/** Each part of the comment in one line of counts, for when its details do not fit. */
function summaries(r: ChangeReview): Record<"policies" | "traffic" | "mtls" | "access" | "rollout" | "findings" | "resources", string> {
  const count = <T>(list: readonly T[], pred: (x: T) => boolean) => list.filter(pred).length;
  const changes = (t: string) => count(r.changes, (c) => c.type === t);
  const hosts = new Set(r.traffic.map((t) => t.host)).size;
  const files = new Set(r.findings.map((f) => f.file)).size;
  return {
    policies: `**Policies**: ${count(r.policies, (p) => p.status === "passed")} passed, ${count(r.policies, (p) => p.status === "failed")} failed.`,
    traffic: `**Traffic**: ${countOf(r.traffic.length, "request class", "request classes")} change on ${countOf(hosts, "host")}; ${countOf(count(r.traffic, (t) => t.outage), "outage")}.`,
    mtls: `**mTLS**: ${countOf(r.mtls.length, "change")}, ${countOf(count(r.mtls, (m) => m.weakening), "weakening")}, ${countOf(count(r.mtls, (m) => m.conflict !== undefined), "broken client/server pair")}.`,
    access: `**Access**: ${count(r.access, (a) => a.after === "allow")} newly allowed, ${count(r.access, (a) => a.after !== "allow")} newly denied.`,
    rollout: `**Rollout**: ${countOf(r.rollout.steps.length, "step")}, full rollout ${formatTimeTo(r.rollout.totalSeconds)}; ${countOf(r.rollout.unsteppable.length, "route")} applied at once.`,
    findings: `**Findings**: ${countOf(r.findings.length, "finding")} in ${countOf(files, "file")}, ${count(r.findings, (f) => f.isNew)} new.`,
    resources: `**Resources**: ${changes("added")} added, ${changes("changed")} changed, ${changes("removed")} removed.`,
  };
}

/** The comment's parts in reading order, each with its counts and what it collapses to. */
function commentParts(r: ChangeReview, options: MarkdownOptions): CommentPart[] {
  const s = summaries(r);
  return [
    { name: "policies", blocks: policySection(r), summary: s.policies, unit: ["policy line", "policy lines"] },
    { name: "traffic", blocks: trafficSection(r), summary: s.traffic, unit: ["traffic row", "traffic rows"] },
    { name: "mTLS", blocks: mtlsSection(r), summary: s.mtls, unit: ["mTLS change", "mTLS changes"] },
    { name: "access", blocks: accessSection(r), summary: s.access, unit: ["access change", "access changes"] },
    { name: "rollout", blocks: rolloutSection(r), summary: s.rollout, unit: ["rollout line", "rollout lines"] },
    { name: "findings", blocks: findingsSection(r, options), summary: s.findings, unit: ["finding", "findings"] },
    { name: "resource diffs", blocks: resourceDiffs(r), collapsed: resourceNames(r), summary: s.resources, unit: ["resource", "resources"] },
  ];
}

/**
 * The PR comment: verdict, summary, policies, traffic, security, rollout, findings, per-resource diffs.
 * Whatever the change, it stays within the limit: fitComment degrades it step by step (diagrams,
 * then diffs to names, then lines, then counts) and never cuts a code fence or a `<details>`.
 */
export function renderMarkdown(review: ChangeReview, options: MarkdownOptions = {}): string {
  const verdict = reviewVerdict(review);
  const icon = { failure: "❌", warning: "⚠️", success: "✅" }[verdict.level];
  const head = [...(options.marker ? [`<!-- ${options.marker} -->`] : []), `### ${icon} ${verdict.text}`, "", summaryTable(review)].join("\n");
  return fitComment(head, commentParts(review, options), options.limit ?? GITHUB_COMMENT_LIMIT);
}
