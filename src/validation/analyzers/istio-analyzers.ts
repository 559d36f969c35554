import type { Analyzer } from "../analyzer.ts";
import { k8sAnnotationsAnalyzer } from "./annotations/k8s-annotations-analyzer.ts";
import { authorizationPoliciesAnalyzer } from "./authz/authorization-policies-analyzer.ts";
import { blockedCidrsAnalyzer } from "./authz/blocked-cidrs-analyzer.ts";
import { applicationUidAnalyzer } from "./deployment/application-uid-analyzer.ts";
import { multiServiceAnalyzer } from "./deployment/multi-service-analyzer.ts";
import { deprecationAnalyzer } from "./deprecation/deprecation-analyzer.ts";
import { caCertificateAnalyzer } from "./destinationrule/ca-certificate-analyzer.ts";
import { subsetSelectPodAnalyzer } from "./destinationrule/subset-select-pod-analyzer.ts";
import { certificateAnalyzer } from "./gateway/certificate-analyzer.ts";
import { conflictingGatewayAnalyzer } from "./gateway/conflicting-gateway-analyzer.ts";
import { ingressGatewayPortAnalyzer } from "./gateway/ingress-gateway-port-analyzer.ts";
import { secretAnalyzer } from "./gateway/secret-analyzer.ts";
import { k8sGatewaySelectorAnalyzer } from "./k8sgateway/selector-analyzer.ts";
import { conflictingServiceEntryProtocolAnalyzer } from "./serviceentry/conflicting-service-entry-protocol-analyzer.ts";
import { protocolAddressesAnalyzer } from "./serviceentry/protocol-addresses-analyzer.ts";
import { portNameAnalyzer } from "./service/port-name-analyzer.ts";
import { sidecarSelectorAnalyzer } from "./sidecar/selector-analyzer.ts";
import { conflictingMeshGatewayHostsAnalyzer } from "./virtualservice/conflicting-mesh-gateway-hosts-analyzer.ts";
import { destinationHostAnalyzer } from "./virtualservice/destination-host-analyzer.ts";
import { destinationRuleAnalyzer } from "./virtualservice/destination-rule-analyzer.ts";
import { gatewayAnalyzer } from "./virtualservice/gateway-analyzer.ts";
import { jwtClaimRouteAnalyzer } from "./virtualservice/jwt-claim-route-analyzer.ts";
import { unreachableRulesAnalyzer } from "./virtualservice/unreachable-rules-analyzer.ts";

// Inputs Istio does not have (its `RemoveSkipped`): Istio drops an analyzer whose input kinds are not in
// the snapshot, and `istioctl analyze` on files never has Pods, Services, Namespaces, Nodes or Secrets,
// while its own tests always do (plus a synthetic ingress Pod and Service). meshgate keeps Istio's
// config kinds always "present" and counts an inventory kind as present only when the user gave at least
// one such resource (`ConfigSet.has`, blind to the synthetic ones; Deployments, StatefulSets and
// DaemonSets count as pods, `hasWorkloadInventory`). Each analyzer then runs the parts whose verdict
// depends on an inventory kind only when that kind is present: "no pod matches", "secret not found",
// "host not found", "namespace not found" need the kind, while checks that can only find something that
// is there (conflicts, ineffective selectors) run on whatever is given. So a repository with only Istio
// config gets no false "no matching workload" errors, and Istio's test grid, which gives the inventory,
// sees Istio's results. Once a kind is present, the synthetic ingress Pod and Service take part as in Istio.
/** Every `istioctl analyze` analyzer meshgate implements, in Istio's registration order. */
export const ISTIO_ANALYZERS: readonly Analyzer[] = [
  k8sAnnotationsAnalyzer,
  blockedCidrsAnalyzer,
  authorizationPoliciesAnalyzer,
  multiServiceAnalyzer,
  applicationUidAnalyzer,
  deprecationAnalyzer,
  ingressGatewayPortAnalyzer,
  certificateAnalyzer,
  secretAnalyzer,
  conflictingGatewayAnalyzer,
  k8sGatewaySelectorAnalyzer,
  portNameAnalyzer,
  sidecarSelectorAnalyzer,
  conflictingMeshGatewayHostsAnalyzer,
  destinationHostAnalyzer,
  destinationRuleAnalyzer,
  gatewayAnalyzer,
  jwtClaimRouteAnalyzer,
  unreachableRulesAnalyzer,
  caCertificateAnalyzer,
  subsetSelectPodAnalyzer,
  protocolAddressesAnalyzer,
  conflictingServiceEntryProtocolAnalyzer,
];
