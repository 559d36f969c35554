import type { Analyzer } from "../analyzer.ts";
import { deprecationAnalyzer } from "./deprecation/deprecation-analyzer.ts";
import { conflictingMeshGatewayHostsAnalyzer } from "./virtualservice/conflicting-mesh-gateway-hosts-analyzer.ts";
import { destinationHostAnalyzer } from "./virtualservice/destination-host-analyzer.ts";
import { destinationRuleAnalyzer } from "./virtualservice/destination-rule-analyzer.ts";
import { gatewayAnalyzer } from "./virtualservice/gateway-analyzer.ts";
import { jwtClaimRouteAnalyzer } from "./virtualservice/jwt-claim-route-analyzer.ts";
import { unreachableRulesAnalyzer } from "./virtualservice/unreachable-rules-analyzer.ts";

/** Every `istioctl analyze` analyzer meshgate implements, in Istio's registration order. */
export const ISTIO_ANALYZERS: readonly Analyzer[] = [
  deprecationAnalyzer,
  conflictingMeshGatewayHostsAnalyzer,
  destinationHostAnalyzer,
  destinationRuleAnalyzer,
  gatewayAnalyzer,
  jwtClaimRouteAnalyzer,
  unreachableRulesAnalyzer,
];
