import type { ConfigSet } from "../../../mesh/config-set.ts";
import type { FieldPath } from "../../../mesh/field-path.ts";
import { formatFullName } from "../../../mesh/hosts.ts";
import { isObject, type JsonObject, readArray, readString } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";

const RULE = "destinationrule.CaCertificateAnalyzer";

/**
 * `destinationrule.CaCertificateAnalyzer` (analyzers/destinationrule/ca-certificates.go): TLS mode SIMPLE
 * or MUTUAL without `caCertificates` leaves the server's certificate unverified, at the destination level
 * (IST0128) and per port (IST0129). A `credentialName` is accepted instead only on a DestinationRule with
 * a `workloadSelector` (where the proxy can read that secret). Subset-level TLS is not checked.
 */
export const caCertificateAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    return set.ofKind("DestinationRule.networking.istio.io").flatMap(checkDestinationRule);
  },
};

function checkDestinationRule(dr: Resource): Finding[] {
  const out: Finding[] = [];
  const name = formatFullName(dr);
  const host = readString(dr.spec.host) ?? "";
  const hasSelector = dr.spec.workloadSelector !== undefined && dr.spec.workloadSelector !== null;
  const policy = isObject(dr.spec.trafficPolicy) ? dr.spec.trafficPolicy : {};
  const tlsPath: FieldPath = ["spec", "trafficPolicy", "tls"];
  const mode = unverifiedMode(policy.tls, hasSelector);
  if (mode) out.push(istioFinding("IST0128", RULE, dr, [...tlsPath, "mode"], name, dr.namespace, mode, host));
  for (const [i, raw] of readArray(policy.portLevelSettings).entries()) {
    const setting = isObject(raw) ? raw : {};
    const portMode = unverifiedMode(setting.tls, hasSelector);
    if (!portMode) continue;
    const path: FieldPath = ["spec", "trafficPolicy", "portLevelSettings", i, "tls", "mode"];
    out.push(istioFinding("IST0129", RULE, dr, path, name, dr.namespace, portMode, host, formatPortSelector(setting.port)));
  }
  return out;
}

/** The TLS mode when it verifies nothing: SIMPLE/MUTUAL, no CA, and no credential usable in its place. */
function unverifiedMode(tls: unknown, hasSelector: boolean): string | undefined {
  if (!isObject(tls)) return undefined;
  const mode = readString(tls.mode);
  if (mode !== "SIMPLE" && mode !== "MUTUAL") return undefined;
  if ((readString(tls.caCertificates) ?? "") !== "") return undefined;
  if ((readString(tls.credentialName) ?? "") !== "" && hasSelector) return undefined;
  return mode;
}

/** The Go protobuf text of a `PortSelector` (`p.GetPort().String()`): `number:443`, or "" when unset. */
function formatPortSelector(port: JsonObject[string] | undefined): string {
  if (!isObject(port) || typeof port.number !== "number" || port.number === 0) return "";
  return `number:${port.number}`;
}
