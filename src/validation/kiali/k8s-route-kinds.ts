/** The Gateway API route kinds Kiali checks references of (`k8shttproutes`, `k8sgrpcroutes`). */
export const K8S_ROUTE_KINDS = ["HTTPRoute.gateway.networking.k8s.io", "GRPCRoute.gateway.networking.k8s.io"] as const;

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
