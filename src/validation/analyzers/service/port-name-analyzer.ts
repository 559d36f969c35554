import type { ConfigSet } from "../../../mesh/config-set.ts";
import { isObject, readArray, readString } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { convertProtocol } from "./convert-protocol.ts";
import { isIstioControlPlane } from "../is-istio-control-plane.ts";
import { formatTargetPort } from "./format-target-port.ts";

const RULE = "service.PortNameAnalyzer";
const EXTERNAL_NAME = "ExternalName";
const GATEWAY_MANAGED = "gateway.istio.io/managed";
/** The controllers whose generated Services users do not write (`pkg/config/constants`). */
const MANAGED_BY_ISTIO: ReadonlySet<string> = new Set(["istio.io-gateway-controller", "istio.io-mesh-controller", "istio.io-eastwest-controller"]);

/**
 * `service.PortNameAnalyzer` (analyzers/service/portname.go): a Service port whose name (or
 * `appProtocol`) gives Istio no protocol falls back to protocol sniffing (IST0118, info, one per port,
 * on the port). On an ExternalName Service such a port, or one named exactly `tcp`, gets IST0150
 * instead. Istio's control plane (label `istio`, or `release: istio`) and the Services its gateway
 * controllers generate are skipped; system namespaces never reach the analyzers (`IGNORED_NAMESPACES`).
 */
export const portNameAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const out: Finding[] = [];
    for (const service of set.ofKind("Service")) {
      if (service.synthetic || isIstioControlPlane(service) || MANAGED_BY_ISTIO.has(service.labels[GATEWAY_MANAGED] ?? "")) continue;
      out.push(...checkPorts(service));
    }
    return out;
  },
};

function checkPorts(service: Resource): Finding[] {
  const externalName = service.spec.type === EXTERNAL_NAME;
  const out: Finding[] = [];
  readArray(service.spec.ports).forEach((port, i) => {
    if (!isObject(port)) return;
    const name = readString(port.name) ?? "";
    const number = typeof port.port === "number" ? port.port : 0;
    const protocol = convertProtocol(number, name, readString(port.protocol) ?? "", readString(port.appProtocol));
    if (protocol !== "Unsupported" && !(name === "tcp" && externalName)) return;
    const path = ["spec", "ports", i];
    out.push(
      externalName
        ? istioFinding("IST0150", RULE, service, path)
        : istioFinding("IST0118", RULE, service, path, name, number, formatTargetPort(port.targetPort)),
    );
  });
  return out;
}
