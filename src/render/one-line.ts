/**
 * Characters that end a line somewhere (CommonMark takes a lone `\r` as a line ending; U+2028/U+2029 and
 * U+0085 break lines in browsers and terminals), every other control character (a terminal obeys ESC
 * sequences), and the bidirectional overrides that make text read differently from what it is.
 */
const BREAKING = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu;

/** Repo text made into one line of plain characters: each run of line breaks or controls becomes a space. */
export function oneLine(text: string): string {
  return text.replace(BREAKING, " ");
}
