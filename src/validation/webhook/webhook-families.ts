/**
 * The families of Istio's admission-webhook rules (validation.md in the shared reference). Istio reports
 * every one of them as IST0106 (error) or IST0133 (warning), and so does meshgate, so that
 * `analyze-suppress: IST0106` works as with istioctl; the family is kept beside the code (`family` in a
 * finding) so a team can still sort or filter one kind of mistake. Never rename: families are data.
 */
export const WEBHOOK_FAMILIES = {
  /** Annotations the webhook refuses (`istio.io/dry-run` misuse, internal annotations). */
  metadata: "metadata",
  /** Host names: FQDN, wildcard and partial-wildcard rules, `namespace/host` forms, duplicate hosts. */
  host: "host",
  /** Port numbers, port names, protocols, duplicated ports, bind addresses and unix sockets. */
  port: "port",
  /** Route destinations and weights: negative weights, all-zero weights, missing or wildcard destinations. */
  weight: "weight",
  /** Durations: Go syntax, at least 1ms, millisecond (or second) precision. */
  duration: "duration",
  /** Header names and values, string matches (empty prefix, regex), JWT-claim routing, match sources. */
  match: "match",
  /** Labels, subset names and workload selectors. */
  selector: "selector",
  /** TLS settings of DestinationRules, Gateway servers and Sidecar ingress listeners. */
  tls: "tls",
  /** `exportTo` entries. */
  exportTo: "export-to",
  /** VirtualService gateway references and delegate VirtualService rules. */
  gatewayRef: "gateway-ref",
  /** Route structure: route/redirect/directResponse/delegate, rewrite, retries, fault, mirrors, CORS, TLS/TCP routes. */
  route: "route",
  /** Traffic policies: connection pool, outlier detection, load balancer, locality, tunnel, port-level settings. */
  trafficPolicy: "traffic-policy",
  /** ServiceEntry resolution, endpoints and addresses. */
  serviceEntry: "service-entry",
  /** Sidecar listeners and outbound traffic policy. */
  sidecar: "sidecar",
  /** PeerAuthentication port-level mTLS. */
  peerAuthentication: "peer-authentication",
  /** RequestAuthentication JWT rules (issuer, jwksUri, token locations, claim-to-header). */
  jwt: "jwt",
  /** Policy attachment: selector versus targetRef(s), and what a targetRef may name. */
  policyTarget: "policy-target",
  /** AuthorizationPolicy action, provider and rule structure. */
  authorization: "authorization",
  /** AuthorizationPolicy values: service accounts, IP blocks, ports, paths, conditions. */
  authorizationValue: "authorization-value",
  /** Gateway servers: hosts, required TLS, protocol versus TLS. */
  gatewayServer: "gateway-server",
  /** WorkloadEntry (and ServiceEntry endpoint) addresses and ports. */
  workloadEntry: "workload-entry",
} as const;

export type WebhookFamily = (typeof WEBHOOK_FAMILIES)[keyof typeof WEBHOOK_FAMILIES];
