import type { ConfigSet } from "../../../mesh/config-set.ts";
import { isObject, readArray, readStringMap } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import {
  firstSelectorKey,
  formatSelector,
  groupByNamespace,
  hasWorkloadInventory,
  indexByLabels,
  type LabelIndex,
  listWorkloads,
  selectorMatches,
  type Workload,
} from "../../../mesh/workloads.ts";
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
    const ports = portsByWorkload(workloads, set.ofKind("Service"));
    const pods = indexByLabels(workloads, (w) => w.labels);
    const messages: IstioMessage[] = [];
    for (const gateway of set.ofKind("Gateway.networking.istio.io")) messages.push(...checkGateway(gateway, pods, ports));
    return dedupeIstioMessages(messages);
  },
};

function checkGateway(gateway: Resource, pods: LabelIndex<Workload>, ports: ReadonlyMap<Workload, ReadonlySet<number>>): IstioMessage[] {
  const selector = readGatewaySelector(gateway);
  const selected = pods.matching(selector);
  const key = firstSelectorKey(selector);
  // Istio prints both messages on the selector's first key.
  const istioLine = istioLineOf(gateway, key === undefined ? undefined : ["spec", "selector", key]);
  if (selected.length === 0) {
    const finding = istioFinding("IST0101", RULE, gateway, ["spec", "selector", ...(key === undefined ? [] : [key])], "selector", formatSelector(selector));
    return [{ finding, istioLine }];
  }
  const offered = new Set(selected.flatMap((w) => [...(ports.get(w) ?? [])]));
  const out: IstioMessage[] = [];
  for (const server of readGatewayServers(gateway)) {
    if (!server.hasPort || offered.has(server.port)) continue;
    const finding = istioFinding("IST0162", RULE, gateway, ["spec", "servers", server.index, "port", "number"], server.port, formatSelector(selector));
    out.push({ finding, istioLine });
  }
  return out;
}

/**
 * The ports each workload is reached on through the Services selecting it (`servicesByPod`): each TCP
 * port's `port` and its numeric `targetPort` (a gateway listening on either is fine). A port without
 * `protocol` is TCP, as the API server defaults it.
 */
function portsByWorkload(workloads: readonly Workload[], services: readonly Resource[]): Map<Workload, Set<number>> {
  const byNamespace = groupByNamespace(workloads);
  const out = new Map<Workload, Set<number>>();
  for (const svc of services) {
    const selector = readStringMap(svc.spec.selector);
    const pods = (byNamespace.get(svc.namespace) ?? []).filter((p) => selectorMatches(selector, p.labels));
    if (pods.length === 0) continue;
    const ports = tcpPorts(svc);
    for (const pod of pods) {
      let set = out.get(pod);
      if (!set) out.set(pod, (set = new Set()));
      for (const port of ports) set.add(port);
    }
  }
  return out;
}

function tcpPorts(svc: Resource): number[] {
  const ports: number[] = [];
  for (const raw of readArray(svc.spec.ports)) {
    if (!isObject(raw) || (raw.protocol ?? "TCP") !== "TCP") continue;
    if (typeof raw.port === "number") ports.push(raw.port);
    const target = intValue(raw.targetPort);
    if (target !== 0) ports.push(target);
  }
  return ports;
}

/** `intstr.IntOrString.IntValue()`: the number, or a string parsed as one (0 when it is a port name). */
function intValue(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^[+-]?\d+$/.test(value)) return Number.parseInt(value, 10);
  return 0;
}
