/** What `annotations.K8sAnalyzer` needs of one of Istio's resource annotations. */
export interface AnnotationInfo {
  /** The kinds it belongs on, in Istio's order (`Any`: every kind). */
  readonly resources: readonly string[];
  readonly deprecated: boolean;
}

const POD = ["Pod"] as const;
const SERVICE = ["Service"] as const;
const GATEWAY = ["Gateway"] as const;
const WORKLOAD_ENTRY = ["WorkloadEntry"] as const;
const ANY = ["Any"] as const;

function current(resources: readonly string[]): AnnotationInfo {
  return { resources, deprecated: false };
}

function deprecated(resources: readonly string[]): AnnotationInfo {
  return { resources, deprecated: true };
}

/**
 * Istio's resource annotations (`annotation.AllResourceAnnotations()`), reduced to their kinds and
 * deprecation. Source: istio/api `annotation/annotations.gen.go` (generated from `annotations.yaml`)
 * as of the release that added `ambient.istio.io/bypass-inbound-capture` and deprecated the
 * `sidecar.istio.io/inject` annotation in favour of the label (Istio 1.24), plus the 1.25 change notes:
 * `ambient.istio.io/dns-capture` and `istio.io/reroute-virtual-interfaces` added, and
 * `traffic.sidecar.istio.io/kubevirtInterfaces` deprecated for the latter.
 */
export const ISTIO_ANNOTATIONS: ReadonlyMap<string, AnnotationInfo> = new Map([
  ["alpha.istio.io/canonical-serviceaccounts", deprecated(SERVICE)],
  ["alpha.istio.io/kubernetes-serviceaccounts", deprecated(SERVICE)],
  ["ambient.istio.io/bypass-inbound-capture", current(POD)],
  ["ambient.istio.io/dns-capture", current(POD)],
  ["ambient.istio.io/redirection", current(POD)],
  ["ambient.istio.io/waypoint-inbound-binding", current(["GatewayClass", "Gateway"])],
  ["galley.istio.io/analyze-suppress", current(ANY)],
  ["gateway.istio.io/controller-version", current(ANY)],
  ["gateway.istio.io/name-override", current(GATEWAY)],
  ["gateway.istio.io/service-account", current(GATEWAY)],
  ["inject.istio.io/templates", current(POD)],
  ["istio.io/autoRegistrationGroup", current(WORKLOAD_ENTRY)],
  ["istio.io/connectedAt", current(WORKLOAD_ENTRY)],
  ["istio.io/disconnectedAt", current(WORKLOAD_ENTRY)],
  ["istio.io/dry-run", current(["AuthorizationPolicy"])],
  ["istio.io/reroute-virtual-interfaces", current(POD)],
  ["istio.io/rev", current(POD)],
  ["istio.io/workloadController", current(WORKLOAD_ENTRY)],
  ["kubernetes.io/ingress.class", current(["Ingress"])],
  ["networking.istio.io/exportTo", current(SERVICE)],
  ["networking.istio.io/service-type", current(GATEWAY)],
  ["networking.istio.io/traffic-distribution", current(["Service", "ServiceEntry"])],
  ["prometheus.istio.io/merge-metrics", current(POD)],
  ["proxy.istio.io/config", current(POD)],
  ["proxy.istio.io/overrides", current(POD)],
  ["readiness.status.sidecar.istio.io/applicationPorts", current(POD)],
  ["readiness.status.sidecar.istio.io/failureThreshold", current(POD)],
  ["readiness.status.sidecar.istio.io/initialDelaySeconds", current(POD)],
  ["readiness.status.sidecar.istio.io/periodSeconds", current(POD)],
  ["sidecar.istio.io/agentLogLevel", current(POD)],
  ["sidecar.istio.io/bootstrapOverride", current(POD)],
  ["sidecar.istio.io/componentLogLevel", current(POD)],
  ["sidecar.istio.io/discoveryAddress", deprecated(POD)],
  ["sidecar.istio.io/enableCoreDump", current(POD)],
  ["sidecar.istio.io/extraStatTags", deprecated(POD)],
  ["sidecar.istio.io/inject", deprecated(POD)],
  ["sidecar.istio.io/interceptionMode", current(POD)],
  ["sidecar.istio.io/logLevel", current(POD)],
  ["sidecar.istio.io/nativeSidecar", current(POD)],
  ["sidecar.istio.io/proxyCPU", current(POD)],
  ["sidecar.istio.io/proxyCPULimit", current(POD)],
  ["sidecar.istio.io/proxyImage", current(POD)],
  ["sidecar.istio.io/proxyImageType", current(POD)],
  ["sidecar.istio.io/proxyMemory", current(POD)],
  ["sidecar.istio.io/proxyMemoryLimit", current(POD)],
  ["sidecar.istio.io/rewriteAppHTTPProbers", current(POD)],
  ["sidecar.istio.io/statsHistogramBuckets", current(POD)],
  ["sidecar.istio.io/statsInclusionPrefixes", deprecated(POD)],
  ["sidecar.istio.io/statsInclusionRegexps", deprecated(POD)],
  ["sidecar.istio.io/statsInclusionSuffixes", deprecated(POD)],
  ["sidecar.istio.io/status", current(POD)],
  ["sidecar.istio.io/userVolume", current(POD)],
  ["sidecar.istio.io/userVolumeMount", current(POD)],
  ["status.sidecar.istio.io/port", current(POD)],
  ["topology.istio.io/controlPlaneClusters", current(["Namespace"])],
  ["traffic.istio.io/nodeSelector", current(SERVICE)],
  ["traffic.sidecar.istio.io/excludeInboundPorts", current(POD)],
  ["traffic.sidecar.istio.io/excludeInterfaces", current(POD)],
  ["traffic.sidecar.istio.io/excludeOutboundIPRanges", current(POD)],
  ["traffic.sidecar.istio.io/excludeOutboundPorts", current(POD)],
  ["traffic.sidecar.istio.io/includeInboundPorts", current(POD)],
  ["traffic.sidecar.istio.io/includeOutboundIPRanges", current(POD)],
  ["traffic.sidecar.istio.io/includeOutboundPorts", current(POD)],
  ["traffic.sidecar.istio.io/kubevirtInterfaces", deprecated(POD)],
]);
