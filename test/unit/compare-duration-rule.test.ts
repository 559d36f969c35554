import { describe, expect, it } from "vitest";
import { compareDurationRule } from "../../src/cel/compare-duration-rule.ts";
import { compileCel } from "../../src/cel/cel-environment.ts";

describe("compareDurationRule", () => {
  const rules = ["duration(self) >= duration('1ms')", "duration(self) > duration('0s')", "duration(self) <= duration('1h')", "duration(self) < duration('1.5s')"];
  const values = ["1ms", "0s", "999us", "1h", "1h0m1s", "1.5s", "1499ms", "0.001s", "90m", "-2s"];

  it.each(rules)("agrees with the CEL interpreter on %s", (rule) => {
    for (const self of values) {
      expect([self, compareDurationRule(rule, self)]).toEqual([self, compileCel(rule).evaluate({ self })]);
    }
  });

  it("leaves everything else to CEL", () => {
    expect(compareDurationRule("duration(self) >= duration('1ms')", "soon")).toBeUndefined();
    expect(compareDurationRule("duration(self) >= duration('1ms')", 5)).toBeUndefined();
    expect(compareDurationRule("self.size() > 0", "x")).toBeUndefined();
  });
});
