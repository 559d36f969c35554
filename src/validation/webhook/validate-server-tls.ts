import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, type JsonObject } from "../../mesh/json.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { hasItems, listAt, stringAt } from "./read-spec.ts";
import type { Issues } from "./webhook-issues.ts";

// The cipher suites Envoy (BoringSSL) accepts in `cipherSuites`.
const CIPHER_SUITES = new Set([
  "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
  "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA",
  "DES-CBC3-SHA",
]);

/** `security.IsValidCipherSuite`: operator expressions (`-X`, `+X`, `!X`) are let through unparsed. */
function isValidCipherSuite(cs: string): boolean {
  if (cs === "" || cs === "ALL") return true;
  if (!/^[\p{L}\p{N}]/u.test(cs)) return true;
  return CIPHER_SUITES.has(cs);
}

const FAMILY = WEBHOOK_FAMILIES.tls;

/** `validateTLSOptions`: the server TLS settings of a Gateway server or a Sidecar ingress listener. */
export function validateServerTls(out: Issues, tls: JsonObject, path: FieldPath): void {
  // The mode's zero value is PASSTHROUGH.
  const mode = stringAt(tls.mode) || "PASSTHROUGH";
  const min = stringAt(tls.minProtocolVersion);
  const ciphers = listAt(tls.cipherSuites).filter((c): c is string => typeof c === "string");
  if ((min === "TLSV1_0" || min === "TLSV1_1") && ciphers.length === 0) {
    out.warn(FAMILY, [...path, "minProtocolVersion"],
      "TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.");
  }
  const invalid = new Set<string>();
  const valid = new Set<string>();
  const duplicate = new Set<string>();
  for (const cs of ciphers) {
    if (!isValidCipherSuite(cs)) invalid.add(cs);
    else if (valid.has(cs)) duplicate.add(cs);
    else valid.add(cs);
  }
  if (invalid.size > 0) out.warn(FAMILY, [...path, "cipherSuites"], `ignoring invalid cipher suites: [${[...invalid].sort().join(" ")}]`);
  if (duplicate.size > 0) out.warn(FAMILY, [...path, "cipherSuites"], `ignoring duplicate cipher suites: [${[...duplicate].sort().join(" ")}]`);

  const serverCertificate = stringAt(tls.serverCertificate);
  const privateKey = stringAt(tls.privateKey);
  const caCertificates = stringAt(tls.caCertificates);
  const credentialName = stringAt(tls.credentialName);
  const hasCredentialNames = hasItems(tls.credentialNames);
  const hasTlsCertificates = hasItems(tls.tlsCertificates);
  if (mode === "ISTIO_MUTUAL") {
    // ISTIO_MUTUAL uses the mesh's own certificates; any certificate field is a mistake.
    const forbidden: [boolean, string][] = [
      [serverCertificate !== "", "server certificate"], [privateKey !== "", "private key"], [caCertificates !== "", "CA bundle"],
      [hasTlsCertificates, "tlsCertificates"], [credentialName !== "", "credentialName"], [hasCredentialNames, "credentialNames"],
    ];
    for (const [set, what] of forbidden) if (set) out.error(FAMILY, path, `ISTIO_MUTUAL TLS cannot have associated ${what}`);
    return;
  }
  if ((mode === "PASSTHROUGH" || mode === "AUTO_PASSTHROUGH") &&
    (stringAt(tls.caCrl) !== "" || serverCertificate !== "" || privateKey !== "" || caCertificates !== "" ||
      hasTlsCertificates || credentialName !== "" || hasCredentialNames)) {
    out.warn(FAMILY, path, `${mode} mode does not use certificates, they will be ignored`);
  }
  const sources = [serverCertificate !== "" && privateKey !== "", credentialName !== "", hasCredentialNames, hasTlsCertificates];
  if (sources.filter(Boolean).length > 1) {
    out.error(FAMILY, path, "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified");
  }
  const terminating = mode === "SIMPLE" || mode === "MUTUAL" || mode === "OPTIONAL_MUTUAL";
  // With a credential the certificates are fetched from the secret, so no file field is needed.
  if (terminating && (credentialName !== "" || hasCredentialNames)) return;
  if (terminating) validateCertificateFiles(out, tls, path, mode);
  if (stringAt(tls.caCrl) !== "") {
    if (credentialName !== "") out.error(FAMILY, [...path, "caCrl"], "CRL is not supported with credentialName. CRL has to be specified in the credential");
    if (mode === "SIMPLE") out.error(FAMILY, [...path, "caCrl"], "CRL is not supported with SIMPLE TLS");
  }
}

function validateCertificateFiles(out: Issues, tls: JsonObject, path: FieldPath, mode: string): void {
  const prefix = mode === "SIMPLE" ? "SIMPLE TLS" : "MUTUAL TLS";
  if (mode !== "SIMPLE" && stringAt(tls.caCertificates) === "") out.error(FAMILY, path, `${prefix} requires a client CA bundle`);
  const certificates = listAt(tls.tlsCertificates);
  if (certificates.length > 2) out.warn(FAMILY, [...path, "tlsCertificates"], `${prefix} can support up to 2 server certificates`);
  const pairs = certificates.length > 0
    ? certificates.map((c, i) => ({ cert: c, at: [...path, "tlsCertificates", i] }))
    : [{ cert: tls, at: path }];
  for (const { cert, at } of pairs) {
    const entry = isObject(cert) ? cert : {};
    if (stringAt(entry.serverCertificate) === "") out.error(FAMILY, at, `${prefix} requires a server certificate`);
    if (stringAt(entry.privateKey) === "") out.error(FAMILY, at, `${prefix} requires a private key`);
  }
}
