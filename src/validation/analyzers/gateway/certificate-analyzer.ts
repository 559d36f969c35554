import type { ConfigSet } from "../../../mesh/config-set.ts";
import { formatFullName } from "../../../mesh/hosts.ts";
import { type JsonObject, readString } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import { selectorMatches } from "../../../mesh/workloads.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { dedupeIstioMessages, type IstioMessage, istioLineOf } from "../virtualservice/istio-messages.ts";
import { readGatewaySelector, readGatewayServers } from "./read-gateway.ts";

const RULE = "gateway.CertificateAnalyzer";

/**
 * `gateway.CertificateAnalyzer` (analyzers/gateway/certificate.go): two TLS servers of different Gateways
 * on overlapping workloads use the same certificate (IST0138). Only the Gateway whose selector is a
 * subset of the other's (an empty selector is a subset of all) is reported. Namespaces are not compared:
 * Istio does so only with `PILOT_SCOPE_GATEWAY_TO_NAMESPACE`, off by default.
 */
export const certificateAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const gateways = set.ofKind("Gateway.networking.istio.io");
    const messages = gateways.flatMap((gateway) => checkGateway(gateway, gateways));
    return dedupeIstioMessages(messages);
  },
};

function checkGateway(current: Resource, gateways: readonly Resource[]): IstioMessage[] {
  const name = formatFullName(current);
  const selector = readGatewaySelector(current);
  const servers = readGatewayServers(current);
  const out: IstioMessage[] = [];
  for (const other of gateways) {
    const otherName = formatFullName(other);
    if (otherName === name || !selectorMatches(selector, readGatewaySelector(other))) continue;
    for (const server of servers) {
      if (!server.tls) continue;
      for (const otherServer of readGatewayServers(other)) {
        if (!otherServer.tls || !haveSameCertificate(server.tls, otherServer.tls)) continue;
        const field = readString(server.tls.credentialName) ? "credentialName" : "serverCertificate";
        const finding = istioFinding("IST0138", RULE, current, ["spec", "servers", server.index, "tls", field], [name, otherName]);
        // Istio prints it on `metadata.name`: one message per pair of Gateways.
        out.push({ finding, istioLine: istioLineOf(current, ["metadata", "name"]) });
      }
    }
  }
  return out;
}

/** `haveSameCertificate`: the same `credentialName`, or (both without one) the same certificate and key files. */
function haveSameCertificate(a: JsonObject, b: JsonObject): boolean {
  const credA = readString(a.credentialName) ?? "";
  const credB = readString(b.credentialName) ?? "";
  if (credA !== "" && credB !== "") return credA === credB;
  if (credA !== "" || credB !== "") return false;
  const certA = readString(a.serverCertificate) ?? "";
  const certB = readString(b.serverCertificate) ?? "";
  if (certA === "" || certA !== certB) return false;
  const keyA = readString(a.privateKey) ?? "";
  const keyB = readString(b.privateKey) ?? "";
  return keyA !== "" && keyB !== "" && keyA === keyB;
}
