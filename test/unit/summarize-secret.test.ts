import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { readDerCertificates } from "../../src/mesh/read-der-certificates.ts";
import { summarizeSecret } from "../../src/mesh/summarize-secret.ts";
import { OLD_CERT, OLD_VALIDITY, SHOP_CERT, SHOP_VALIDITY, base64, derOf } from "../support/test-certificates.ts";

const certificatesOf = (text: string): unknown => summarizeSecret({ data: { "tls.crt": base64(text) } }).keys["tls.crt"]?.certificates;
const pem = (type: string, bytes: Uint8Array): string => `-----BEGIN ${type}-----\n${base64(bytes).replace(/(.{64})/g, "$1\n")}\n-----END ${type}-----\n`;

describe("summarizeSecret: certificate dates", () => {
  it("reads UTCTime validity from the first certificate", () => {
    expect(certificatesOf(SHOP_CERT)).toEqual([SHOP_VALIDITY]);
  });

  it("reads GeneralizedTime validity (years from 2050), here from Istio's own test Secret", () => {
    const file = new URL("../../../shared/reference/istio/analyzer-testdata/gateway-secrets.yaml", import.meta.url);
    const secret = parseYaml(readFileSync(file, "utf8").split("\n---\n")[0] ?? "") as { data: Record<string, string> };
    expect(summarizeSecret(secret).keys["tls.crt"]?.certificates).toEqual([
      { notBefore: Date.parse("2023-03-14T02:54:30Z"), notAfter: Date.parse("2122-02-18T06:18:36Z") },
    ]);
  });

  it("looks at the first PEM block only, as Go's pem.Decode does, but at every DER certificate in it", () => {
    expect(certificatesOf(SHOP_CERT + OLD_CERT)).toEqual([SHOP_VALIDITY]);
    const both = new Uint8Array([...derOf(SHOP_CERT), ...derOf(OLD_CERT)]);
    expect(certificatesOf(pem("CERTIFICATE", both))).toEqual([SHOP_VALIDITY, OLD_VALIDITY]);
  });

  it("skips text and malformed blocks before the first good block, and accepts headers", () => {
    expect(certificatesOf(`subject=CN=shop\n-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n${SHOP_CERT}`)).toEqual([SHOP_VALIDITY]);
    const withHeaders = SHOP_CERT.replace("-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nComment: made for a test\n\n");
    expect(certificatesOf(withHeaders)).toEqual([SHOP_VALIDITY]);
    expect(certificatesOf(SHOP_CERT.replaceAll("\n", "\r\n"))).toEqual([SHOP_VALIDITY]);
  });

  it("takes the block whatever its type, like Istio, but only if it holds certificates", () => {
    expect(certificatesOf(pem("TRUSTED CERTIFICATE", derOf(SHOP_CERT)))).toEqual([SHOP_VALIDITY]);
    expect(certificatesOf(pem("PRIVATE KEY", new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])))).toBeNull();
  });

  it("finds nothing in text that is no PEM, or in a block whose END line does not match", () => {
    expect(certificatesOf("hush hush hush\n")).toBeNull();
    expect(certificatesOf(SHOP_CERT.replace("END CERTIFICATE", "END CERT"))).toBeNull();
    expect(certificatesOf(SHOP_CERT.replace("-----END", "=-----END"))).toBeNull();
  });
});

