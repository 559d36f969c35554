import { decodeBase64 } from "./decode-base64.ts";
import { decodePemBlock } from "./decode-pem-block.ts";
import { isObject, type JsonObject } from "./json.ts";
import { type CertificateValidity, readDerCertificates } from "./read-der-certificates.ts";

/** What meshgate keeps of one `data` (or `stringData`) entry: never the value, only whether it is empty. */
export interface SecretKeySummary {
  /** Empty once decoded (Go's `len(v) == 0`), as for `key: ""` or `key: null`. */
  readonly empty: boolean;
  /**
   * For the keys Istio reads a gateway's server certificate from (`cert`, `tls.crt`): the validity of
   * each certificate in the value's first PEM block, or null when there is no such block or it does
   * not hold DER certificates.
   */
  readonly certificates?: readonly CertificateValidity[] | null;
}

/**
 * The safe part of a Secret's `data`, kept in place of the values (which the parser drops): enough for
 * `gateway.SecretAnalyzer` to judge a gateway credential. Certificates are public, but only their
 * validity dates are kept; private keys are never decoded.
 */
export interface SecretSummary {
  /** False when `data` or `stringData`, or one of their values, has the wrong form (`data` values must be base64): Kubernetes' decoder rejects the Secret. */
  readonly decodable: boolean;
  readonly keys: Readonly<Record<string, SecretKeySummary>>;
}

const CERTIFICATE_KEYS: ReadonlySet<string> = new Set(["cert", "tls.crt"]);

/**
 * Summarizes `data` as the API server would store it: base64 values decoded, and `stringData` (plain
 * text) written over them, as a create or apply does.
 */
export function summarizeSecret(secret: JsonObject): SecretSummary {
  const values = new Map<string, Uint8Array | undefined>();
  let decodable = true;
  const read = (field: unknown, decode: (value: string) => Uint8Array | undefined): void => {
    if (field === undefined || field === null) return;
    if (!isObject(field)) {
      decodable = false;
      return;
    }
    for (const [name, value] of Object.entries(field)) {
      const bytes = value === null ? new Uint8Array(0) : typeof value === "string" ? decode(value) : undefined;
      if (!bytes) decodable = false;
      values.set(name, bytes);
    }
  };
  read(secret.data, decodeBase64);
  read(secret.stringData, (text) => new TextEncoder().encode(text));
  const keys: Record<string, SecretKeySummary> = {};
  for (const [name, bytes] of values) {
    if (!bytes) keys[name] = { empty: false };
    else if (CERTIFICATE_KEYS.has(name)) keys[name] = { empty: bytes.length === 0, certificates: certificatesIn(bytes) };
    else keys[name] = { empty: bytes.length === 0 };
  }
  return { decodable, keys };
}

/** Istio's `ValidateCertificate` input: the first PEM block (whatever its type), parsed as DER certificates. */
function certificatesIn(bytes: Uint8Array): readonly CertificateValidity[] | null {
  const block = decodePemBlock(bytes);
  return (block && readDerCertificates(block.bytes)) ?? null;
}
