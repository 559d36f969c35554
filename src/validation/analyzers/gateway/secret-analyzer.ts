import type { ConfigSet } from "../../../mesh/config-set.ts";
import { shortOrFullName } from "../../../mesh/hosts.ts";
import { readString } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { SecretSummary } from "../../../mesh/summarize-secret.ts";
import { firstSelectorKey, formatSelector, hasWorkloadInventory, listWorkloads, selectorMatches, type Workload } from "../../../mesh/workloads.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { readGatewaySelector, readGatewayServers } from "./read-gateway.ts";

const RULE = "gateway.SecretAnalyzer";

/**
 * `gateway.SecretAnalyzer` (analyzers/gateway/secret.go): a Gateway's `tls.credentialName` must name a
 * Secret in the namespace of the gateway workload (the first pod its selector matches), not of the
 * Gateway resource (IST0101 `credentialName`); with no such pod, IST0101 `selector` instead. A Secret
 * that exists but holds no usable certificate is IST0161 (`isValidSecret`): no non-empty `cert`+`key`
 * or `tls.crt`+`tls.key` pair, no PEM block or DER certificates in it, or a certificate outside its
 * validity window at the set's `now`. The parser keeps only a summary of Secret data (summarize-secret.ts).
 *
 * Runs only when the user gave workloads and at least one Secret (Istio skips it without Pods or
 * Secrets in the snapshot): a repository that keeps its certificates elsewhere gets no
 * "secret not found" noise.
 */
export const secretAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    if (!hasWorkloadInventory(set) || !set.has("Secret")) return [];
    const workloads = listWorkloads(set);
    return set.ofKind("Gateway.networking.istio.io").flatMap((gateway) => checkGateway(set, gateway, workloads));
  },
};

function checkGateway(set: ConfigSet, gateway: Resource, workloads: readonly Workload[]): Finding[] {
  const selector = readGatewaySelector(gateway);
  // Go's `getGatewayNamespace` returns "" both for "no pod" and for a pod given without namespace.
  const namespace = workloads.find((w) => selectorMatches(selector, w.labels))?.namespace ?? "";
  if (namespace === "") {
    const key = firstSelectorKey(selector);
    return [istioFinding("IST0101", RULE, gateway, ["spec", "selector", ...(key === undefined ? [] : [key])], "selector", formatSelector(selector))];
  }
  const out: Finding[] = [];
  for (const server of readGatewayServers(gateway)) {
    const credential = readString(server.tls?.credentialName) ?? "";
    if (credential === "") continue;
    const ref = shortOrFullName(namespace, credential);
    const secret = set.get("Secret", ref.namespace, ref.name);
    const path = ["spec", "servers", server.index, "tls", "credentialName"];
    // Kubernetes cannot decode a Secret whose data is not base64, so Istio never sees it.
    if (!secret || secret.secret?.decodable === false) {
      out.push(istioFinding("IST0101", RULE, gateway, path, "credentialName", credential));
    } else if (!holdsValidCertificate(secret.secret, set.now.getTime())) {
      out.push(istioFinding("IST0161", RULE, gateway, path, gateway.name, namespace));
    }
  }
  return out;
}

/** Istio's `kube.ExtractCertInfo` then `xds.ValidateCertificate`, on the parser's summary of the Secret. */
function holdsValidCertificate(summary: SecretSummary | undefined, now: number): boolean {
  const keys = summary?.keys ?? {};
  const filled = (name: string): boolean => Object.hasOwn(keys, name) && keys[name]?.empty === false;
  const certKey = filled("cert") && filled("key") ? "cert" : filled("tls.crt") && filled("tls.key") ? "tls.crt" : undefined;
  const certificates = certKey === undefined ? null : (keys[certKey]?.certificates ?? null);
  return certificates !== null && certificates.every((c) => c.notBefore <= now && now <= c.notAfter);
}