describe("readDerCertificates: DER framing and certificate shape", () => {
  const der = derOf(SHOP_CERT);
  const edit = (change: (bytes: Uint8Array) => void): Uint8Array => {
    const copy = new Uint8Array(der);
    change(copy);
    return copy;
  };
  const at = (text: string): number => Buffer.from(der).indexOf(Buffer.from(text, "latin1"));

  it("reads a well-formed certificate and an empty run", () => {
    expect(readDerCertificates(der)).toEqual([SHOP_VALIDITY]);
    expect(readDerCertificates(new Uint8Array(0))).toEqual([]);
  });

  it("rejects truncation, trailing bytes and wrong outer tags", () => {
    expect(readDerCertificates(der.subarray(0, der.length - 1))).toBeUndefined();
    expect(readDerCertificates(new Uint8Array([...der, 0x00]))).toBeUndefined();
    expect(readDerCertificates(edit((b) => (b[0] = 0x31)))).toBeUndefined();
  });

  it("rejects a length that is not minimal", () => {
    // The outer length is 0x82 0x01 0x8b; spelled 0x83 0x00 0x01 0x8b it is BER, not DER.
    expect(Array.from(der.subarray(0, 4))).toEqual([0x30, 0x82, 0x01, 0x8b]);
    expect(readDerCertificates(new Uint8Array([0x30, 0x83, 0x00, 0x01, 0x8b, ...der.subarray(4)]))).toBeUndefined();
  });

  it("rejects impossible dates and a malformed zone", () => {
    const write = (offset: number, text: string) => edit((b) => b.set(Buffer.from(text, "latin1"), offset));
    expect(at("261124213538Z")).toBeGreaterThan(0);
    expect(readDerCertificates(write(at("261124213538Z") + 2, "13"))).toBeUndefined(); // month 13
    expect(readDerCertificates(write(at("261124213538Z") + 4, "31"))).toBeUndefined(); // 31 November
    expect(readDerCertificates(write(at("261224213538Z") + 12, "+"))).toBeUndefined(); // offset without digits
    expect(readDerCertificates(write(at("261224213538Z"), "491224213538Z"))).toEqual([{ ...SHOP_VALIDITY, notAfter: Date.parse("2049-12-24T21:35:38Z") }]);
    expect(readDerCertificates(write(at("261224213538Z"), "501224213538Z"))).toEqual([{ ...SHOP_VALIDITY, notAfter: Date.parse("1950-12-24T21:35:38Z") }]);
  });
});

describe("summarizeSecret: what is kept", () => {
  it("keeps key names and emptiness, never a value", () => {
    const data = { "tls.crt": base64(SHOP_CERT), "tls.key": base64("private-key-material"), "ca.crt": "", extra: null };
    const summary = summarizeSecret({ data });
    expect(summary.decodable).toBe(true);
    expect(Object.keys(summary.keys)).toEqual(["tls.crt", "tls.key", "ca.crt", "extra"]);
    expect([summary.keys["tls.key"]?.empty, summary.keys["ca.crt"]?.empty, summary.keys.extra?.empty]).toEqual([false, true, true]);
    const text = JSON.stringify(summary);
    for (const secret of [data["tls.key"], "private-key-material", data["tls.crt"].slice(0, 20), "MIIB"]) expect(text).not.toContain(secret);
  });

  it("reads stringData over data, as the API server stores them", () => {
    const summary = summarizeSecret({ data: { "tls.crt": base64("junk") }, stringData: { "tls.crt": SHOP_CERT, "tls.key": "k" } });
    expect(summary.keys["tls.crt"]?.certificates).toEqual([SHOP_VALIDITY]);
    expect(summary.keys["tls.key"]?.empty).toBe(false);
  });

  it("marks a Secret Kubernetes could not decode", () => {
    expect(summarizeSecret({ data: { "tls.crt": "not base64!" } }).decodable).toBe(false);
    expect(summarizeSecret({ data: { "tls.crt": "YWJj" + "ZA" } }).decodable).toBe(false);
    expect(summarizeSecret({ data: ["tls.crt"] }).decodable).toBe(false);
    expect(summarizeSecret({ data: { "tls.crt": 5 } }).decodable).toBe(false);
    expect(summarizeSecret({ data: { "tls.crt": "YWJj\nZA==" } }).decodable).toBe(true);
    expect(summarizeSecret({}).keys).toEqual({});
  });

  it("is what the parser keeps of a Secret, with no data in the body", () => {
    const content = `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: x}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: ${base64(SHOP_CERT)}\n  tls.key: ${base64("k")}\n`;
    const [secret] = parseDocuments({ path: "s.yaml", content }).resources;
    expect(secret?.body.data).toBeUndefined();
    expect(secret?.secret?.keys["tls.crt"]?.certificates).toEqual([SHOP_VALIDITY]);
    expect(JSON.stringify(secret?.secret)).not.toContain(base64("k"));
  });
});
