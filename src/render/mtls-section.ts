import { formatOrigin } from "../mesh/resource.ts";
import type { ChangeReview } from "../review/review-change.ts";
import { escapeMarkdown } from "./escape-markdown.ts";

/** The PR comment's mTLS changes: every weakening and every client/server combination that breaks. */
export function mtlsSection(r: ChangeReview): string[] {
  if (r.mtls.length === 0) return [];
  const lines = r.mtls.map((m) =>
    m.conflict
      ? `- 🚨 ${escapeMarkdown(formatOrigin(m.conflict.rule))}: ${escapeMarkdown(m.conflict.message)}`
      : `- ${m.weakening ? "⚠️ **weaker**: " : ""}${escapeMarkdown(m.scope)}: ${m.before ?? "—"} → ${m.after ?? "—"}`,
  );
  return [["#### mTLS", "", ...lines].join("\n")];
}
