import { decodeBase64 } from "./decode-base64.ts";

/** A PEM block: its type (`CERTIFICATE`) and its decoded bytes. */
export interface PemBlock {
  readonly type: string;
  readonly bytes: Uint8Array;
}

/**
 * The first PEM block in `data`, found the way Go's `pem.Decode` finds it (the block Istio checks a
 * gateway certificate by): a `-----BEGIN <type>-----` line, optional `Key: value` headers, base64
 * lines, and a matching `-----END <type>-----` line; a malformed candidate is skipped and the search
 * goes on after its BEGIN line. Undefined when there is no block.
 */
export function decodePemBlock(data: Uint8Array): PemBlock | undefined {
  let rest = latin1(data);
  for (;;) {
    if (rest.startsWith("-----BEGIN ")) rest = rest.slice(11);
    else {
      const at = rest.indexOf("\n-----BEGIN ");
      if (at < 0) return undefined;
      rest = rest.slice(at + 12);
    }
    const [typeLine, afterType] = getLine(rest);
    rest = afterType;
    if (!typeLine.endsWith("-----")) continue;
    const type = typeLine.slice(0, -5);
    const block = readBody(rest, type);
    if (block) return block;
  }
}

/** The headers, base64 body and END line after a BEGIN line; undefined when they are malformed. */
function readBody(text: string, type: string): PemBlock | undefined {
  let rest = text;
  let headers = 0;
  for (;;) {
    if (rest === "") return undefined;
    const [line, next] = getLine(rest);
    if (!line.includes(":")) break;
    headers++;
    rest = next;
  }
  let endIndex: number;
  let trailerIndex: number;
  if (headers === 0 && rest.startsWith("-----END ")) {
    endIndex = 0;
    trailerIndex = 9;
  } else {
    endIndex = rest.indexOf("\n-----END ");
    trailerIndex = endIndex + 10;
  }
  if (endIndex < 0) return undefined;
  const trailer = rest.slice(trailerIndex, trailerIndex + type.length + 5);
  if (trailer !== `${type}-----` || getLine(rest.slice(trailerIndex + type.length + 5))[0] !== "") return undefined;
  const bytes = decodeBase64(rest.slice(0, endIndex).replace(/[ \t]/g, ""));
  return bytes ? { type, bytes } : undefined;
}

/** Go's `getLine`: up to the next `\n` (a `\r` before it dropped), trailing spaces and tabs trimmed. */
function getLine(text: string): [string, string] {
  const i = text.indexOf("\n");
  const line = i < 0 ? text : text.slice(0, i > 0 && text[i - 1] === "\r" ? i - 1 : i);
  return [line.replace(/[ \t]+$/, ""), i < 0 ? "" : text.slice(i + 1)];
}

function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}
