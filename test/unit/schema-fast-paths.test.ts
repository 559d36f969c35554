import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { createRandom } from "../../bench/create-random.ts";
import { generateValidatorModule, readRoots } from "../../scripts/build-schemas.ts";
import { compileCel } from "../../src/cel/cel-environment.ts";
import type { CrdRule, CrdRuleSet, CrdValidator, RuleSite, SchemaIssue } from "../../src/generated/crd-validators.js";
import { sampleSchemaData } from "../support/sample-schema-data.ts";

// The generator's fast paths (inline checks of valid scalars, protobuf oneofs decided inline, CEL rules
// compiled to native predicates) must change nothing a user sees: the same documents give the same
// schema issues, and the same CEL rules fail at the same places, as with the plain generic validators.

interface GeneratedModule {
  readonly CRD_VALIDATORS: Readonly<Record<string, CrdValidator>>;
  readonly CRD_RULES: readonly CrdRule[];
  readonly CRD_RULE_SETS: readonly CrdRuleSet[];
}

async function load(dir: string, name: string, code: string): Promise<GeneratedModule> {
  writeFileSync(join(dir, name), code);
  return (await import(pathToFileURL(join(dir, name)).href)) as GeneratedModule;
}

function celAnswer(rule: string, self: unknown): string {
  try {
    return String(compileCel(rule).evaluate({ self }));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/** What a document's validation shows: its schema issues, whether rules exist, and each rule that does not hold. */
function outcome(mod: GeneratedModule, key: string, data: unknown): unknown {
  const issues: SchemaIssue[] = [];
  const sites: RuleSite[] = [];
  mod.CRD_VALIDATORS[key]?.(data, [], issues, sites);
  const failed: string[] = [];
  for (const [index, node, path] of sites) {
    const set = mod.CRD_RULE_SETS[index];
    if (!set) continue;
    const self = set.c ? set.c(node) : node;
    set.r.forEach((ruleIndex, i) => {
      if (set.n[i]?.(node) === true) return;
      const rule = mod.CRD_RULES[ruleIndex]?.rule ?? "";
      const answer = celAnswer(rule, self);
      if (answer !== "true") failed.push(`${JSON.stringify(path)} ${rule} -> ${answer}`);
    });
  }
  return { issues, rulesExist: sites.length > 0, failed: failed.sort() };
}

describe("the schema generator's fast paths", () => {
  it("give the generic validators' results on generated documents of every kind", async () => {
    const roots = readRoots();
    const dir = mkdtempSync(join(tmpdir(), "meshgate-fast-paths-"));
    const fast = await load(dir, "fast.js", generateValidatorModule(roots));
    const plain = await load(dir, "plain.js", generateValidatorModule(roots, { fastPaths: false }));
    expect(plain.CRD_RULE_SETS.every((set) => set.n.every((n) => n === null))).toBe(true);
    const random = createRandom(3);
    const differences: string[] = [];
    let issues = 0;
    let failedRules = 0;
    for (const [key, schema] of Object.entries(roots)) {
      for (let i = 0; i < 40; i++) {
        const doc = sampleSchemaData(schema, random, { maxDepth: 7, fieldChance: 0.45 });
        const expected = outcome(plain, key, doc) as { issues: unknown[]; failed: unknown[] };
        issues += expected.issues.length;
        failedRules += expected.failed.length;
        const got = outcome(fast, key, doc);
        if (JSON.stringify(got) !== JSON.stringify(expected) && differences.length < 5) {
          differences.push(`${key} ${JSON.stringify(doc)}\n  fast:  ${JSON.stringify(got)}\n  plain: ${JSON.stringify(expected)}`);
        }
      }
    }
    expect(differences).toEqual([]);
    // The documents must exercise both sides: plenty of issues and of failing rules.
    expect(issues).toBeGreaterThan(1000);
    expect(failedRules).toBeGreaterThan(100);
  });
});
