import type { ConfigSet } from "../../../mesh/config-set.ts";
import { formatFullName } from "../../../mesh/hosts.ts";
import { type JsonObject, readString } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import { selectorMatches } from "../../../mesh/workloads.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { dedupeIstioMessages, type IstioMessage, istioLineOf } from "../virtualservice/istio-messages.ts";
import { type GatewayServer, readGatewaySelector, readGatewayServers } from "./read-gateway.ts";

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
    const gateways = set.ofKind("Gateway.networking.istio.io").map((resource) => ({
      resource,
      name: formatFullName(resource),
      selector: readGatewaySelector(resource),
      servers: readGatewayServers(resource),
    }));
    const messages = gateways.flatMap((gateway) => checkGateway(gateway, gateways));
    return dedupeIstioMessages(messages);
  },
};

interface GatewayInfo {
  readonly resource: Resource;
  readonly name: string;
  readonly selector: Record<string, string>;
  readonly servers: readonly GatewayServer[];
}

function checkGateway(current: GatewayInfo, gateways: readonly GatewayInfo[]): IstioMessage[] {
  const out: IstioMessage[] = [];
  const tlsServers = current.servers.filter((s) => s.tls);
  if (tlsServers.length === 0) return out;
  for (const other of gateways) {
    if (other.name === current.name || !selectorMatches(current.selector, other.selector)) continue;
    for (const server of tlsServers) {
      for (const otherServer of other.servers) {
        if (!server.tls || !otherServer.tls || !haveSameCertificate(server.tls, otherServer.tls)) continue;
        const field = readString(server.tls.credentialName) ? "credentialName" : "serverCertificate";
        const finding = istioFinding("IST0138", RULE, current.resource, ["spec", "servers", server.index, "tls", field], [current.name, other.name]);
        // Istio prints it on `metadata.name`: one message per pair of Gateways.
        out.push({ finding, istioLine: istioLineOf(current.resource, ["metadata", "name"]) });
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
