import type { ChangeReview } from "../review/review-change.ts";
import { codeSpan } from "./escape-markdown.ts";

/** The PR comment's access changes, newly allowed and newly denied, in words. */
export function accessSection(r: ChangeReview): string[] {
  if (r.access.length === 0) return [];
  const lines = r.access.map((a) => `- ${a.after === "allow" ? "🔓" : "🔒"} ${a.sentence.replace(/`([^`]*)`/g, (_m, t: string) => codeSpan(t))}`);
  return [["#### Access", "", ...lines].join("\n")];
}
