import type { ChangeReview } from "../review/review-change.ts";
import { countOf } from "./count-of.ts";

export interface Verdict {
  /** failure: new errors or outages (the check fails); warning: worth a look; success: nothing new. */
  readonly level: "failure" | "warning" | "success";
  readonly text: string;
}

/** The one-line verdict every format opens with, so the comment and the terminal say the same. */
export function reviewVerdict(r: ChangeReview): Verdict {
  const errors = r.findings.filter((f) => f.isNew && f.severity === "error").length;
  const outages = r.traffic.filter((t) => t.outage).length;
  if (errors > 0 || outages > 0) {
    const parts = [errors > 0 ? `${countOf(errors, "new error")}` : "", outages > 0 ? `${countOf(outages, "request class", "request classes")} would go nowhere` : ""];
    return { level: "failure", text: `meshgate: ${parts.filter(Boolean).join(", ")}` };
  }
  const warnings = r.findings.filter((f) => f.isNew && f.severity === "warning").length;
  const notes = [
    warnings > 0 ? countOf(warnings, "new warning") : "",
    r.mtls.some((m) => m.weakening || m.conflict !== undefined) ? "mTLS weakened" : "",
    r.access.some((a) => a.after === "allow") ? "access widened" : "",
  ].filter(Boolean);
  if (notes.length > 0) return { level: "warning", text: `meshgate: ${notes.join(", ")}; no new errors` };
  return { level: "success", text: "meshgate: no new problems" };
}
