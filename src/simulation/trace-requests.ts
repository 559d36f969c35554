import type { MatchBlock } from "./match-block.ts";
import { coversBlock, disjointBlocks, intersectBlocks } from "./relate-blocks.ts";

/** Some of a class's requests and the rule of the other version that takes them (none: no rule matches). */
export interface Trace<C> {
  readonly text: string;
  readonly target: C | undefined;
  /** `text` is the whole of a match block of the traced class, not a part cut out by another rule. */
  readonly whole: boolean;
}

interface Traceable {
  readonly conditions: readonly MatchBlock[];
}

/**
 * Where the requests of `cls` go under another version's live rules `other`, in their order (first
 * match wins). A class's requests are those its blocks match minus those `earlier` blocks (the rules
 * before it in its own version) take, so a rule of `other` that only overlaps with those is skipped.
 * A rule covering a block takes the rest of it; one overlapping it takes the overlap; what no rule
 * takes goes nowhere.
 */
export function traceRequests<C extends Traceable>(cls: Traceable, earlier: readonly MatchBlock[], other: readonly C[]): Trace<C>[] {
  const out: Trace<C>[] = [];
  for (const block of cls.conditions) {
    if (earlier.some((e) => coversBlock(e, block))) continue;
    const cut: string[] = [];
    const rest = (): string => (cut.length > 0 ? `${block.text} except ${cut.join(" or ")}` : block.text);
    let taken = false;
    for (const target of other) {
      for (const b of target.conditions) {
        if (disjointBlocks(b, block)) continue;
        const both = intersectBlocks(b, block);
        if (earlier.some((e) => coversBlock(e, both))) continue;
        if (coversBlock(b, block)) {
          out.push({ text: rest(), target, whole: cut.length === 0 });
          taken = true;
          break;
        }
        out.push({ text: both.text, target, whole: false });
        cut.push(b.text);
      }
      if (taken) break;
    }
    if (!taken) {
      // The requests going nowhere are named exactly: earlier rules' and other rules' requests set apart.
      const before = earlier.filter((e) => !disjointBlocks(e, block)).map((e) => e.text);
      const except = [...new Set([...before, ...cut])];
      out.push({ text: except.length > 0 ? `${block.text} except ${except.join(" or ")}` : block.text, target: undefined, whole: cut.length === 0 });
    }
  }
  return mergeTraces(out);
}

/** One trace per target: a class whose blocks all land on the same rule is one row, its texts ORed. */
function mergeTraces<C>(traces: readonly Trace<C>[]): Trace<C>[] {
  const groups: { target: C | undefined; whole: boolean; texts: string[] }[] = [];
  for (const t of traces) {
    const group = groups.find((g) => g.target === t.target && g.whole === t.whole);
    if (!group) groups.push({ target: t.target, whole: t.whole, texts: [t.text] });
    else if (!group.texts.includes(t.text)) group.texts.push(t.text);
  }
  return groups.map((g) => ({ text: g.texts.join(" or "), target: g.target, whole: g.whole }));
}
