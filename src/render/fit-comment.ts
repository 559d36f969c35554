import { countOf } from "./count-of.ts";

/** One part of the comment (traffic, mTLS, findings…), with what it shrinks to when space runs out. */
export interface CommentPart {
  /** How the closing note names the part: "traffic", "mTLS". */
  readonly name: string;
  /** Markdown blocks in order; a block opening with ```mermaid is a diagram. */
  readonly blocks: readonly string[];
  /** Shorter blocks to use once the comment must shrink (per-resource diffs become a list of names). */
  readonly collapsed?: readonly string[];
  /** The part in one line of counts, shown when not even a few of its lines fit. */
  readonly summary: string;
  /** What one list item or table row of the part is, singular and plural: ["traffic row", "traffic rows"]. */
  readonly unit: readonly [string, string];
}

/** Diagrams kept once the comment must shrink: a few show the shape of the change. */
export const DIAGRAMS_KEPT = 3;
/** Room kept for the closing note (at most one short phrase per part) and the final newline. */
const NOTE_ROOM = 1_000;
/** Room kept in a part for its "… and N more" line. */
const INLINE_NOTE_ROOM = 100;

/** A part as it will be shown: text blocks, the diagrams kept (after the text), what was left out. */
interface Rendition {
  readonly part: CommentPart;
  readonly text: readonly string[];
  readonly diagrams: readonly string[];
  /** Diagrams the part has in all, shown or not. */
  readonly total: number;
  /** Phrases for the closing note, besides diagrams: what this part left out. */
  readonly omitted: readonly string[];
}

const isDiagram = (block: string) => block.startsWith("```mermaid");

/**
 * The comment from its head and parts, within `limit` characters whatever their size, degrading in
 * GitHub-safe steps: first all diagrams but a few go, then per-resource diffs collapse to a list of
 * names, then each part gets a fair share of the space and keeps as many whole lines as fit ("… and N
 * more"), else a line of counts, else it is only named in the closing note. Blocks holding a code fence
 * or a `<details>` are only ever kept whole or left out, so neither is cut in half.
 */
export function fitComment(head: string, parts: readonly CommentPart[], limit: number): string {
  for (const [diagrams, collapse] of [[Infinity, false], [DIAGRAMS_KEPT, false], [DIAGRAMS_KEPT, true]] as const) {
    const text = assemble(head, shape(parts, diagrams, collapse));
    if (text.length <= limit) return text;
  }
  return assemble(head, fitParts(shape(parts, DIAGRAMS_KEPT, true), limit - head.length - NOTE_ROOM));
}

/** The part's blocks in the comment: text, kept diagrams, and a line saying how many more there are. */
function blocksOf(r: Rendition): string[] {
  const dropped = r.total - r.diagrams.length;
  const shown = r.diagrams.length > 0;
  const note = dropped > 0 ? [`_${shown ? "… and " : ""}${countOf(dropped, `${shown ? "more " : ""}diagram`)} not shown._`] : [];
  return [...r.text, ...r.diagrams, ...note];
}

function assemble(head: string, renditions: readonly Rendition[]): string {
  const omitted = renditions.flatMap((r) => [...(r.total > r.diagrams.length ? [countOf(r.total - r.diagrams.length, `${r.part.name} diagram`)] : []), ...r.omitted]);
  const note = omitted.length === 0 ? [] : [`> Shortened to stay within GitHub's comment size: ${omitted.join(", ")} not shown. Run \`meshgate check --base\` locally for the whole review.`];
  return `${[head, ...renditions.flatMap(blocksOf), ...note].join("\n\n")}\n`;
}

/**
 * Each part with at most `diagrams` diagrams in all (first ones first), collapsed or not. A part's
 * diagrams follow its text (the traffic table, the rollout steps), so they are kept apart and put last.
 */
function shape(parts: readonly CommentPart[], diagrams: number, collapse: boolean): Rendition[] {
  let left = diagrams;
  return parts.map((part) => {
    const source = collapse && part.collapsed ? part.collapsed : part.blocks;
    const all = source.filter(isDiagram);
    const kept = all.slice(0, Math.max(0, left));
    left -= kept.length;
    return { part, text: source.filter((b) => !isDiagram(b)), diagrams: kept, total: all.length, omitted: source !== part.blocks ? [part.name] : [] };
  });
}

/**
 * Every part within its fair share of `room`: whole if it fits; else its few diagrams while they take
 * at most a quarter of the share, and as many whole lines as fit; else its line of counts; else nothing.
 */
