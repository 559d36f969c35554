import { type Finding, SEVERITY_RANK, type Severity } from "./finding.ts";

export interface FindingSummary {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly files: number;
  readonly resources: number;
}

export function summarizeFindings(findings: readonly Finding[], files: number, resources: number): FindingSummary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === "error") errors++;
    else if (f.severity === "warning") warnings++;
    else infos++;
  }
  return { errors, warnings, infos, files, resources };
}

export type FailOn = Severity | "never";

/** True when any finding is at or above the `--fail-on` threshold. */
export function shouldFail(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === "never") return false;
  const threshold = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold);
}
