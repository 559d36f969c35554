/**
 * Stable codes of the Istio admission-webhook rules, one per rule family (validation.md in the shared
 * reference). Istio itself reports all of them as IST0106/IST0133; meshgate gives each family its own
 * code so a team can act on, or suppress, one kind of mistake. Never renumber: codes are a contract.
 */
export const WEBHOOK_CODES = {
  /** Annotations the webhook refuses (`istio.io/dry-run` misuse, internal annotations). */
  metadata: "MG3001",
  /** Host names: FQDN, wildcard and partial-wildcard rules, `namespace/host` forms, duplicate hosts. */
  host: "MG3002",
  /** Port numbers, port names, protocols, duplicated ports, bind addresses and unix sockets. */
  port: "MG3003",
  /** Route destinations and weights: negative weights, all-zero weights, missing or wildcard destinations. */
  weight: "MG3004",
  /** Durations: Go syntax, at least 1ms, millisecond (or second) precision. */
  duration: "MG3005",
  /** Header names and values, string matches (empty prefix, regex), JWT-claim routing, match sources. */
  match: "MG3006",
  /** Labels, subset names and workload selectors. */
  selector: "MG3007",
  /** TLS settings of DestinationRules, Gateway servers and Sidecar ingress listeners. */
  tls: "MG3008",
  /** `exportTo` entries. */
  exportTo: "MG3009",
  /** VirtualService gateway references and delegate VirtualService rules. */
  gatewayRef: "MG3010",
  /** Route structure: route/redirect/directResponse/delegate, rewrite, retries, fault, mirrors, CORS, TLS/TCP routes. */
  route: "MG3011",
  /** Traffic policies: connection pool, outlier detection, load balancer, locality, tunnel, port-level settings. */
  trafficPolicy: "MG3012",
  /** ServiceEntry resolution, endpoints and addresses. */
  serviceEntry: "MG3013",
  /** Sidecar listeners and outbound traffic policy. */
  sidecar: "MG3014",
  /** PeerAuthentication port-level mTLS. */
  peerAuthentication: "MG3015",
  /** RequestAuthentication JWT rules (issuer, jwksUri, token locations, claim-to-header). */
  jwt: "MG3016",
  /** Policy attachment: selector versus targetRef(s), and what a targetRef may name. */
  policyTarget: "MG3017",
  /** AuthorizationPolicy action, provider and rule structure. */
  authorization: "MG3018",
  /** AuthorizationPolicy values: service accounts, IP blocks, ports, paths, conditions. */
  authorizationValue: "MG3019",
  /** Gateway servers: hosts, required TLS, protocol versus TLS. */
  gatewayServer: "MG3020",
  /** WorkloadEntry (and ServiceEntry endpoint) addresses and ports. */
  workloadEntry: "MG3021",
} as const;

export type WebhookCode = (typeof WEBHOOK_CODES)[keyof typeof WEBHOOK_CODES];
