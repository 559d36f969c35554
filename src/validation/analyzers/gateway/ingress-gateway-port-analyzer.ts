import type { ConfigSet } from "../../../mesh/config-set.ts";
import { isObject, readArray, readStringMap } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import { firstSelectorKey, formatSelector, hasWorkloadInventory, listWorkloads, selectorMatches, type Workload } from "../../../mesh/workloads.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { dedupeIstioMessages, type IstioMessage, istioLineOf } from "../virtualservice/istio-messages.ts";
import { readGatewaySelector, readGatewayServers } from "./read-gateway.ts";

const RULE = "gateway.IngressGatewayPortAnalyzer";

/**
 * `gateway.IngressGatewayPortAnalyzer` (analyzers/gateway/gateway.go): a Gateway whose selector matches
 * no pod (IST0101 `selector`), and server ports that are neither the `port` nor the `targetPort` of a
 * TCP port of a Service selecting those pods (IST0162).
 *
 * Istio skips it unless Pods and Services are in the snapshot (`istioctl analyze` on files drops both),
 * so it runs only when the user gave workloads and at least one Service; Istio's synthetic ingress Pod
 * and Service then take part, as in istioctl.
 */
export const ingressGatewayPortAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    if (!hasWorkloadInventory(set) || !set.has("Service")) return [];
    const workloads = listWorkloads(set);
    const services = set.ofKind("Service");
    const messages: IstioMessage[] = [];
    for (const gateway of set.ofKind("Gateway.networking.istio.io")) messages.push(...checkGateway(gateway, workloads, services));
    return dedupeIstioMessages(messages);
  },
};

function checkGateway(gateway: Resource, workloads: readonly Workload[], services: readonly Resource[]): IstioMessage[] {
  const selector = readGatewaySelector(gateway);
  const selected = workloads.filter((w) => selectorMatches(selector, w.labels));
  const key = firstSelectorKey(selector);
  // Istio prints both messages on the selector's first key.
  const istioLine = istioLineOf(gateway, key === undefined ? undefined : ["spec", "selector", key]);
  if (selected.length === 0) {
    const finding = istioFinding("IST0101", RULE, gateway, ["spec", "selector", ...(key === undefined ? [] : [key])], "selector", formatSelector(selector));
    return [{ finding, istioLine }];
  }
  const offered = servicePorts(selected, services);
  const out: IstioMessage[] = [];
  for (const server of readGatewayServers(gateway)) {
    if (!server.hasPort || offered.has(server.port)) continue;
    const finding = istioFinding("IST0162", RULE, gateway, ["spec", "servers", server.index, "port", "number"], server.port, formatSelector(selector));
    out.push({ finding, istioLine });
  }
  return out;
}

/**
 * The ports the gateway pods are reached on through their Services: each TCP port's `port` and its
 * numeric `targetPort` (a gateway listening on either is fine). A port without `protocol` is TCP, as the
 * API server defaults it.
 */
function servicePorts(pods: readonly Workload[], services: readonly Resource[]): Set<number> {
  const ports = new Set<number>();
  for (const svc of services) {
    const selector = readStringMap(svc.spec.selector);
    if (!pods.some((p) => p.namespace === svc.namespace && selectorMatches(selector, p.labels))) continue;
    for (const raw of readArray(svc.spec.ports)) {
      if (!isObject(raw) || (raw.protocol ?? "TCP") !== "TCP") continue;
      if (typeof raw.port === "number") ports.add(raw.port);
      const target = intValue(raw.targetPort);
      if (target !== 0) ports.add(target);
    }
  }
  return ports;
}

/** `intstr.IntOrString.IntValue()`: the number, or a string parsed as one (0 when it is a port name). */
function intValue(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^[+-]?\d+$/.test(value)) return Number.parseInt(value, 10);
  return 0;
}
