import type { JsonValue } from "../mesh/json.ts";

/**
 * The values a field takes when it is left out, per kind, by path under `spec` (`a[].b`: field `b` of
 * every item of list `a`). Spelling one out changes nothing, so the semantic diff fills them in on both
 * sides before comparing.
 *
 * Gateway API: every `default` of the CRDs' storage version (crds/gateway-api, v1.6.1), which the API
 * server applies on write; a unit test reads the CRDs and checks this table is exactly that list.
 * Istio's CRDs declare no defaults (the API is protobuf); its documented ones are listed by hand:
 * - AuthorizationPolicy `action`: "Default is ALLOW" (security/v1beta1/authorization_policy.proto).
 * - VirtualService `gateways`: "When this field is omitted, the default gateway (`mesh`) will be used"
 *   (networking/v1alpha3/virtual_service.proto).
 * VirtualService route weights depend on the number of destinations: see normalize-resource.ts.
 */
export const KIND_DEFAULTS: Readonly<Record<string, Readonly<Record<string, JsonValue>>>> = {
  "AuthorizationPolicy.security.istio.io": { action: "ALLOW" },
  "VirtualService.networking.istio.io": { gateways: ["mesh"] },
  "Gateway.gateway.networking.k8s.io": {
    "addresses[].type": "IPAddress",
    "allowedListeners.namespaces": { from: "None" },
    "allowedListeners.namespaces.from": "None",
    "listeners[].allowedRoutes": { namespaces: { from: "Same" } },
    "listeners[].allowedRoutes.kinds[].group": "gateway.networking.k8s.io",
    "listeners[].allowedRoutes.namespaces": { from: "Same" },
    "listeners[].allowedRoutes.namespaces.from": "Same",
    "listeners[].tls.certificateRefs[].group": "",
    "listeners[].tls.certificateRefs[].kind": "Secret",
    "listeners[].tls.mode": "Terminate",
    "tls.backend.clientCertificateRef.group": "",
    "tls.backend.clientCertificateRef.kind": "Secret",
    "tls.frontend.default.validation.mode": "AllowValidOnly",
    "tls.frontend.perPort[].tls.validation.mode": "AllowValidOnly",
  },
  "GRPCRoute.gateway.networking.k8s.io": {
    "parentRefs[].group": "gateway.networking.k8s.io",
    "parentRefs[].kind": "Gateway",
    "rules[].backendRefs[].filters[].requestMirror.backendRef.group": "",
    "rules[].backendRefs[].filters[].requestMirror.backendRef.kind": "Service",
    "rules[].backendRefs[].filters[].requestMirror.fraction.denominator": 100,
    "rules[].backendRefs[].group": "",
    "rules[].backendRefs[].kind": "Service",
    "rules[].backendRefs[].weight": 1,
    "rules[].filters[].requestMirror.backendRef.group": "",
    "rules[].filters[].requestMirror.backendRef.kind": "Service",
    "rules[].filters[].requestMirror.fraction.denominator": 100,
    "rules[].matches[].headers[].type": "Exact",
    "rules[].matches[].method.type": "Exact",
  },
  "HTTPRoute.gateway.networking.k8s.io": {
    "parentRefs[].group": "gateway.networking.k8s.io",
    "parentRefs[].kind": "Gateway",
    rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }] }],
    "rules[].backendRefs[].filters[].cors.maxAge": 5,
    "rules[].backendRefs[].filters[].requestMirror.backendRef.group": "",
    "rules[].backendRefs[].filters[].requestMirror.backendRef.kind": "Service",
    "rules[].backendRefs[].filters[].requestMirror.fraction.denominator": 100,
    "rules[].backendRefs[].filters[].requestRedirect.statusCode": 302,
    "rules[].backendRefs[].group": "",
    "rules[].backendRefs[].kind": "Service",
    "rules[].backendRefs[].weight": 1,
    "rules[].filters[].cors.maxAge": 5,
    "rules[].filters[].requestMirror.backendRef.group": "",
    "rules[].filters[].requestMirror.backendRef.kind": "Service",
    "rules[].filters[].requestMirror.fraction.denominator": 100,
    "rules[].filters[].requestRedirect.statusCode": 302,
    "rules[].matches": [{ path: { type: "PathPrefix", value: "/" } }],
    "rules[].matches[].headers[].type": "Exact",
    "rules[].matches[].path": { type: "PathPrefix", value: "/" },
    "rules[].matches[].path.type": "PathPrefix",
    "rules[].matches[].path.value": "/",
    "rules[].matches[].queryParams[].type": "Exact",
  },
};
