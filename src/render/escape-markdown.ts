/** HTML-escapes text so repo content can never open a tag, an entity or a comment in the comment. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Escapes text taken from a repository (names, paths, messages) for Markdown prose and table cells:
 * HTML first, then every character Markdown gives meaning to, and `|` so a cell cannot split a table.
 * Newlines become spaces: one finding, one line.
 */
export function escapeMarkdown(text: string): string {
  return escapeHtml(text)
    .replace(/[\\`*_{}[\]()#+!~|-]/g, (c) => `\\${c}`)
    .replace(/@/g, "@\u200b") // no accidental @-mentions of users or teams
    .replace(/\r?\n/g, " ");
}

/** Inline code from repo content: `<code>` with escaped HTML, safe in tables (no backtick games). */
export function codeSpan(text: string): string {
  return `<code>${escapeHtml(text).replace(/\|/g, "&#124;").replace(/\r?\n/g, " ")}</code>`;
}

/** A Mermaid node/edge label: quoted, with quotes and markup neutralised. */
export function mermaidLabel(text: string): string {
  return `"${text.replace(/"/g, "#quot;").replace(/[<>]/g, "").replace(/\r?\n/g, " ")}"`;
}
