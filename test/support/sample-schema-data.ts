// Random data shaped by a CRD schema node, for tests that run two evaluations of the same checks side by
// side: mostly valid values, with absent and null fields, wrong types, unknown fields, and the strings
// the CRDs' own rules mention (plus Go durations, valid and not), so that rule branches are reached.
import type { Random } from "../../bench/create-random.ts";
import type { Schema } from "../../scripts/build-schemas.ts";
import { CRD_RULES } from "../../src/generated/crd-validators.js";

export const DURATIONS = [
  "1ms", "0s", "0", "999us", "1000us", "1h", "1h0m1s", "1.5s", "1499ms", "0.001s", "0.0009s", "90m", "-2s", "+3s", "-0s",
  "5µs", "2h45m", ".5s", "5.s", "s", "1.2.3s", "1mh", "1 s", "1e3s", "10", "", "-", "0.0000000000001h", "0.00000000000009h",
  "1.123456789012345s", "2562047h", "9007199254740993ns", "100000000000000000h", "3m0.0005s", "1us", "1ns",
];
const STRINGS = ["", "*", "a", "a*", "x/y", "a.b.c", "unix:///var/run/a.sock", "unix://@abstract", "unix://", "unix:///", "/", "//", "%2f", "é", "😀", "\u{1F600}\u{1F600}", "\ud800"];
const INTS = [0, 1, 2, 80, 443, 65535, 65536, -1, 2 ** 53, 2 ** 60];
const NOISE: readonly unknown[] = [1, 2.5, "x", true, [], {}, ["a"], { a: 1 }];

/** The quoted literals of every CRD rule. */
function ruleLiterals(): string[] {
  const out = new Set<string>();
  for (const { rule } of CRD_RULES) for (const m of rule.matchAll(/'([^'\\]*)'|"([^"\\]*)"/g)) out.add(m[1] ?? m[2] ?? "");
  return [...out];
}

const POOL = [...DURATIONS, ...STRINGS, ...ruleLiterals()];

/** Go-style durations, some of them malformed: signs, fractions, several components, odd units. */
export function randomDuration(random: Random): string {
  const units = ["ns", "us", "µs", "ms", "s", "m", "h", "h", "s", "x", ""];
  let text = random.pick(["", "", "", "-", "+"]);
  for (let i = random.int(1, 3); i > 0; i--) {
    const whole = random.chance(0.1) ? "" : String(random.int(0, random.pick([9, 999, 99999, 10 ** 12])));
    const fraction = random.chance(0.3) ? `.${String(random.int(0, 10 ** random.int(0, 9)))}` : "";
    text += `${whole}${fraction}${random.pick(units)}`;
  }
  return text;
}

function randomString(random: Random): string {
  return random.chance(0.85) ? random.pick(POOL) : randomDuration(random);
}

export interface SampleOptions {
  /** Deeper nodes are left empty. */
  readonly maxDepth: number;
  /** The chance that each declared property is present. */
  readonly fieldChance: number;
}

/** A random value for a schema node, mostly of the right shape. */
export function sampleSchemaData(s: Schema, random: Random, options: SampleOptions, depth = 0): unknown {
  if (random.chance(0.04)) return null;
  if (random.chance(0.04)) return random.pick(NOISE);
  if (s.enum && random.chance(0.8)) return random.pick(s.enum);
  if (s["x-kubernetes-int-or-string"]) return random.chance(0.5) ? random.pick(INTS) : randomString(random);
  switch (s.type) {
    case "string":
      return randomString(random);
    case "integer":
      return random.pick(INTS);
    case "number":
      return random.pick([0, 0.5, 1, 100]);
    case "boolean":
      return random.chance(0.5);
    case "array": {
      const length = depth >= options.maxDepth ? 0 : random.int(0, 3);
      return Array.from({ length }, () => (s.items ? sampleSchemaData(s.items, random, options, depth + 1) : random.pick(NOISE)));
    }
    default:
      return sampleObject(s, random, options, depth);
  }
}

function sampleObject(s: Schema, random: Random, options: SampleOptions, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > options.maxDepth) return out;
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    if (random.chance(options.fieldChance)) out[key] = sampleSchemaData(prop, random, options, depth + 1);
  }
  if (typeof s.additionalProperties === "object") {
    for (let i = random.int(0, 3); i > 0; i--) out[randomString(random)] = sampleSchemaData(s.additionalProperties, random, options, depth + 1);
  }
  if (random.chance(0.1)) out.unknownField = random.pick(NOISE);
  return out;
}