function fitParts(renditions: readonly Rendition[], room: number): Rendition[] {
  const budgets = shareFairly(renditions.map((r) => size(blocksOf(r))), room);
  return renditions.map((r, i) => {
    const budget = budgets[i] ?? 0;
    if (size(blocksOf(r)) <= budget) return r;
    const diagrams = size(blocksOf({ ...r, text: [] })) <= budget / 4 ? r.diagrams : [];
    const fitted = fitBlocks(r.text, budget - size(blocksOf({ ...r, text: [], diagrams })), r.part.unit);
    if (fitted) return { ...r, text: fitted.blocks, diagrams, omitted: [...r.omitted, ...(fitted.left > 0 ? [countOf(fitted.left, ...r.part.unit)] : [])] };
    const summarised = { ...r, text: [r.part.summary], diagrams: [], omitted: [...r.omitted, `${r.part.name} details`] };
    return size(blocksOf(summarised)) <= budget ? summarised : { ...r, text: [], diagrams: [], total: 0, omitted: [...r.omitted, `the ${r.part.name} section`] };
  });
}

/** Characters the blocks take in the comment, with the blank line before each. */
function size(blocks: readonly string[]): number {
  return blocks.reduce((n, b) => n + b.length + 2, 0);
}

/**
 * Max-min fair shares of `total`: a part needing less than an equal share gets what it needs, the rest
 * split what is left, so one huge part (1,500 traffic rows) cannot crowd out the findings.
 */
function shareFairly(needs: readonly number[], total: number): number[] {
  const budgets = needs.map(() => 0);
  let open = needs.map((_, i) => i);
  let left = Math.max(0, total);
  while (open.length > 0) {
    const share = Math.floor(left / open.length);
    const met = open.filter((i) => (needs[i] ?? 0) <= share);
    if (met.length === 0) {
      for (const i of open) budgets[i] = share;
      break;
    }
    for (const i of met) {
      budgets[i] = needs[i] ?? 0;
      left -= budgets[i] ?? 0;
    }
    open = open.filter((i) => !met.includes(i));
  }
  return budgets;
}

/**
 * Whole blocks while they fit `budget`, then as many whole lines of the next as fit, then a line saying
 * how many items were left out. Undefined when not even one line fits.
 */
function fitBlocks(blocks: readonly string[], budget: number, unit: readonly [string, string]): { blocks: string[]; left: number } | undefined {
  const room = budget - INLINE_NOTE_ROOM;
  const out: string[] = [];
  let used = 0;
  let left = 0;
  for (const block of blocks) {
    const taken = left > 0 ? undefined : used + block.length + 2 <= room ? { text: block, left: 0 } : cutBlock(block, room - used - 2);
    if (taken) {
      out.push(taken.text);
      used += taken.text.length + 2;
    }
    // Once a block is cut or left out, the ones after it are left out too: the comment reads in order.
    left += taken ? taken.left : itemLines(block);
  }
  if (out.length === 0) return undefined;
  if (left > 0) out.push(`_… and ${countOf(left, `more ${unit[0]}`, `more ${unit[1]}`)} not shown._`);
  return { blocks: out, left };
}

/**
 * A block split into what must stay together (heading, a table's header and delimiter row) and its
 * item lines. Undefined for a block with a code fence or a `<details>`: those are never cut.
 */
function splitBlock(block: string): { prefix: string[]; lines: string[] } | undefined {
  if (/^ {0,3}(```|~~~)/m.test(block) || /<\/?details/i.test(block)) return undefined;
  const lines = block.split("\n");
  const delimiter = lines.findIndex((l) => /^\|(?:\s*:?-+:?\s*\|)+\s*$/.test(l));
  let p = delimiter + 1;
  if (delimiter < 0) while (p < lines.length && /^(#{1,6} .*)?$/.test(lines[p] ?? "")) p++;
  return { prefix: lines.slice(0, p), lines: lines.slice(p) };
}

/** Non-blank item lines of a block; a block that cannot be split counts as one item. */
function itemLines(block: string): number {
  const split = splitBlock(block);
  return split ? split.lines.filter((l) => l.trim() !== "").length : 1;
}

/** The block's prefix and as many whole item lines as fit `room`; undefined if none fits. */
function cutBlock(block: string, room: number): { text: string; left: number } | undefined {
  const split = splitBlock(block);
  if (!split) return undefined;
  const kept = [...split.prefix];
  let length = kept.join("\n").length;
  let shown = 0;
  for (const line of split.lines) {
    if (length + 1 + line.length > room) break;
    kept.push(line);
    length += 1 + line.length;
    if (line.trim() !== "") shown++;
  }
  if (shown === 0) return undefined;
  while (kept.at(-1)?.trim() === "") kept.pop();
  return { text: kept.join("\n"), left: split.lines.filter((l) => l.trim() !== "").length - shown };
}
