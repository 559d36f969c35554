const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};

/**
 * Quotes like Go's `strconv.Quote` (the `%q` verb), which the Kubernetes API server uses for values in its
 * error texts: control and non-printable characters are escaped, printable Unicode is kept.
 */
export function quoteGo(text: string): string {
  let out = '"';
  for (const char of text) {
    const named = NAMED_ESCAPES[char];
    if (named !== undefined) {
      out += named;
      continue;
    }
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (isLoneSurrogate(code)) out += "\\ufffd"; // Go sees invalid UTF-8, which it prints as U+FFFD
    else if (!isPrintable(code)) out += code > 0xffff ? `\\U${hex(code, 8)}` : `\\u${hex(code, 4)}`;
    else out += char;
  }
  return `${out}"`;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

function isLoneSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}

// Go's unicode.IsPrint is true for letters, marks, numbers, punctuation, symbols and the ASCII space;
// the other separators and format/control characters are escaped.
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

function isPrintable(code: number): boolean {
  if (code < 0x7f) return true;
  return !NON_PRINTABLE.test(String.fromCodePoint(code));
}
