const encoder = new TextEncoder();

function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length !== 64 || !/^[0-9a-f]+$/i.test(hex)) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Checks `X-Hub-Signature-256` (`sha256=<hex HMAC of the raw body>`) before anything reads the body.
 * `crypto.subtle.verify` recomputes the HMAC and compares in constant time, as GitHub's own
 * WebCrypto example does; a missing, malformed or wrong-length header is simply false.
 */
export async function verifyWebhookSignature(secret: string, body: ArrayBuffer, header: string | null | undefined): Promise<boolean> {
  if (!secret || !header?.startsWith("sha256=")) return false;
  const signature = hexToBytes(header.slice("sha256=".length));
  if (!signature) return false;
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  return crypto.subtle.verify("HMAC", key, signature, body);
}
