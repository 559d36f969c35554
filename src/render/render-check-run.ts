import type { Finding, Severity } from "../review/finding.ts";
import type { ChangeReview } from "../review/review-change.ts";
import { codeSpan, escapeMarkdown } from "./escape-markdown.ts";
import { countOf } from "./count-of.ts";
import { renderMarkdown } from "./render-markdown.ts";
import { breakageOf } from "./review-verdict.ts";

/** GitHub's limits for a check run's output (REST "Create a check run"). */
export const CHECK_RUN_SUMMARY_LIMIT = 65_535;
export const CHECK_RUN_TEXT_LIMIT = 65_535;
/** "The Checks API limits the number of annotations to a maximum of 50 per API request." */
export const ANNOTATIONS_PER_REQUEST = 50;

export type CheckConclusion = "success" | "failure" | "neutral";

export interface CheckRunAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: "failure" | "warning" | "notice";
  readonly message: string;
  readonly title: string;
}

export interface CheckRunOutput {
  readonly conclusion: CheckConclusion;
  readonly title: string;
  readonly summary: string;
  readonly text: string;
  /** Annotation batches of at most 50, in the order to send them. */
  readonly batches: readonly (readonly CheckRunAnnotation[])[];
}

const LEVEL: Readonly<Record<Severity, CheckRunAnnotation["annotation_level"]>> = { error: "failure", warning: "warning", info: "notice" };

function annotate(f: Finding): CheckRunAnnotation {
  return {
    path: f.file,
    start_line: f.line,
    end_line: f.line,
    annotation_level: LEVEL[f.severity],
    message: f.message.slice(0, 64 * 1024),
    title: `${f.code} ${f.rule}`.slice(0, 255),
  };
}

/**
 * The check run's `text` (Markdown): findings in files the change does not touch, where GitHub cannot
 * annotate. Repo text is escaped like the comment's; whole lines are kept, the rest counted.
 */
function outsideDiffText(findings: readonly Finding[]): string {
  if (findings.length === 0) return "";
  const lines = ["Findings in files this change does not touch:", ""];
  let size = lines.join("\n").length;
  const room = CHECK_RUN_TEXT_LIMIT - 100; // for the closing note
  for (const [i, f] of findings.entries()) {
    const line = `- ${codeSpan(f.file)} line ${f.line}: ${escapeMarkdown(f.message)} (${escapeMarkdown(f.code)})`;
    if (size + line.length + 1 > room) {
      lines.push("", `… and ${findings.length - i} more, not shown to stay within GitHub's size limit.`);
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n");
}

/**
 * The check run for a reviewed head: failure on new errors, an outage or a broken mTLS pairing, else success; the comment's
 * Markdown as summary (same limit), findings outside the diff too, and every finding as an annotation.
 * `inDiff` tells which files the PR touches: only those can carry annotations GitHub will show inline.
 */
export function renderCheckRun(review: ChangeReview, inDiff: (path: string) => boolean = () => true): CheckRunOutput {
  const newErrors = review.findings.filter((f) => f.isNew && f.severity === "error").length;
  const { outages, conflicts } = breakageOf(review);
  const conclusion: CheckConclusion = newErrors > 0 || outages > 0 || conflicts > 0 ? "failure" : "success";
  const title =
    conclusion === "failure"
      ? [newErrors > 0 ? countOf(newErrors, "new error") : "", outages > 0 ? countOf(outages, "outage") : "", conflicts > 0 ? `${countOf(conflicts, "mTLS pairing")} broken` : ""].filter(Boolean).join(", ")
      : `No new errors (${review.findings.length} finding${review.findings.length === 1 ? "" : "s"} in all)`;
  const text = outsideDiffText(review.findings.filter((f) => !inDiff(f.file)));
  const annotations = review.findings.filter((f) => inDiff(f.file)).map(annotate);
  const batches: CheckRunAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  return { conclusion, title, summary: renderMarkdown(review, { limit: CHECK_RUN_SUMMARY_LIMIT }), text, batches };
}
