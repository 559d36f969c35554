import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { readMeshConfig } from "../../src/mesh/mesh-config.ts";
import { formatOrigin } from "../../src/mesh/resource.ts";
import { checkConfig } from "../../src/review/check-config.ts";

/**
 * Istio's own analyzer test grid (`analyzers_test.go`), run through the real engine: every case's
 * inputs plus the harness's default ingress Pod and Service, namespace-less resources kept
 * namespace-less (`-A`), and only the findings of the analyzer the case exercises compared, as the
 * multiset of {code, origin} Istio's test asserts with `ConsistOf`.
 * Data: `../shared/reference/istio/analyzer-testdata/` (see its README).
 */
const DATA_DIR = fileURLToPath(new URL("../../../shared/reference/istio/analyzer-testdata/", import.meta.url));

interface Expected {
  readonly code: string;
  readonly origin: string;
}

interface Case {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly meshConfig: string | null;
  readonly analyzer: string;
  readonly rule: string;
  readonly expected: readonly Expected[];
}

function readText(file: string): string {
  return readFileSync(`${DATA_DIR}${file}`, "utf8");
}

function loadCases(): Case[] {
  if (!existsSync(`${DATA_DIR}cases.json`)) throw new Error(`Istio analyzer test data not found in ${DATA_DIR}`);
  return JSON.parse(readText("cases.json")) as Case[];
}

function sorted(list: readonly Expected[]): Expected[] {
  return [...list].sort((a, b) => a.code.localeCompare(b.code) || a.origin.localeCompare(b.origin));
}

/**
 * Istio's harness judges certificates (gateway.SecretAnalyzer) at `time.Now()`; a fixed moment inside
 * the test Secrets' validity keeps the result from depending on the day the test runs.
 */
const NOW = new Date("2026-01-01T00:00:00Z");

function runCase(c: Case): Expected[] {
  const files = [...c.inputs, "ingress-defaults.yaml"].map((path) => ({ path, content: readText(path) }));
  const options = {
    defaultNamespace: "",
    now: NOW,
    ...(c.meshConfig ? { meshConfig: readMeshConfig(parseYaml(readText(c.meshConfig))) } : {}),
  };
  const { findings } = checkConfig(files, options);
  return findings
    .filter((f) => f.rule === c.rule)
    .map((f) => ({ code: f.code, origin: f.resource ? formatOrigin(f.resource) : "" }));
}

describe("istioctl analyze conformance (Istio's analyzer test grid)", () => {
  const cases = loadCases();

  it("has the development set", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(sorted(runCase(c))).toEqual(sorted(c.expected));
  });
});
