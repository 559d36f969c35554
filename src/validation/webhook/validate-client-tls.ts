import type { FieldPath } from "../../mesh/field-path.ts";
import type { JsonValue } from "../../mesh/json.ts";
import { formatGo } from "../analyzers/format-go.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { hasItems, objectAt, stringAt } from "./read-spec.ts";
import type { Issues } from "./webhook-issues.ts";

const CONFIGMAP_PREFIX = "configmap://";

/** `agent.ValidateTLS`: the client TLS settings of a DestinationRule (traffic policy or port level). */
export function validateClientTls(out: Issues, value: JsonValue | undefined, path: FieldPath, namespace: string): void {
  const tls = objectAt(value);
  if (!tls) return;
  const family = WEBHOOK_FAMILIES.tls;
  const mode = stringAt(tls.mode) || "DISABLE";
  const credentialName = stringAt(tls.credentialName);
  const caCertificates = stringAt(tls.caCertificates);
  if (credentialName.startsWith(CONFIGMAP_PREFIX)) {
    const parts = credentialName.slice(CONFIGMAP_PREFIX.length).split("/");
    if (parts.length !== 2) {
      out.error(family, [...path, "credentialName"],
        formatGo("invalid configmap:// credentialName: invalid resource name %q. Expected namespace/name", [credentialName]));
    } else if (parts[0] !== namespace || namespace === "") {
      out.error(family, [...path, "credentialName"],
        formatGo("invalid configmap:// credentialName: namespace must match the configuration namespace %q", [namespace]));
    }
  }
  if (tls.insecureSkipVerify === true) {
    if (mode === "SIMPLE" && (caCertificates !== "" || credentialName !== "" || hasItems(tls.subjectAltNames))) {
      out.error(family, [...path, "insecureSkipVerify"], "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true");
    }
    if (mode === "MUTUAL" && (caCertificates !== "" || hasItems(tls.subjectAltNames))) {
      out.error(family, [...path, "insecureSkipVerify"], "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
    }
  }
  if ((mode === "SIMPLE" || mode === "MUTUAL") && credentialName !== "") {
    // With a credentialName the certificates come from the secret, so the file fields must stay empty.
    if (stringAt(tls.clientCertificate) !== "" || caCertificates !== "" || stringAt(tls.privateKey) !== "" || stringAt(tls.caCrl) !== "") {
      out.error(family, [...path, "credentialName"], "cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
    }
    return;
  }
  if (mode === "MUTUAL") {
    if (stringAt(tls.clientCertificate) === "") out.error(family, path, "client certificate required for mutual tls");
    if (stringAt(tls.privateKey) === "") out.error(family, path, "private key required for mutual tls");
  }
}
