import type { Finding, Severity } from "../review/finding.ts";
import { encodeUriPath } from "./encode-uri-path.ts";

const LEVEL: Readonly<Record<Severity, "error" | "warning" | "note">> = { error: "error", warning: "warning", info: "note" };

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) for GitHub code scanning: one rule per
 * finding code, one result per finding, located by file, line and column. `artifactLocation.uri` must be
 * a URI reference (§3.4.3), so a path with a space or a backtick is percent-encoded.
 */
export function renderSarif(findings: readonly Finding[], version: string): string {
  const rules = new Map<string, { id: string; name: string; shortDescription: { text: string }; properties: { rule: string } }>();
  for (const f of findings) {
    if (!rules.has(f.code)) rules.set(f.code, { id: f.code, name: f.rule, shortDescription: { text: `${f.code} (${f.rule})` }, properties: { rule: f.rule } });
  }
  const ruleIndex = new Map([...rules.keys()].map((id, i) => [id, i]));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "meshgate", version, informationUri: "https://github.com/meshgate/meshgate", rules: [...rules.values()] } },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: ruleIndex.get(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: encodeUriPath(f.file) }, region: { startLine: f.line, startColumn: f.column } },
              ...(f.resource ? { logicalLocations: [{ name: f.resource.name, kind: f.resource.kind, fullyQualifiedName: `${f.resource.kind}/${f.resource.namespace}/${f.resource.name}` }] } : {}),
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
