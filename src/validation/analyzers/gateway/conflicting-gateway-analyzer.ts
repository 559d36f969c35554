import type { ConfigSet } from "../../../mesh/config-set.ts";
import { formatFullName } from "../../../mesh/hosts.ts";
import type { Resource } from "../../../mesh/resource.ts";
import { firstSelectorKey, formatSelector, indexByLabels, listWorkloads, selectorMatches, type Workload } from "../../../mesh/workloads.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { dedupeIstioMessages, type IstioMessage, istioLineOf } from "../virtualservice/istio-messages.ts";
import { type GatewayServer, readGatewaySelector, readGatewayServers } from "./read-gateway.ts";

const RULE = "gateway.ConflictingGatewayAnalyzer";

/** host → bind of one Gateway's servers on one port (`gatewayHostsBind`). */
type HostsBind = Map<string, string>;
/** `selector~port` → Gateway full name → its hosts there (`gatewaysContextMap`). */
type GatewayIndex = Map<string, Map<string, HostsBind>>;

/**
 * `gateway.ConflictingGatewayAnalyzer` (analyzers/gateway/conflictinggateway.go): two Gateways on the
 * same workloads (equal selectors, or selectors where one's text contains the other's and some pod
 * matches both) with a server on the same port sharing a host and bind (IST0145). A Gateway with a
 * selector no other server entry shares is IST0101 `selector` (in practice: a Gateway without servers).
 *
 * Runs on configuration alone: pods only widen the overlap test, so without them fewer conflicts are
 * found, never false ones.
 */
export const conflictingGatewayAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const gateways = set.ofKind("Gateway.networking.istio.io");
    const index = indexGateways(gateways);
    const overlap = overlapTest(listWorkloads(set));
    const messages = gateways.flatMap((gateway) => checkGateway(gateway, index, overlap));
    return dedupeIstioMessages(messages);
  },
};

function indexGateways(gateways: readonly Resource[]): GatewayIndex {
  const index: GatewayIndex = new Map();
  for (const gateway of gateways) {
    const selector = formatSelector(readGatewaySelector(gateway));
    for (const server of readGatewayServers(gateway)) {
      const key = `${selector}~${server.port}`;
      let byName = index.get(key);
      if (!byName) index.set(key, (byName = new Map()));
      // A later server on the same port replaces the earlier one's hosts, as in Go.
      byName.set(formatFullName(gateway), new Map(server.hosts.map((h) => [h, server.bind])));
    }
  }
  return index;
}

function checkGateway(gateway: Resource, index: GatewayIndex, overlap: OverlapTest): IstioMessage[] {
  const name = formatFullName(gateway);
  const selectorMap = readGatewaySelector(gateway);
  const selector = formatSelector(selectorMap);
  const sameWorkloads = new Map<string, Map<string, HostsBind>>();
  for (const [key, byName] of index) {
    if (overlap(selector, splitKey(key).selector)) sameWorkloads.set(key, byName);
  }
  if (selector !== "" && sameWorkloads.size === 0) {
    const first = firstSelectorKey(selectorMap) ?? "";
    const path = ["spec", "selector", first];
    return [{ finding: istioFinding("IST0101", RULE, gateway, path, "selector", selector), istioLine: istioLineOf(gateway, path) }];
  }
  const out: IstioMessage[] = [];
  for (const server of readGatewayServers(gateway)) {
    const conflicts: string[] = [];
    for (const [key, byName] of sameWorkloads) {
      if (splitKey(key).port !== String(server.port)) continue;
      for (const [other, hostsBind] of byName) if (other !== name && hasDuplicateHost(server, hostsBind)) conflicts.push(other);
    }
    if (conflicts.length === 0) continue;
    conflicts.sort();
    const finding = istioFinding("IST0145", RULE, gateway, ["spec", "servers", server.index, "hosts"],
      conflicts.join(","), selector, String(server.port), server.hosts.join(","));
    // Istio prints IST0145 on the Gateway's own line, so identical texts collapse into one.
    out.push({ finding, istioLine: istioLineOf(gateway, undefined) });
  }
  return out;
}

/** Whether two printed selectors pick the same workloads, as Istio decides it. */
type OverlapTest = (selector: string, other: string) => boolean;

/**
 * Equal selector strings, or one string containing the other (Istio compares the printed selectors)
 * and at least one pod matched by both. Answers are kept: many Gateways share few selectors.
 */
function overlapTest(workloads: readonly Workload[]): OverlapTest {
  const memo = new Map<string, boolean>();
  const pods = indexByLabels(workloads, (w) => w.labels);
  return (selector, other) => {
    if (selector === other) return true;
    if (!other.includes(selector) && !selector.includes(other)) return false;
    const key = `${selector}\u0000${other}`;
    let answer = memo.get(key);
    if (answer === undefined) {
      const a = parseSelector(selector);
      const b = parseSelector(other);
      answer = pods.matching(a).some((w) => selectorMatches(b, w.labels));
      memo.set(key, answer);
    }
    return answer;
  };
}

/**
 * `model.CheckDuplicates`: the server's hosts that the other Gateway already has with the same bind.
 * Like Go, when there are none it records this server's hosts into the other Gateway's map, which later
 * comparisons then see.
 */
function hasDuplicateHost(server: GatewayServer, known: HostsBind): boolean {
  const duplicate = server.hosts.some((h) => known.has(h) && known.get(h) === server.bind);
  if (!duplicate) for (const h of server.hosts) known.set(h, server.bind);
  return duplicate;
}

/** `parseFromGatewayMapKey`. */
function splitKey(key: string): { selector: string; port: string } {
  const parts = key.split("~");
  return parts.length === 2 ? { selector: parts[0] ?? "", port: parts[1] ?? "" } : { selector: "", port: "" };
}

/** `parseSelectorFromString`: `k=v` pairs separated by commas; malformed pairs are dropped. */
function parseSelector(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(",")) {
    const kv = pair.split("=");
    if (kv.length === 2) out[kv[0] ?? ""] = kv[1] ?? "";
  }
  return out;
}
