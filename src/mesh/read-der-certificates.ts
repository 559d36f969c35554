/** When a certificate may be used: milliseconds since the epoch, both ends included. */
export interface CertificateValidity {
  readonly notBefore: number;
  readonly notAfter: number;
}

/**
 * The validity of each certificate in `der`, a run of DER-encoded X.509 certificates (what Go's
 * `x509.ParseCertificates` takes), or undefined when it is not one. A small ASN.1 reader: it checks the
 * DER framing (definite, minimal lengths) and the shape of the certificate up to the public key, and
 * reads the two times; it does not verify signatures nor decode keys and extensions, which Go's parser
 * would also reject when malformed.
 */
export function readDerCertificates(der: Uint8Array): CertificateValidity[] | undefined {
  const out: CertificateValidity[] = [];
  let offset = 0;
  while (offset < der.length) {
    const cert = readElement(der, offset);
    if (!cert || cert.tag !== SEQUENCE) return undefined;
    const validity = readCertificate(der, cert);
    if (!validity) return undefined;
    out.push(validity);
    offset = cert.end;
  }
  return out;
}

const INTEGER = 0x02;
const BIT_STRING = 0x03;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const SEQUENCE = 0x30;
const VERSION = 0xa0; // [0] EXPLICIT, constructed

/** One DER element: its tag and where its contents start and end. */
interface Element {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

/** Reads the element at `offset`, or undefined if the framing is not DER (high tags, indefinite or non-minimal lengths). */
function readElement(der: Uint8Array, offset: number): Element | undefined {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f) return undefined;
  let length = first;
  let start = offset + 2;
  if (first & 0x80) {
    const bytes = first & 0x7f;
    if (bytes === 0 || bytes > 4) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) {
      const b = der[start + i];
      if (b === undefined || (i === 0 && b === 0)) return undefined;
      length = length * 256 + b;
    }
    if (length < 0x80) return undefined;
    start += bytes;
  }
  const end = start + length;
  return end > der.length ? undefined : { tag, start, end };
}

/** The elements directly inside a constructed element, or undefined when they do not tile it exactly. */
function children(der: Uint8Array, parent: Element): Element[] | undefined {
  const out: Element[] = [];
  let offset = parent.start;
  while (offset < parent.end) {
    const child = readElement(der, offset);
    if (!child || child.end > parent.end) return undefined;
    out.push(child);
    offset = child.end;
  }
  return out;
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm SEQUENCE, signatureValue BIT STRING }
 * TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber INTEGER, signature SEQUENCE,
 *   issuer SEQUENCE, validity SEQUENCE { notBefore Time, notAfter Time }, subject SEQUENCE,
 *   subjectPublicKeyInfo SEQUENCE, ... }
 */
function readCertificate(der: Uint8Array, cert: Element): CertificateValidity | undefined {
  const [tbs, algorithm, signature, ...extra] = children(der, cert) ?? [];
  if (!tbs || tbs.tag !== SEQUENCE || algorithm?.tag !== SEQUENCE || signature?.tag !== BIT_STRING || extra.length > 0) return undefined;
  const fields = children(der, tbs);
  if (!fields) return undefined;
  let i = 0;
  if (fields[0]?.tag === VERSION) {
    const [version, ...rest] = children(der, fields[0]) ?? [];
    if (!version || rest.length > 0 || version.tag !== INTEGER || version.end - version.start !== 1) return undefined;
    if ((der[version.start] ?? 3) > 2) return undefined;
    i = 1;
  }
  const [serial, sigAlg, issuer, validity, subject, publicKey] = fields.slice(i, i + 6);
  if (serial?.tag !== INTEGER || serial.end === serial.start) return undefined;
  if (sigAlg?.tag !== SEQUENCE || issuer?.tag !== SEQUENCE || validity?.tag !== SEQUENCE) return undefined;
  if (subject?.tag !== SEQUENCE || publicKey?.tag !== SEQUENCE) return undefined;
  const [notBefore, notAfter, ...more] = children(der, validity) ?? [];
  if (!notBefore || !notAfter || more.length > 0) return undefined;
  const from = readTime(der, notBefore);
  const to = readTime(der, notAfter);
  return from === undefined || to === undefined ? undefined : { notBefore: from, notAfter: to };
}

const UTC_FORMAT = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:Z|([+-])(\d{2})(\d{2}))$/;
const GENERALIZED_FORMAT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:Z|([+-])(\d{2})(\d{2}))$/;

/**
 * An ASN.1 time as Go's cryptobyte reads it: UTCTime `YYMMDDhhmm[ss]` (years 50-99 are 19xx) or
 * GeneralizedTime `YYYYMMDDhhmmss`, then `Z` or a non-zero `±hhmm` offset (Go re-formats the parsed time
 * and rejects text that does not come back the same, so `+0000` and fractions are refused).
 */
function readTime(der: Uint8Array, element: Element): number | undefined {
  const text = String.fromCharCode(...der.subarray(element.start, element.end));
  const m = (element.tag === UTC_TIME ? UTC_FORMAT : element.tag === GENERALIZED_TIME ? GENERALIZED_FORMAT : undefined)?.exec(text);
  if (!m) return undefined;
  const n = (i: number): number => Number(m[i] ?? "0");
  const year = element.tag === UTC_TIME ? (n(1) >= 50 ? 1900 : 2000) + n(1) : n(1);
  const [month, day, hour, minute, second] = [n(2), n(3), n(4), n(5), n(6)];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years below 100 as 19xx
  date.setUTCHours(hour, minute, second);
  if (date.getUTCDate() !== day) return undefined;
  const utc = date.getTime();
  const sign = m[7];
  if (sign === undefined) return utc;
  const offsetMinutes = n(8) * 60 + n(9);
  if (offsetMinutes === 0 || n(8) > 23 || n(9) > 59) return undefined;
  return utc - (sign === "+" ? 1 : -1) * offsetMinutes * 60_000;
}
