import { describe, expect, it } from "vitest";
import { createRandom } from "../../bench/create-random.ts";
import { ruleSetSchemas, type Schema } from "../../scripts/build-schemas.ts";
import { compileCel } from "../../src/cel/cel-environment.ts";
import { CRD_RULE_SETS, CRD_RULES } from "../../src/generated/crd-validators.js";
import { DURATIONS, randomDuration, sampleSchemaData } from "../support/sample-schema-data.ts";

// Every native predicate the build made from a CRD rule is run beside cel-js on data generated from
// the rule's own schema node (valid values, absent and null fields, defaults left out, wrong types,
// unknown fields): whenever the predicate answers, its answer must be cel-js's.

function celAnswer(rule: string, self: unknown): unknown {
  try {
    return compileCel(rule).evaluate({ self });
  } catch {
    return "error";
  }
}

describe("native CRD rule predicates", () => {
  const schemas = ruleSetSchemas();
  const SAMPLES = 400;

  it("line up with the built rule sets", () => {
    expect(schemas).toHaveLength(CRD_RULE_SETS.length);
    expect(CRD_RULE_SETS.filter((set) => set.n.some((n) => n !== null)).length).toBeGreaterThan(20);
  });

  it("give cel-js's answer whenever they answer", () => {
    const random = createRandom(7);
    const mismatches: string[] = [];
    const answered = new Map<string, { true: number; false: number; unknown: number }>();
    CRD_RULE_SETS.forEach((set, index) => {
      const schema = schemas[index] as Schema;
      const natives = set.r.map((rule, i) => [CRD_RULES[rule]?.rule ?? "", set.n[i] ?? null] as const).filter(([, n]) => n !== null);
      if (natives.length === 0) return;
      for (let k = 0; k < SAMPLES; k++) {
        const data = sampleSchemaData(schema, random, { maxDepth: 5, fieldChance: 0.5 });
        const self = set.c ? set.c(data) : data;
        for (const [rule, native] of natives) {
          const got = native?.(data);
          const tally = answered.get(rule) ?? { true: 0, false: 0, unknown: 0 };
          tally[got === undefined ? "unknown" : got ? "true" : "false"]++;
          answered.set(rule, tally);
          if (got === undefined) continue;
          const expected = celAnswer(rule, self);
          if (expected !== got && mismatches.length < 10) mismatches.push(`${rule} on ${JSON.stringify(data)}: native ${got}, cel-js ${String(expected)}`);
        }
      }
    });
    expect(mismatches).toEqual([]);
    // Each predicate must actually decide on some of the data, both ways across the set.
    const silent = [...answered].filter(([, t]) => t.true + t.false === 0).map(([rule]) => rule);
    expect(silent).toEqual([]);
    const totals = [...answered.values()].reduce((a, t) => ({ true: a.true + t.true, false: a.false + t.false }), { true: 0, false: 0 });
    expect(totals.true).toBeGreaterThan(1000);
    expect(totals.false).toBeGreaterThan(100);
  });

  it("compare durations as cel-js does, on its own reading of Go's syntax", () => {
    const random = createRandom(11);
    const texts = [...DURATIONS, ...Array.from({ length: 3000 }, () => randomDuration(random))];
    const sets = CRD_RULE_SETS.flatMap((set) => set.r.map((rule, i) => [CRD_RULES[rule]?.rule ?? "", set.n[i]] as const))
      .filter(([rule, native]) => native && /^duration\(self\) [<>=]+ duration\('[^']*'\)$/.test(rule));
    expect(sets.length).toBeGreaterThan(0);
    const answered = { true: 0, false: 0 };
    const mismatches: string[] = [];
    for (const [rule, native] of sets) {
      for (const text of texts) {
        const got = native?.(text);
        if (got === undefined) continue;
        answered[got ? "true" : "false"]++;
        const expected = celAnswer(rule, text);
        if (got !== expected) mismatches.push(`${rule} on ${JSON.stringify(text)}: native ${got}, cel-js ${String(expected)}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(answered.true).toBeGreaterThan(texts.length / 10);
    expect(answered.false).toBeGreaterThan(texts.length / 10);
  });
});
