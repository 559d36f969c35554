import type { ChangeReview } from "../review/review-change.ts";
import type { AccessChange, Phrase } from "../simulation/simulate-authorization.ts";
import { codeSpan, escapeMarkdown } from "./escape-markdown.ts";

/** Each run of the sentence escaped by its kind: names from the repo as code, prose as escaped text. */
function phraseMarkdown(words: Phrase): string {
  return words.map((w) => (w.code ? codeSpan(w.text) : escapeMarkdown(w.text))).join("");
}

function icon(a: AccessChange): string {
  return a.after === "allow" ? "🔓" : a.after === "deny" ? "🔒" : "❔";
}

/** The PR comment's access changes: newly denied, decided by an external authorizer, newly allowed, in words. */
export function accessSection(r: ChangeReview): string[] {
  if (r.access.length === 0) return [];
  const lines = r.access.map((a) => `- ${icon(a)} ${phraseMarkdown(a.words)}`);
  return [["#### Access", "", ...lines].join("\n")];
}
