import type { Condition, MatchBlock } from "./match-block.ts";

/**
 * Set relations between match blocks, decided per attribute and on the safe side: "covers" and
 * "disjoint" are only answered yes when they surely hold (an unknown overlap counts as an overlap).
 * Regexes are Envoy full matches (RE2); JavaScript's engine reads the common subset the same way, and a
 * pattern it cannot read is never used to conclude anything.
 */

const regexes = new Map<string, RegExp | null>();

function fullMatch(pattern: string, value: string): boolean | undefined {
  let re = regexes.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, "u");
    } catch {
      re = null;
    }
    regexes.set(pattern, re);
  }
  return re === null ? undefined : re.test(value);
}

/** `path-prefix` is element-wise (Gateway API): `/foo` holds for `/foo` and `/foo/bar`, not `/foobar`. */
function underPath(path: string, prefix: string): boolean {
  const p = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  return p === "" || path === p || path.startsWith(`${p}/`);
}

/** Always true for a request: Istio's catch-all paths (`IsCatchAllRoute`: prefix `/`, regex `.*`). */
export function isTrivial(c: Condition): boolean {
  if (c.attribute !== "path") return false;
  return ((c.op === "prefix" || c.op === "path-prefix") && c.value === "/") || (c.op === "regex" && c.value === ".*");
}

/** Matches every request: no condition left once the always-true ones are set aside. */
export function isCatchAll(block: MatchBlock): boolean {
  return block.none.length === 0 && block.all.every(isTrivial);
}

function fold(c: Condition, other: Condition): string {
  return c.ignoreCase === true || other.ignoreCase === true ? c.value.toLowerCase() : c.value;
}

/** The same test with case mattering, when its value has no letter case to ignore. */
function caseSensitive(c: Condition): Condition {
  if (c.ignoreCase !== true || c.value.toLowerCase() !== c.value.toUpperCase()) return c;
  return { attribute: c.attribute, op: c.op, value: c.value, ...(c.values ? { values: c.values } : {}) };
}

/** Every request satisfying `x` satisfies `y` (same attribute). */
function implies(given: Condition, y: Condition): boolean {
  if (given.attribute !== y.attribute) return false;
  if (isTrivial(y) || y.op === "present") return true;
  const x = caseSensitive(given);
  // A case-insensitive `x` also holds for spellings a case-sensitive `y` rejects.
  if (x.op === "present" || (x.ignoreCase === true && y.ignoreCase !== true)) return false;
  const xv = fold(x, y);
  const yv = fold(y, x);
  switch (y.op) {
    case "exact":
      return x.op === "exact" && xv === yv;
    case "prefix":
      return (x.op === "exact" || x.op === "prefix") && xv.startsWith(yv);
    case "path-prefix":
      return ((x.op === "exact" || x.op === "path-prefix") && underPath(xv, yv)) || (x.op === "prefix" && xv.startsWith(`${yv.replace(/\/$/, "")}/`));
    case "regex":
      return (x.op === "regex" && x.value === y.value) || (x.op === "exact" && x.ignoreCase !== true && fullMatch(y.value, x.value) === true);
    case "one-of": {
      const ys = y.values ?? [];
      return ys.includes("*") || (x.op === "one-of" && (x.values ?? []).every((v) => ys.includes(v)));
    }
  }
}

/** No request satisfies `x` and `y`, for one order of the two operators. */
function excludesOrdered(x: Condition, y: Condition): boolean {
  const a = fold(x, y);
  const b = fold(y, x);
  if (x.op === "exact" && y.op === "exact") return a !== b;
  if (x.op === "exact" && y.op === "prefix") return !a.startsWith(b);
  if (x.op === "prefix" && y.op === "prefix") return !a.startsWith(b) && !b.startsWith(a);
  if (x.op === "exact" && y.op === "path-prefix") return !underPath(a, b);
  if (x.op === "path-prefix" && y.op === "path-prefix") return !underPath(a, b) && !underPath(b, a);
  if (x.op === "exact" && y.op === "regex") return x.ignoreCase !== true && fullMatch(y.value, x.value) === false;
  if (x.op === "one-of" && y.op === "one-of") {
    const xs = x.values ?? [];
    const ys = y.values ?? [];
    return !xs.includes("*") && !ys.includes("*") && !xs.some((v) => ys.includes(v));
  }
  return false;
}

/** No request satisfies both (same attribute). */
function excludes(x: Condition, y: Condition): boolean {
  if (x.attribute !== y.attribute) return false;
  return excludesOrdered(x, y) || excludesOrdered(y, x);
}

/** Every request `b` matches, `a` matches too. */
export function coversBlock(a: MatchBlock, b: MatchBlock): boolean {
  const positive = a.all.every((c) => isTrivial(c) || b.all.some((d) => implies(d, c)));
  // `a` rejects requests with `n`: `b` must never let one through (it requires something `n` excludes,
  // or rejects something at least as wide as `n`).
  const negative = a.none.every((n) => b.all.some((d) => excludes(d, n)) || b.none.some((m) => implies(n, m)));
  return positive && negative;
}

/** No request matches both. */
export function disjointBlocks(a: MatchBlock, b: MatchBlock): boolean {
  const clash = (x: MatchBlock, y: MatchBlock): boolean => x.all.some((c) => y.all.some((d) => excludes(c, d)) || y.none.some((n) => implies(c, n)));
  return clash(a, b) || clash(b, a);
}

function joinText(a: string, b: string): string {
  if (a === "any request") return b;
  if (b === "any request") return a;
  return `${a} and ${b}`;
}

/** The requests both match: their conditions together, with a narrower one standing for a wider one. */
export function intersectBlocks(a: MatchBlock, b: MatchBlock): MatchBlock {
  if (coversBlock(a, b)) return b;
  if (coversBlock(b, a)) return a;
  const all = [...a.all, ...b.all].filter((c, i, list) => !list.some((d, j) => j !== i && implies(d, c) && (!implies(c, d) || j < i)));
  return { all, none: [...a.none, ...b.none], text: joinText(a.text, b.text) };
}

/**
 * A delegate's block inside its root's ([api] L423-435): the delegate's condition on an attribute must
 * lie within the root's ("a strict subset"), else the pair conflicts and the route does not take
 * effect (undefined here).
 */
export function mergeDelegateBlock(root: MatchBlock, leaf: MatchBlock): MatchBlock | undefined {
  for (const r of root.all) {
    const same = leaf.all.filter((l) => l.attribute === r.attribute);
    if (same.length > 0 && !same.some((l) => implies(l, r))) return undefined;
  }
  return intersectBlocks(root, leaf);
}
