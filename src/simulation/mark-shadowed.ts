import type { MatchBlock } from "./match-block.ts";
import { coversBlock } from "./relate-blocks.ts";

/**
 * First match wins, so a rule none of whose match blocks can be reached is dead: each of its blocks
 * lies within a block of an earlier live rule (a catch-all, or a more general match such as prefix
 * `/api` before `/api/v2`). Overlaps that only a union of earlier blocks covers are not detected.
 */
export function markShadowed<T extends { readonly unreachable: boolean; readonly conditions: readonly MatchBlock[] }>(classes: readonly T[]): T[] {
  const live: MatchBlock[] = [];
  return classes.map((c) => {
    if (c.unreachable) return c;
    if (c.conditions.every((b) => live.some((l) => coversBlock(l, b)))) return { ...c, unreachable: true };
    live.push(...c.conditions);
    return c;
  });
}
