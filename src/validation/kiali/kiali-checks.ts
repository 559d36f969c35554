import type { Analyzer } from "../analyzer.ts";
import { authorizationMtls } from "./authorization-mtls.ts";
import { destinationRuleMtls } from "./destination-rule-mtls.ts";
import { destinationRuleMultiMatch } from "./destination-rule-multi-match.ts";
import { destinationRuleSubsetLabels } from "./destination-rule-subset-labels.ts";
import { destinationRuleTrafficPolicy } from "./destination-rule-traffic-policy.ts";
import { gatewayMultiMatch } from "./gateway-multi-match.ts";
import { k8sGatewayMultiMatch } from "./k8s-gateway-multi-match.ts";
import { k8sRouteGatewayRef } from "./k8s-route-gateway-ref.ts";
import { k8sRouteServiceRef } from "./k8s-route-service-ref.ts";
import { peerAuthenticationMtls } from "./peer-authentication-mtls.ts";
import { peerAuthenticationMultiMatch } from "./peer-authentication-multi-match.ts";
import { selectorNoWorkload } from "./selector-no-workload.ts";
import { serviceEntryMultiMatch } from "./service-entry-multi-match.ts";
import { sidecarGlobal } from "./sidecar-global.ts";
import { uncoveredWorkload } from "./uncovered-workload.ts";
import { virtualServiceRoutes } from "./virtual-service-routes.ts";
import { virtualServiceSingleHost } from "./virtual-service-single-host.ts";

/**
 * Kiali's validations that go beyond istioctl and need only configuration (plus Kubernetes inventory
 * given as YAML), each with its own MG code (`kiali-codes.ts`). Kiali checks that need live state
 * (status conditions, remote clusters, Kiali's own config) or that istioctl already makes are not here.
 */
export const KIALI_CHECKS: readonly Analyzer[] = [
  peerAuthenticationMultiMatch,
  selectorNoWorkload,
  authorizationMtls,
  uncoveredWorkload,
  destinationRuleMultiMatch,
  destinationRuleTrafficPolicy,
  destinationRuleMtls,
  destinationRuleSubsetLabels,
  gatewayMultiMatch,
  peerAuthenticationMtls,
  sidecarGlobal,
  virtualServiceRoutes,
  virtualServiceSingleHost,
  serviceEntryMultiMatch,
  k8sRouteGatewayRef,
  k8sRouteServiceRef,
  k8sGatewayMultiMatch,
];
