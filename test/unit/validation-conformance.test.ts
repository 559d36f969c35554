// Istio's CRD-vs-webhook conformance files (pkg/config/validation/testdata/crds, see SOURCES.md next to
// them): every document of *-invalid.yaml must give an error containing its `_err`, every document of
// *-valid.yaml must give no error, through the real engine restricted to schema + webhook rules.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkConfig } from "../../src/review/check-config.ts";

const DIR = "/work/shared/reference/istio/validation-testdata/crds";

interface Case {
  readonly file: string;
  readonly name: string;
  readonly text: string;
  readonly want: string | undefined;
}

/**
 * Istio's yml.SplitString: split on lines starting with `---`, trim, drop empty parts. Documents that
 * upstream commented out (`#_err: "TODO"` ...) are YAML comments inside a neighbouring part, so they are
 * ignored, as upstream's YAML decoder ignores them; a part holding nothing but comments would fail
 * upstream ("unrecognized type"), and none does.
 */
function splitDocuments(text: string): string[] {
  return text.split(/^---.*$/m).map((part) => part.trim()).filter((part) => part !== "");
}

/** The expected error substring; `_err` is dropped before validating (its line is blanked, so lines stay put). */
function readCase(file: string, part: string, index: number): Case {
  const data = parse(part) as Record<string, unknown> | null;
  expect(data, `${file} part ${index} holds only comments`).not.toBeNull();
  const text = part.replace(/^_err:.*$/m, "");
  expect((parse(text) as Record<string, unknown>)._err).toBeUndefined();
  const metadata = data?.metadata as { name?: string } | undefined;
  const want = typeof data?._err === "string" ? data._err : undefined;
  return { file, name: `#${index} ${metadata?.name ?? "?"}`, text, want };
}

const cases: Case[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .flatMap((file) => splitDocuments(readFileSync(join(DIR, file), "utf8")).map((part, i) => readCase(file, part, i)));

function errorsOf(c: Case) {
  const { findings } = checkConfig([{ path: c.file, content: c.text }], { analyzers: [] });
  return findings.filter((f) => f.severity === "error");
}

describe("Istio CRD validation conformance data", () => {
  it("has the documents SOURCES.md lists", () => {
    expect(new Set(cases.map((c) => c.file)).size).toBe(10);
    expect(cases.filter((c) => c.want !== undefined).length).toBeGreaterThan(40);
    expect(cases.every((c) => (c.want === undefined) === c.file.endsWith("-valid.yaml"))).toBe(true);
  });

  for (const c of cases) {
    const label = `${c.file} ${c.name}`;
    if (c.want !== undefined) {
      const want = c.want;
      it(`${label}: reports "${want}"`, () => {
        const errors = errorsOf(c);
        expect(errors.map((f) => f.message), `no error contains ${JSON.stringify(want)}`).toContainEqual(expect.stringContaining(want));
      });
    } else {
      it(`${label}: is valid`, () => {
        expect(errorsOf(c).map((f) => `${f.code} ${f.line}: ${f.message}`)).toEqual([]);
      });
    }
  }
});
