import type { FieldPath } from "../../mesh/field-path.ts";
import type { Resource } from "../../mesh/resource.ts";
import { type Finding, findingAt, type Severity } from "../../review/finding.ts";
import { formatGo } from "./format-go.ts";

interface MessageType {
  readonly name: string;
  readonly severity: Severity;
  readonly template: string;
}

/** Istio's message catalog (`pkg/config/analysis/msg/messages.yaml`) for the codes meshgate emits. */
export const ISTIO_MESSAGES = {
  IST0002: { name: "Deprecated", severity: "warning", template: "Deprecated: %s" },
  IST0101: { name: "ReferencedResourceNotFound", severity: "error", template: "Referenced %s not found: %q" },
  IST0107: { name: "MisplacedAnnotation", severity: "warning", template: "Misplaced annotation: %s can only be applied to %s" },
  IST0108: { name: "UnknownAnnotation", severity: "warning", template: "Unknown annotation: %s" },
  IST0109: { name: "ConflictingMeshGatewayVirtualServiceHosts", severity: "error", template: "The VirtualServices %s associated with mesh gateway define the same host %s which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource." },
  IST0110: { name: "ConflictingSidecarWorkloadSelectors", severity: "error", template: "The Sidecars %v in namespace %q select the same workload pod %q, which can lead to undefined behavior." },
  IST0111: { name: "MultipleSidecarsWithoutWorkloadSelectors", severity: "error", template: "The Sidecars %v in namespace %q have no workload selector, which can lead to undefined behavior." },
  IST0112: { name: "VirtualServiceDestinationPortSelectorRequired", severity: "error", template: "This VirtualService routes to a service %q that exposes multiple ports %v. Specifying a port in the destination is required to disambiguate." },
  IST0116: { name: "DeploymentAssociatedToMultipleServices", severity: "warning", template: "This deployment %s is associated with multiple services using port %d but different protocols: %v" },
  IST0118: { name: "PortNameIsNotUnderNamingConvention", severity: "info", template: "Port name %s (port: %d, targetPort: %s) doesn't follow the naming convention of Istio port." },
  IST0125: { name: "InvalidAnnotation", severity: "warning", template: "Invalid annotation %s: %s" },
  IST0127: { name: "NoMatchingWorkloadsFound", severity: "warning", template: "No matching workloads for this resource with the following labels: %s" },
  IST0128: { name: "NoServerCertificateVerificationDestinationLevel", severity: "warning", template: "DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s" },
  IST0129: { name: "NoServerCertificateVerificationPortLevel", severity: "warning", template: "DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s at port %s" },
  IST0130: { name: "VirtualServiceUnreachableRule", severity: "warning", template: "VirtualService rule %v not used (%s)." },
  IST0131: { name: "VirtualServiceIneffectiveMatch", severity: "info", template: "VirtualService rule %v match %v is not used (duplicate/overlapping match in rule %v)." },
  IST0132: { name: "VirtualServiceHostNotFoundInGateway", severity: "warning", template: "one or more host %v defined in VirtualService %s not found in Gateway %s." },
  IST0134: { name: "ServiceEntryAddressesRequired", severity: "warning", template: "ServiceEntry addresses are required for this protocol." },
  IST0135: { name: "DeprecatedAnnotation", severity: "info", template: "Annotation %q has been deprecated%s and may not work in future Istio versions." },
  IST0137: { name: "DeploymentConflictingPorts", severity: "warning", template: "This deployment %s is associated with multiple services %v using targetPort %q but different ports: %v." },
  IST0138: { name: "GatewayDuplicateCertificate", severity: "warning", template: "Duplicate certificate in multiple gateways %v may cause 404s if clients re-use HTTP2 connections." },
  IST0140: { name: "IngressRouteRulesNotAffected", severity: "warning", template: "Subset in virtual service %s has no effect on ingress gateway %s requests" },
  IST0144: { name: "InvalidApplicationUID", severity: "warning", template: "User ID (UID) 1337 is reserved for the sidecar proxy." },
  IST0145: { name: "ConflictingGateways", severity: "error", template: "Conflict with gateways %s (workload selector %s, port %s, hosts %v)." },
  IST0149: { name: "JwtClaimBasedRoutingWithoutRequestAuthN", severity: "error", template: "The virtual service uses the JWT claim based routing (key: %s) but found no request authentication for the gateway (%s) pod (%s). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing." },
  IST0150: { name: "ExternalNameServiceTypeInvalidPortName", severity: "warning", template: "Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly" },
  IST0161: { name: "InvalidGatewayCredential", severity: "error", template: "The credential referenced by the Gateway %s in namespace %s is invalid, which can cause the traffic not to work as expected." },
  IST0162: { name: "GatewayPortNotDefinedOnService", severity: "warning", template: "The gateway is listening on a target port (port %d) that is not defined in the Service associated with its workload instances (Pod selector %s). If you need to access the gateway port through the gateway Service, it will not be available." },
  IST0165: { name: "InvalidGatewayReference", severity: "warning", template: "Gateway reference in VirtualService %s is to an implementation-generated internal Gateway: %s." },
  IST0166: { name: "IneffectiveSelector", severity: "warning", template: "Ineffective selector on Kubernetes Gateway %s. Use the TargetRef field instead." },
  IST0167: { name: "IneffectivePolicy", severity: "warning", template: "The policy has no impact: %s." },
  IST0173: { name: "DestinationRuleSubsetNotSelectPods", severity: "error", template: "The Subset %s defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream)." },
  IST0174: { name: "UnknownDestinationRuleHost", severity: "warning", template: "The host %s defined in the DestinationRule does not match any services in the mesh." },
  IST0175: { name: "JwksUriFetchUnrestricted", severity: "warning", template: "BLOCKED_CIDRS_IN_JWKS_URIS is not configured but %d RequestAuthentication resource(s) exist (%s). Consider configuring it to restrict JWKS URI fetches to trusted networks." },
  IST0177: { name: "ConflictingServiceEntryProtocol", severity: "warning", template: "Multiple ServiceEntries (%s) define the same host %q and port %d with conflicting protocols (%s)." },
} as const satisfies Record<string, MessageType>;

export type IstioCode = keyof typeof ISTIO_MESSAGES;

/** A finding with Istio's code, level and message text, positioned on the field it is about. */
export function istioFinding(code: IstioCode, rule: string, resource: Resource, path: FieldPath, ...args: unknown[]): Finding {
  const type = ISTIO_MESSAGES[code];
  return findingAt(resource, path, { code, rule, severity: type.severity, message: formatGo(type.template, args) });
}
