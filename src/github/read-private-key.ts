/** Why a GitHub App private key could not be used; the message never contains the key. */
export class PrivateKeyError extends Error {}

const CONVERT = "openssl pkcs8 -topk8 -inform PEM -outform PEM -nocrypt -in private-key.pem -out private-key-pkcs8.pem";

function pemBody(pem: string, label: string): Uint8Array | undefined {
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!m?.[1]) return undefined;
  const bin = atob(m[1].replace(/\s+/g, ""));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function derNode(tag: number, content: ArrayLike<number>): number[] {
  return [tag, ...derLength(content.length), ...Array.from(content)];
}

// AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }
const RSA_ALGORITHM = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];

/**
 * PKCS#1 `RSAPrivateKey` wrapped as PKCS#8 `PrivateKeyInfo` (version 0, rsaEncryption, the key as an
 * OCTET STRING): GitHub hands out PKCS#1, WebCrypto imports only PKCS#8, and the wrapping is lossless.
 */
export function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array {
  return Uint8Array.from(derNode(0x30, [0x02, 0x01, 0x00, ...RSA_ALGORITHM, ...derNode(0x04, pkcs1)]));
}

/**
 * The App's signing key from `GITHUB_PRIVATE_KEY`: PKCS#8 as is, PKCS#1 (GitHub's download) converted;
 * anything else refused with the command that fixes it. Escaped `\n` (a key pasted on one line) is undone.
 */
export async function readPrivateKey(pem: string): Promise<CryptoKey> {
  const text = pem.replace(/\\n/g, "\n");
  const pkcs8 = pemBody(text, "PRIVATE KEY");
  const pkcs1 = pkcs8 ? undefined : pemBody(text, "RSA PRIVATE KEY");
  if (!pkcs8 && !pkcs1) {
    const kind = /-----BEGIN ([A-Z ]+)-----/.exec(text)?.[1];
    throw new PrivateKeyError(
      kind
        ? `GITHUB_PRIVATE_KEY is a "${kind}" PEM; meshgate needs the RSA key GitHub generated for the App, unencrypted (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY"). If it is encrypted, run: ${CONVERT.replace("-nocrypt ", "")}`
        : `GITHUB_PRIVATE_KEY is not a PEM private key; paste the whole .pem GitHub downloaded (or its PKCS#8 form: ${CONVERT})`,
    );
  }
  const der = pkcs8 ?? pkcs1ToPkcs8(pkcs1 as Uint8Array);
  try {
    return await crypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  } catch {
    throw new PrivateKeyError(`GITHUB_PRIVATE_KEY could not be imported as an RSA key; convert it with: ${CONVERT}, then \`wrangler secret put GITHUB_PRIVATE_KEY < private-key-pkcs8.pem\``);
  }
}
