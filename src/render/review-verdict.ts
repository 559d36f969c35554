import type { ChangeReview } from "../review/review-change.ts";
import { countOf } from "./count-of.ts";

export interface Verdict {
  /** failure: new errors, outages or broken mTLS pairings (the check fails); warning: worth a look; success: nothing new. */
  readonly level: "failure" | "warning" | "success";
  readonly text: string;
}

/** What fails a review whatever `--fail-on` says about findings: traffic that would go nowhere, connections that would break. */
export interface Breakage {
  readonly outages: number;
  /** Client/server mTLS pairings the change makes fail (e.g. plaintext to a STRICT port). */
  readonly conflicts: number;
}

export function breakageOf(r: ChangeReview): Breakage {
  return { outages: r.traffic.filter((t) => t.outage).length, conflicts: r.mtls.filter((m) => m.conflict !== undefined).length };
}

/** The one-line verdict every format opens with, so the comment and the terminal say the same. */
export function reviewVerdict(r: ChangeReview): Verdict {
  const errors = r.findings.filter((f) => f.isNew && f.severity === "error").length;
  const { outages, conflicts } = breakageOf(r);
  if (errors > 0 || outages > 0 || conflicts > 0) {
    const parts = [
      errors > 0 ? `${countOf(errors, "new error")}` : "",
      outages > 0 ? `${countOf(outages, "request class", "request classes")} would go nowhere` : "",
      conflicts > 0 ? `${countOf(conflicts, "mTLS pairing")} would break connections` : "",
    ];
    return { level: "failure", text: `meshgate: ${parts.filter(Boolean).join(", ")}` };
  }
  const warnings = r.findings.filter((f) => f.isNew && f.severity === "warning").length;
  const notes = [
    warnings > 0 ? countOf(warnings, "new warning") : "",
    r.mtls.some((m) => m.weakening || m.channel !== undefined) ? "mTLS weakened" : "",
    r.access.some((a) => a.after === "allow" || a.after === "external") ? "access widened" : "",
  ].filter(Boolean);
  if (notes.length > 0) return { level: "warning", text: `meshgate: ${notes.join(", ")}; no new errors` };
  return { level: "success", text: "meshgate: no new problems" };
}
