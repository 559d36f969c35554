import type { Finding, Severity } from "../review/finding.ts";

const COMMAND: Readonly<Record<Severity, "error" | "warning" | "notice">> = { error: "error", warning: "warning", info: "notice" };

// Escaping as GitHub's runner (actions/toolkit `command.ts`) expects: data escapes %, CR, LF;
// property values also escape `:` and `,`, which would otherwise end the value.
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** GitHub Actions workflow commands (`::error file=…,line=…::message`): annotations from any CI step. */
export function renderGithub(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const props = [`file=${escapeProperty(f.file)}`, `line=${f.line}`, `col=${f.column}`, `title=${escapeProperty(`${f.code} ${f.rule}`)}`];
      return `::${COMMAND[f.severity]} ${props.join(",")}::${escapeData(f.message)}\n`;
    })
    .join("");
}
