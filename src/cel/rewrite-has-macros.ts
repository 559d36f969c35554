/** The function `has(e.f)` is rewritten to when `e` is more than a chain of field names. */
export const HAS_FIELD_FUNCTION = "__meshgate_has";

/**
 * cel-js accepts `has()` only on a chain of field selections from a variable (`has(a.b.c)`), but CEL
 * allows any operand, and Gateway API rules use `has(self.matches[0].path)`. Such calls are rewritten
 * to `__meshgate_has(self.matches[0], "path")`, which tests the last field the way `has()` does.
 */
export function rewriteHasMacros(source: string): string {
  let out = "";
  let i = 0;
  while (i < source.length) {
    const literalEnd = skipStringLiteral(source, i);
    if (literalEnd > i) {
      out += source.slice(i, literalEnd);
      i = literalEnd;
      continue;
    }
    if (isHasCall(source, i)) {
      const open = source.indexOf("(", i);
      const close = matchingParen(source, open);
      if (close > open) {
        const inner = rewriteHasMacros(source.slice(open + 1, close));
        out += rewriteOne(inner) ?? `has(${inner})`;
        i = close + 1;
        continue;
      }
    }
    out += source[i];
    i++;
  }
  return out;
}

function isHasCall(source: string, i: number): boolean {
  if (!/^has\s*\(/.test(source.slice(i, i + 10))) return false;
  const before = source.slice(0, i).trimEnd();
  return !/[\w.]$/.test(before);
}

/** `e.f` with a complex `e` becomes the helper call; a plain chain stays for cel-js's own has(). */
function rewriteOne(argument: string): string | undefined {
  const text = argument.trim();
  if (/^[A-Za-z_]\w*(\s*\.\s*[A-Za-z_]\w*)+$/.test(text)) return undefined;
  const field = /\.\s*([A-Za-z_]\w*)$/.exec(text);
  if (!field || !isTopLevel(text, field.index)) return undefined;
  return `${HAS_FIELD_FUNCTION}(${text.slice(0, field.index)}, "${field[1] ?? ""}")`;
}

/** True when `position` is outside any brackets, parentheses and string literals of `text`. */
function isTopLevel(text: string, position: number): boolean {
  let depth = 0;
  let i = 0;
  while (i < position) {
    const literalEnd = skipStringLiteral(text, i);
    if (literalEnd > i) {
      i = literalEnd;
      continue;
    }
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    i++;
  }
  return depth === 0;
}

function matchingParen(source: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < source.length) {
    const literalEnd = skipStringLiteral(source, i);
    if (literalEnd > i) {
      i = literalEnd;
      continue;
    }
    const c = source[i];
    if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
    i++;
  }
  return -1;
}

/** The end of a CEL string or bytes literal starting at `i` (with r/b prefixes, triple quotes), else `i`. */
function skipStringLiteral(source: string, i: number): number {
  const prefix = /^(?:[rRbB]{1,2})?(?="|')/.exec(source.slice(i, i + 3));
  if (!prefix || (i > 0 && /\w/.test(source[i - 1] ?? "") && prefix[0] !== "")) return i;
  const raw = /r/i.test(prefix[0]);
  const start = i + prefix[0].length;
  const mark = source[start] ?? '"';
  const quote = source.startsWith(mark.repeat(3), start) ? mark.repeat(3) : mark;
  let j = start + quote.length;
  while (j < source.length) {
    if (!raw && source[j] === "\\") {
      j += 2;
      continue;
    }
    if (source.startsWith(quote, j)) return j + quote.length;
    j++;
  }
  return source.length;
}
