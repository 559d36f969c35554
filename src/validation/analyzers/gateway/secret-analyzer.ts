import type { ConfigSet } from "../../../mesh/config-set.ts";
import { shortOrFullName } from "../../../mesh/hosts.ts";
import { readString } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import { firstSelectorKey, formatSelector, hasWorkloadInventory, listWorkloads, selectorMatches, type Workload } from "../../../mesh/workloads.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { readGatewaySelector, readGatewayServers } from "./read-gateway.ts";

const RULE = "gateway.SecretAnalyzer";

/**
 * `gateway.SecretAnalyzer` (analyzers/gateway/secret.go): a Gateway's `tls.credentialName` must name a
 * Secret in the namespace of the gateway workload (the first pod its selector matches), not of the
 * Gateway resource (IST0101 `credentialName`); with no such pod, IST0101 `selector` instead.
 *
 * Istio also reports IST0161 when the Secret's certificate cannot be parsed or has expired. meshgate
 * never reads Secret data (the parser drops it), so that check is not made.
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
    if (set.get("Secret", ref.namespace, ref.name)) continue;
    out.push(istioFinding("IST0101", RULE, gateway, ["spec", "servers", server.index, "tls", "credentialName"], "credentialName", credential));
  }
  return out;
}
