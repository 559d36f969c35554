import { describe, expect, it } from "vitest";
import { formatDuration, formatTimeTo } from "../../src/render/format-duration.ts";

describe("formatDuration", () => {
  // A quantity, so it reads right after "bake", "in about" and "in" alike, zero included.
  it.each([
    [0, "0 min"],
    [20, "20 s"],
    [300, "5 min"],
    [3_600, "1 h"],
    [5_400, "1 h 30 min"],
  ])("%i s reads %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
    expect(`Full rollout in about ${formatDuration(seconds)}`).not.toMatch(/about immediately/);
  });
});

describe("formatTimeTo", () => {
  it("says 'at once' when nothing waits, else 'in about …'", () => {
    expect(`Full rollout ${formatTimeTo(0)}; rollback ${formatTimeTo(0)}.`).toBe("Full rollout at once; rollback at once.");
    expect(`Full rollout ${formatTimeTo(900)}; rollback ${formatTimeTo(60)}.`).toBe("Full rollout in about 15 min; rollback in about 1 min.");
  });
});
