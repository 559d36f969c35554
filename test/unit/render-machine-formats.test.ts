import { createRequire } from "node:module";
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
    expect(run?.results[0]?.locations[0]?.physicalLocation).toEqual({ artifactLocation: { uri: "mesh/a%2Cb%3Ac.yaml" }, region: { startLine: 12, startColumn: 9 } });
  });

  // SARIF §3.4.3: artifactLocation.uri is a URI reference (RFC 3986), and the SARIF schema says so
  // (format uri-reference). Segments are percent-encoded as UTF-8; `/` stays the separator.
  const require = createRequire(import.meta.url);
  const Ajv = require("ajv") as new () => { compile: (schema: object) => (value: unknown) => boolean };
  const addFormats = require("ajv-formats") as (ajv: object) => void;
  const ajv = new Ajv();
  addFormats(ajv);
  const isUriReference = ajv.compile({ type: "string", format: "uri-reference" });
  const uriOf = (file: string) => {
    const sarif = JSON.parse(renderSarif([{ ...(findings[1] as Finding), file }], "1")) as typeof log;
    return sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri ?? "";
  };

  it("checks URI references for real: an unencoded space or backtick is not one", () => {
    expect(isUriReference("mesh/my file.yaml")).toBe(false);
    expect(isUriReference("mesh/x`y.yaml")).toBe(false);
  });

  it.each([
    ["mesh/my file.yaml", "mesh/my%20file.yaml"],
    ["mesh/x`<d>|y.yaml", "mesh/x%60%3Cd%3E%7Cy.yaml"],
    ["a:b/c#d?e%f.yaml", "a%3Ab/c%23d%3Fe%25f.yaml"],
    ["mesh/(x)!*'.yaml", "mesh/%28x%29%21%2A%27.yaml"],
    ["mesh/é.yaml", "mesh/%C3%A9.yaml"],
    ["mesh/plain-name_1.yaml", "mesh/plain-name_1.yaml"],
  ])("encodes %s as a URI reference", (file, uri) => {
    expect(uriOf(file)).toBe(uri);
    expect(isUriReference(uri)).toBe(true);
    expect(uri.split("/").map(decodeURIComponent).join("/")).toBe(file);
  });
});
