import { oneLine } from "./one-line.ts";

const HTML_ENTITY: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/**
 * Escapes text taken from a repository (names, paths, messages) for Markdown prose and table cells, in one
 * pass so no escape is escaped again: HTML's `& < > "` as entities, every other character Markdown or GFM
 * gives meaning to (`$` is GitHub math, `~` strikethrough, `|` a table cell) with a backslash, and `@`
 * followed by a zero-width space so nobody is mentioned. Line breaks become spaces: one finding, one line.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/[&<>"\\`*_{}[\]()#+!~|$@-]/g, (c) => HTML_ENTITY[c] ?? (c === "@" ? "@\u200b" : `\\${c}`));
}

/**
 * Inline code from repo content. `<code>` is inline HTML, and CommonMark keeps parsing Markdown inside it
 * (`<code>[a](x)</code>` is a link), so every character Markdown, GFM or HTML gives meaning to becomes a
 * numeric entity: entities are always literal text. `:` too, so `https://…` cannot be autolinked.
 */
export function codeSpan(text: string): string {
  return `<code>${oneLine(text).replace(/[`*_[\]()~|\\#!<>&"'@$:]/g, (c) => `&#${c.charCodeAt(0)};`)}</code>`;
}

/**
 * A Mermaid node or edge label, quoted. Line breaks become spaces (a line starting with ``` would end the
 * fence); `#` and the quote, backtick, `<`, `>`, `&` characters and `%%` become Mermaid's `#code;` entities, so a
 * label cannot end its quotes, open a Markdown string, hold markup, or start a `%%{…}%%` directive.
 */
export function mermaidLabel(text: string): string {
  return `"${oneLine(text).replace(/[#"`<>&]|%(?=%)/g, (c) => `#${c.charCodeAt(0)};`)}"`;
}
