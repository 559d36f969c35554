import type { Finding } from "./finding.ts";

/** Orders findings by file, line, column, code and message, and drops exact duplicates (like istioctl). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const unique: Finding[] = [];
  for (const f of findings) {
    const key = `${f.file}\u0000${f.line}\u0000${f.column}\u0000${f.code}\u0000${f.rule}\u0000${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(f);
  }
  return unique.sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code) || a.message.localeCompare(b.message),
  );
}
