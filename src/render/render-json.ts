import type { Finding } from "../review/finding.ts";
import type { FindingSummary } from "../review/summarize-findings.ts";

export interface JsonReport {
  readonly findings: readonly Finding[];
  readonly summary: FindingSummary;
}

/** The `--format json` contract of PRODUCT.md: one object, findings plus a summary. */
export function renderJson(report: JsonReport): string {
  return `${JSON.stringify({ findings: report.findings, summary: report.summary }, null, 2)}\n`;
}
