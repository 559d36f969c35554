import { describe, expect, it } from "vitest";
import { renderGithub } from "../../src/render/render-github.ts";
import { renderSarif } from "../../src/render/render-sarif.ts";
import type { Finding } from "../../src/review/finding.ts";

const findings: Finding[] = [
  { code: "IST0101", rule: "virtualservice.DestinationRuleAnalyzer", severity: "error", message: 'Referenced host+subset in destinationrule not found: "reviews+v3"', resource: { kind: "VirtualService", namespace: "shop", name: "reviews" }, file: "mesh/a,b:c.yaml", line: 12, column: 9 },
  { code: "MG1007", rule: "meshgate.Parse", severity: "info", message: "100% odd\nsecond line", resource: null, file: "x.yaml", line: 1, column: 1 },
];

describe("renderGithub", () => {
  it.each([
    [0, '::error file=mesh/a%2Cb%3Ac.yaml,line=12,col=9,title=IST0101 virtualservice.DestinationRuleAnalyzer::Referenced host+subset in destinationrule not found: "reviews+v3"\n'],
    [1, "::notice file=x.yaml,line=1,col=1,title=MG1007 meshgate.Parse::100%25 odd%0Asecond line\n"],
  ])("escapes finding %i as the Actions runner expects", (i, line) => {
    expect(renderGithub([findings[i] as Finding])).toBe(line);
  });
});

describe("renderSarif", () => {
  const log = JSON.parse(renderSarif(findings, "1.2.3")) as {
    version: string;
    runs: { tool: { driver: { name: string; version: string; rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
  };
  const run = log.runs[0];
  it("is a SARIF 2.1.0 log with one rule per code", () => {
    expect(log.version).toBe("2.1.0");
    expect(run?.tool.driver).toMatchObject({ name: "meshgate", version: "1.2.3" });
    expect(run?.tool.driver.rules.map((r) => r.id)).toEqual(["IST0101", "MG1007"]);
  });
  it("maps severities to SARIF levels and keeps positions", () => {
    expect(run?.results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([["IST0101", 0, "error"], ["MG1007", 1, "note"]]);
    expect(run?.results[0]?.locations[0]?.physicalLocation).toEqual({ artifactLocation: { uri: "mesh/a,b:c.yaml" }, region: { startLine: 12, startColumn: 9 } });
  });
});
