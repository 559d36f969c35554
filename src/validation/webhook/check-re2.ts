/**
 * Tells whether Go's `regexp` (RE2 syntax, which Envoy uses too) accepts a pattern, with Go's error text
 * where we can name it. JavaScript's RegExp is a different dialect, so the pattern is first walked once:
 * Perl-only constructs RE2 rejects (lookaround, backreferences) are reported, RE2-only syntax (inline
 * flags, `(?P<name>`, `\z`, `\Q..\E`, POSIX classes, `\pL`) is rewritten to its JavaScript equivalent, and
 * what is left is compiled by RegExp for the structural errors (unbalanced groups, bad repetition).
 * `new RegExp` builds a matcher from data; it is not code evaluation and is allowed in workerd.
 */
export function checkRe2(pattern: string): string | undefined {
  const translated = translate(pattern);
  if ("error" in translated) return `error parsing regexp: ${translated.error}`;
  try {
    new RegExp(translated.source, translated.unicode ? "u" : "");
    return undefined;
  } catch (e) {
    return `error parsing regexp: ${goMessage(e instanceof Error ? e.message : String(e))}: \`${pattern}\``;
  }
}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: "0-9A-Za-z", alpha: "A-Za-z", ascii: "\\x00-\\x7F", blank: "\\t ", cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9", graph: "!-~", lower: "a-z", print: " -~", punct: "!-/:-@[-`{-~", space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z", word: "0-9A-Za-z_", xdigit: "0-9A-Fa-f",
};

const MAX_REPEAT = 1000;

interface Translated {
  readonly source: string;
  readonly unicode: boolean;
}

function translate(pattern: string): Translated | { error: string } {
  let out = "";
  let unicode = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "\\") {
      const escaped = translateEscape(pattern, i);
      if ("error" in escaped) return escaped;
      out += escaped.text;
      unicode ||= escaped.unicode;
      i = escaped.end - 1;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
      if (posix) {
        const ranges = POSIX_CLASSES[posix[2] ?? ""];
        if (ranges === undefined) return { error: `invalid character class range: \`${posix[0]}\`` };
        // A negated POSIX class inside a class has no JavaScript form; an empty class keeps the syntax check.
        out += posix[1] ? "" : ranges;
        i += posix[0].length - 1;
        continue;
      }
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      // `]` right after `[` or `[^` is a literal in RE2.
      const lead = pattern.slice(i + 1).startsWith("^") ? "^" : "";
      if (pattern[i + 1 + lead.length] === "]") {
        out += `${lead}\\]`;
        i += lead.length + 1;
      }
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      const group = translateGroup(pattern, i);
      if ("error" in group) return group;
      out += group.text;
      i = group.end - 1;
      continue;
    }
    if (c === "{") {
      const repeat = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i));
      if (repeat && (Number(repeat[1]) > MAX_REPEAT || Number(repeat[2] ?? 0) > MAX_REPEAT)) {
        return { error: `invalid repeat count: \`${repeat[0]}\`` };
      }
    }
    out += c;
  }
  return { source: out, unicode };
}

function translateGroup(pattern: string, i: number): { text: string; end: number } | { error: string } {
  const rest = pattern.slice(i);
  const perl = /^\(\?(?:<?[=!]|P=)/.exec(rest);
  if (perl) return { error: `invalid or unsupported Perl syntax: \`${perl[0]}\`` };
  const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest);
  if (named) return { text: `(?<${named[1] ?? ""}>`, end: i + named[0].length };
  const flags = /^\(\?(-?[imsU]+(?:-[imsU]*)?)?([:)])/.exec(rest);
  if (!flags) return { error: `invalid or unsupported Perl syntax: \`${rest.slice(0, 3)}\`` };
  // Flags change matching, not validity: `(?i:` becomes a plain group, `(?i)` disappears.
  return { text: flags[2] === ":" ? "(?:" : "", end: i + flags[0].length };
}

const JS_SYNTAX = new Set(["^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/"]);

function translateEscape(pattern: string, i: number): { text: string; end: number; unicode: boolean } | { error: string } {
  const next = pattern[i + 1];
  if (next === undefined) return { error: "trailing backslash at end of expression: ``" };
  const plain = (text: string, length = 2) => ({ text, end: i + length, unicode: false });
  // `\1` is a backreference (unsupported); `\12` is an octal escape (fine).
  if (/[1-9]/.test(next) && !(/[1-7]/.test(next) && /[0-7]/.test(pattern[i + 2] ?? ""))) {
    return { error: `invalid escape sequence: \`\\${next}\`` };
  }
  if (next === "z") return plain("$");
  if (next === "A") return plain("^");
  if (next === "a") return plain("\\x07");
  if (next === "Q") {
    const close = pattern.indexOf("\\E", i + 2);
    const literal = close < 0 ? pattern.slice(i + 2) : pattern.slice(i + 2, close);
    return plain(literal.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"), close < 0 ? pattern.length - i : close + 2 - i);
  }
  if (next === "p" || next === "P") {
    const m = /^\\[pP](\{\^?[A-Za-z_]+\}|[A-Za-z])/.exec(pattern.slice(i));
    if (!m) return { error: `invalid character class range: \`${pattern.slice(i, i + 3)}\`` };
    const name = (m[1] ?? "").replace(/^\{|\}$/g, "");
    const negate = name.startsWith("^") !== (next === "P");
    return { text: `\\${negate ? "P" : "p"}{${name.replace(/^\^/, "")}}`, end: i + m[0].length, unicode: true };
  }
  if (next === "x" && pattern[i + 2] === "{") {
    const m = /^\\x\{([0-9A-Fa-f]{1,6})\}/.exec(pattern.slice(i));
    if (!m) return { error: `invalid escape sequence: \`${pattern.slice(i, i + 3)}\`` };
    return { text: `\\u{${m[1] ?? ""}}`, end: i + m[0].length, unicode: true };
  }
  if (/[dDsSwWbBfnrtv0x]/.test(next)) return plain(`\\${next}`);
  if (/[A-Za-z]/.test(next)) return { error: `invalid escape sequence: \`\\${next}\`` };
  // RE2 lets any punctuation be escaped; JavaScript's unicode mode only its syntax characters.
  return plain(JS_SYNTAX.has(next) ? `\\${next}` : `\\x${next.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

const JS_TO_GO: readonly [RegExp, string][] = [
  [/Unterminated group/i, "missing closing )"],
  [/Unmatched '\)'/i, "unexpected )"],
  [/Unterminated character class/i, "missing closing ]"],
  [/Nothing to repeat/i, "missing argument to repetition operator"],
  [/Range out of order/i, "invalid character class range"],
  [/numbers out of order/i, "invalid repeat count"],
];

function goMessage(jsMessage: string): string {
  for (const [js, go] of JS_TO_GO) if (js.test(jsMessage)) return go;
  return jsMessage.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, "").toLowerCase();
}
