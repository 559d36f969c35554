/**
 * Rewrites an RE2 pattern (the syntax of Go's `regexp`, which Kubernetes uses for OpenAPI `pattern` and
 * CEL `matches()`) into JavaScript RegExp source that needs no flags. JavaScript lacks RE2's inline flag
 * groups (`(?i)`, `(?s:...)`) before V8 12.5, named groups spelled `(?P<name>`, `\A`, `\z`, `\Q...\E`
 * and POSIX classes, so those are expanded in place: case folding becomes `[aA]`, dot-all becomes
 * `[\s\S]`. RE2's `.` never matches `\n` only, so it becomes `[^\n]`.
 */
export function translateRe2(pattern: string): string {
  return new Translator(pattern).run();
}

interface Flags {
  fold: boolean;
  dotAll: boolean;
  multiLine: boolean;
}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7f",
  blank: "\\t ",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

class Translator {
  private i = 0;
  private out = "";
  private readonly stack: Flags[] = [];
  private flags: Flags = { fold: false, dotAll: false, multiLine: false };
  private readonly src: string;

  constructor(src: string) {
    this.src = src;
  }

  run(): string {
    while (this.i < this.src.length) this.step();
    return this.out;
  }

  private step(): void {
    const c = this.src[this.i] ?? "";
    if (c === "\\") return this.escape();
    if (c === "[") return this.charClass();
    if (c === "(") return this.openGroup();
    this.i++;
    if (c === ")") {
      this.flags = this.stack.pop() ?? this.flags;
      this.out += c;
    } else if (c === ".") this.out += this.flags.dotAll ? "[\\s\\S]" : "[^\\n]";
    else if (c === "^") this.out += this.flags.multiLine ? "(?<![^\\n])" : "^";
    else if (c === "$") this.out += this.flags.multiLine ? "(?![^\\n])" : "$";
    else this.out += this.literal(c);
  }

  private literal(c: string): string {
    if (!this.flags.fold) return c;
    const lower = c.toLowerCase();
    const upper = c.toUpperCase();
    return lower !== upper && lower.length === 1 && upper.length === 1 ? `[${lower}${upper}]` : c;
  }

  private escape(): void {
    const next = this.src[this.i + 1] ?? "";
    this.i += 2;
    if (next === "A") this.out += "(?<![\\s\\S])";
    else if (next === "z") this.out += "(?![\\s\\S])";
    else if (next === "Q") this.quoted();
    else if ((next === "p" || next === "P") && this.src[this.i] !== "{") {
      this.out += `\\${next}{${this.src[this.i] ?? ""}}`;
      this.i++;
    } else this.out += `\\${next}`;
  }

  /** `\Q...\E`: everything in between is literal. */
  private quoted(): void {
    const end = this.src.indexOf("\\E", this.i);
    const text = end < 0 ? this.src.slice(this.i) : this.src.slice(this.i, end);
    this.i = end < 0 ? this.src.length : end + 2;
    for (const c of text) this.out += /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : this.literal(c);
  }

  private openGroup(): void {
    const rest = this.src.slice(this.i);
    const flagGroup = /^\(\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
    if (flagGroup) {
      const changed = this.withFlags(flagGroup[1] ?? "", flagGroup[2] ?? "");
      this.i += flagGroup[0].length;
      if (flagGroup[3] === ")") {
        this.flags = changed; // applies to the rest of the enclosing group
        return;
      }
      this.stack.push(this.flags);
      this.flags = changed;
      this.out += "(?:";
      return;
    }
    this.stack.push(this.flags);
    if (rest.startsWith("(?P<")) {
      this.out += "(?<";
      this.i += 4;
    } else {
      this.out += "(";
      this.i++;
    }
  }

  private withFlags(on: string, off: string): Flags {
    const set = (name: string, current: boolean): boolean => (off.includes(name) ? false : on.includes(name) ? true : current);
    return {
      fold: set("i", this.flags.fold),
      dotAll: set("s", this.flags.dotAll),
      multiLine: set("m", this.flags.multiLine),
    };
  }

  private charClass(): void {
    let body = "";
    let j = this.i + 1;
    if (this.src[j] === "^") {
      body += "^";
      j++;
    }
    if (this.src[j] === "]") {
      body += "\\]";
      j++;
    }
    const extra: string[] = [];
    while (j < this.src.length && this.src[j] !== "]") {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(j));
      if (posix && POSIX_CLASSES[posix[2] ?? ""] !== undefined && posix[1] === "") {
        body += POSIX_CLASSES[posix[2] ?? ""];
        j += posix[0].length;
        continue;
      }
      const c = this.src[j] ?? "";
      if (c === "\\") {
        body += this.src.slice(j, j + 2);
        j += 2;
        continue;
      }
      if (this.src[j + 1] === "-" && this.src[j + 2] !== undefined && this.src[j + 2] !== "]") {
        const end = this.src[j + 2] ?? "";
        body += `${c}-${end}`;
        if (this.flags.fold) extra.push(...foldRange(c, end));
        j += 3;
        continue;
      }
      body += c === "[" ? "\\[" : c;
      if (this.flags.fold) extra.push(...foldRange(c, c));
      j++;
    }
    this.i = j + 1;
    this.out += `[${body}${extra.join("")}]`;
  }
}

/** The other-case counterpart of a range of letters, when both ends are letters of one case. */
function foldRange(from: string, to: string): string[] {
  const isLower = (c: string): boolean => c >= "a" && c <= "z";
  const isUpper = (c: string): boolean => c >= "A" && c <= "Z";
  if (isLower(from) && isLower(to)) return [from === to ? from.toUpperCase() : `${from.toUpperCase()}-${to.toUpperCase()}`];
  if (isUpper(from) && isUpper(to)) return [from === to ? from.toLowerCase() : `${from.toLowerCase()}-${to.toLowerCase()}`];
  return [];
}
