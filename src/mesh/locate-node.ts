import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { FieldPath } from "./field-path.ts";
import type { Position } from "./resource.ts";

/**
 * Returns a function that finds the line/column of a field path inside `root`. Lookups walk the YAML
 * AST on demand, so positions cost nothing until a finding needs one.
 */
export function makeLocator(doc: Document, root: Node, lineCounter: LineCounter): (path: FieldPath) => Position {
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return (path) => {
    let node: Node = root;
    let best = node.range?.[0] ?? 0;
    for (const part of path) {
      if (isAlias(node)) {
        const target = node.resolve(doc);
        if (!target) break;
        node = target;
      }
      let next: Node | undefined;
      if (typeof part === "number" && isSeq(node)) {
        const item: unknown = node.items[part];
        if (item && typeof item === "object" && "range" in item) {
          next = item as Node;
          best = next.range?.[0] ?? best;
        }
      } else if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const key: unknown = pair.key;
          const keyValue = isScalar(key) ? key.value : key;
          if (String(keyValue) !== String(part)) continue;
          if (isScalar(key) && key.range) best = key.range[0];
          next = (pair.value as Node | null) ?? undefined;
          break;
        }
      }
      if (!next) break;
      node = next;
    }
    return at(best);
  };
}
