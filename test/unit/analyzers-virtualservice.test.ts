import { describe, expect, it } from "vitest";
import { formatOrigin } from "../../src/mesh/resource.ts";
import { checkConfig } from "../../src/review/check-config.ts";
import type { Finding } from "../../src/review/finding.ts";
import type { Analyzer } from "../../src/validation/analyzer.ts";
import { deprecationAnalyzer } from "../../src/validation/analyzers/deprecation/deprecation-analyzer.ts";
import { ISTIO_ANALYZERS } from "../../src/validation/analyzers/istio-analyzers.ts";
import { conflictingMeshGatewayHostsAnalyzer } from "../../src/validation/analyzers/virtualservice/conflicting-mesh-gateway-hosts-analyzer.ts";
import { destinationHostAnalyzer } from "../../src/validation/analyzers/virtualservice/destination-host-analyzer.ts";
import { destinationRuleAnalyzer } from "../../src/validation/analyzers/virtualservice/destination-rule-analyzer.ts";
import { gatewayAnalyzer } from "../../src/validation/analyzers/virtualservice/gateway-analyzer.ts";
import { jwtClaimRouteAnalyzer } from "../../src/validation/analyzers/virtualservice/jwt-claim-route-analyzer.ts";
import { unreachableRulesAnalyzer } from "../../src/validation/analyzers/virtualservice/unreachable-rules-analyzer.ts";

const FILE = "mesh.yaml";

/** Runs one analyzer over one YAML file the way the upstream harness does (no default namespace). */
function run(analyzer: Analyzer, yaml: string): Finding[] {
  const result = checkConfig([{ path: FILE, content: yaml }], { defaultNamespace: "", analyzers: [analyzer] });
  return result.findings.filter((f) => f.rule === analyzer.name);
}

/** 1-based line where the only occurrence of `needle` starts (in the test's own YAML, so no line is hard-coded). */
function lineOf(yaml: string, needle: string): number {
  const at = yaml.indexOf(needle);
  if (at < 0 || yaml.lastIndexOf(needle) !== at) throw new Error(`"${needle}" is not unique in the YAML`);
  return yaml.slice(0, at).split("\n").length;
}

function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.code} ${f.resource ? formatOrigin(f.resource) : "-"} L${f.line}: ${f.message}`);
}

function service(name: string, ns: string, ports: number[], annotations = ""): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
${annotations}spec:
  ports:
${ports.map((p) => `  - port: ${p}\n    name: http-${p}\n`).join("")}---
`;
}

describe("registration", () => {
  it("registers each analyzer under its istioctl name", () => {
    const names = ISTIO_ANALYZERS.map((a) => a.name);
    for (const name of [
      "deprecation.DeprecationAnalyzer",
      "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
      "virtualservice.DestinationHostAnalyzer",
      "virtualservice.DestinationRuleAnalyzer",
      "virtualservice.GatewayAnalyzer",
      "virtualservice.JWTClaimRouteAnalyzer",
      "schema.ValidationAnalyzer.VirtualService",
    ]) expect(names).toContain(name);
  });
});

describe("virtualservice.DestinationHostAnalyzer", () => {
  const yaml = `${service("reviews", "default", [9080])}${service("ratings", "default", [80, 443])}${service("hidden", "other", [80], "  annotations:\n    networking.istio.io/exportTo: \".\"\n")}apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: eu
  namespace: default
spec:
  hosts: ["*.eu.example.com"]
  ports:
  - number: 443
    name: tls
    protocol: TLS
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: partner
  namespace: other
spec:
  exportTo: ["default"]
  hosts: [partner.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: front
  namespace: default
spec:
  hosts: [front]
  http:
  - route:
    - destination:
        host: reviews
    - destination:
        host: reviews.default.svc.cluster.local
    - destination:
        host: api.eu.example.com
    - destination:
        host: partner.example.com
    - destination:
        host: revews # typo
    - destination:
        host: hidden.other.svc.cluster.local
  - mirror:
      host: mirror-missing
    route:
    - destination:
        host: ratings
    - destination:
        host: ratings
        port:
          number: 8080 # not a port of ratings
`;

  it("reports unknown hosts, invisible services, missing and wrong ports on their fields", () => {
    expect(summary(run(destinationHostAnalyzer, yaml))).toEqual([
      `IST0101 VirtualService default/front L${lineOf(yaml, "host: revews")}: Referenced host not found: "revews"`,
      `IST0101 VirtualService default/front L${lineOf(yaml, "host: hidden.other")}: Referenced host not found: "hidden.other.svc.cluster.local"`,
      `IST0101 VirtualService default/front L${lineOf(yaml, "host: mirror-missing")}: Referenced mirror host not found: "mirror-missing"`,
      `IST0112 VirtualService default/front L${lineOf(yaml, "host: ratings\n    - destination") }: This VirtualService routes to a service "ratings" that exposes multiple ports [80 443]. Specifying a port in the destination is required to disambiguate.`,
      `IST0101 VirtualService default/front L${lineOf(yaml, "number: 8080")}: Referenced host:port not found: "ratings:8080"`,
    ]);
  });

  it("is skipped when no Service manifests are given, as istioctl skips it for files", () => {
    const onlyIstio = yaml.split("---\n").filter((d) => !d.includes("kind: Service\n")).join("---\n");
    expect(run(destinationHostAnalyzer, onlyIstio)).toEqual([]);
  });

  it("looks up hosts only in the scopes the VirtualService's exportTo names", () => {
    const scoped = `${service("a", "x", [80])}apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: local
  namespace: x
spec:
  exportTo: ["."]
  hosts: [local.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: vs
  namespace: x
spec:
  hosts: [a]
  exportTo: ["y"]
  http:
  - route:
    - destination:
        host: local.example.com
`;
    expect(summary(run(destinationHostAnalyzer, scoped))).toEqual([
      `IST0101 VirtualService x/vs L${lineOf(scoped, "host: local.example.com")}: Referenced host not found: "local.example.com"`,
    ]);
  });

  it("warns once per VirtualService pair when a gateway route ignores a subset split (IST0140)", () => {
    const ingress = `${service("ratings", "default", [80])}apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: edge
  namespace: default
spec:
  gateways: [istio-system/gw]
  hosts: [ratings.example.com]
  http:
  - match:
    - uri: {prefix: /a}
    route:
    - destination:
        host: ratings # first
  - route:
    - destination:
        host: ratings # second
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
  namespace: default
spec:
  hosts: [ratings]
  http:
  - route:
    - destination:
        host: ratings
        subset: v1
`;
    expect(summary(run(destinationHostAnalyzer, ingress))).toEqual([
      `IST0140 VirtualService default/edge L${lineOf(ingress, "# first")}: Subset in virtual service default/ratings has no effect on ingress gateway default/edge requests`,
    ]);
  });
});

describe("virtualservice.DestinationRuleAnalyzer", () => {
  const yaml = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: default
spec:
  host: reviews.default.svc.cluster.local
  subsets:
  - name: v1
    labels: {version: v1}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
spec:
  hosts: [reviews]
  http:
  - route:
    - destination:
        host: reviews
        subset: v1
    - destination:
        host: reviews
        subset: v2
    mirrors:
    - destination:
        host: reviews
        subset: v3
    - destination:
        host: reviews.default
        subset: v1 # literal host
`;

  it("reports subsets no DestinationRule defines for the host, on the subset field", () => {
    expect(summary(run(destinationRuleAnalyzer, yaml))).toEqual([
      `IST0101 VirtualService default/reviews L${lineOf(yaml, "subset: v2")}: Referenced host+subset in destinationrule not found: "reviews+v2"`,
      `IST0101 VirtualService default/reviews L${lineOf(yaml, "subset: v3")}: Referenced mirror+subset in destinationrule not found: "reviews+v3"`,
      // `reviews.default` is neither a short name nor a Kubernetes FQDN, so Istio keys it literally.
      `IST0101 VirtualService default/reviews L${lineOf(yaml, "# literal host")}: Referenced mirror+subset in destinationrule not found: "reviews.default+v1"`,
    ]);
  });
});

describe("virtualservice.GatewayAnalyzer", () => {
  const yaml = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: public
  namespace: istio-system
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["./internal.example.com", "*/shop.example.com"]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: k8s
  namespace: default
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: "*.api.example.com"
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: default
spec:
  hosts: [shop.example.com, internal.example.com]
  gateways:
  - mesh
  - istio-system/public
  - k8s # a Gateway API Gateway without a matching hostname
  - missing-gw
  - istio-system/public-istio-autogenerated-k8s-gateway-http
  http:
  - route:
    - destination:
        host: shop
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: internal
  namespace: default
spec:
  hosts: [internal.example.com]
  gateways: [istio-system/public]
  http:
  - route:
    - destination:
        host: internal
`;

  it("reports missing, internal and host-less gateways on the gateways entry", () => {
    expect(summary(run(gatewayAnalyzer, yaml))).toEqual([
      `IST0132 VirtualService default/shop L${lineOf(yaml, "- k8s #")}: one or more host [shop.example.com internal.example.com] defined in VirtualService default/shop not found in Gateway default/k8s.`,
      `IST0101 VirtualService default/shop L${lineOf(yaml, "- missing-gw")}: Referenced gateway not found: "missing-gw"`,
      `IST0132 VirtualService default/shop L${lineOf(yaml, "- missing-gw")}: one or more host [shop.example.com internal.example.com] defined in VirtualService default/shop not found in Gateway default/missing-gw.`,
      `IST0165 VirtualService default/shop L${lineOf(yaml, "autogenerated")}: Gateway reference in VirtualService default/shop is to an implementation-generated internal Gateway: istio-system/public-istio-autogenerated-k8s-gateway-http.`,
      // `./internal.example.com` is only visible to VirtualServices in istio-system.
      `IST0132 VirtualService default/internal L${lineOf(yaml, "gateways: [istio-system/public]")}: one or more host [internal.example.com] defined in VirtualService default/internal not found in Gateway istio-system/public.`,
    ]);
  });
});

describe("virtualservice.ConflictingMeshGatewayHostsAnalyzer", () => {
  const vs = (name: string, ns: string, host: string, extra = "") => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  hosts: [${host}]
${extra}  http:
  - route:
    - destination:
        host: ${host}
---
`;
  const yaml =
    vs("reviews-a", "default", "reviews") +
    vs("reviews-b", "default", "reviews.default.svc.cluster.local") +
    vs("edge", "default", "reviews", "  gateways: [istio-system/gw]\n") +
    vs("local", "team", "api.example.com", "  exportTo: [\".\"]\n") +
    vs("other", "team2", "api.example.com", "  exportTo: [\".\"]\n");

  it("reports each mesh-bound VirtualService sharing a host in one scope, on metadata.name", () => {
    const text = (h: string) =>
      `The VirtualServices default/reviews-a,default/reviews-b associated with mesh gateway define the same host ${h} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.`;
    expect(summary(run(conflictingMeshGatewayHostsAnalyzer, yaml))).toEqual([
      `IST0109 VirtualService default/reviews-a L${lineOf(yaml, "name: reviews-a")}: ${text("*/reviews.default.svc.cluster.local")}`,
      `IST0109 VirtualService default/reviews-b L${lineOf(yaml, "name: reviews-b")}: ${text("*/reviews.default.svc.cluster.local")}`,
    ]);
  });

  it("lets a *-exported wildcard host conflict with a namespace-scoped host it matches", () => {
    const wild = vs("narrow", "foo", "a.shop.com", "  exportTo: [\".\"]\n") + vs("wide", "bar", "\"*.shop.com\"");
    expect(run(conflictingMeshGatewayHostsAnalyzer, wild).map((f) => f.resource && formatOrigin(f.resource))).toEqual([
      "VirtualService foo/narrow",
      "VirtualService bar/wide",
    ]);
  });
});

describe("virtualservice.JWTClaimRouteAnalyzer", () => {
  const base = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: istio-system
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: claims
  namespace: default
spec:
  hosts: [app.example.com]
  gateways: [istio-system/gw]
  http:
  - match:
    - headers:
        "@request.auth.claims.group":
          exact: admin
    route:
    - destination:
        host: app
`;

  it("reports the claim header when no RequestAuthentication covers the gateway pod", () => {
    expect(summary(run(jwtClaimRouteAnalyzer, base))).toEqual([
      `IST0149 VirtualService default/claims L${lineOf(base, "@request.auth.claims.group")}: The virtual service uses the JWT claim based routing (key: @request.auth.claims.group) but found no request authentication for the gateway (istio-system/gw) pod (istio-ingressgateway-dummypod). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing.`,
    ]);
  });

  it("accepts a RequestAuthentication in istio-system selecting the gateway pod", () => {
    const withRa = `${base}---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: jwt
  namespace: istio-system
spec:
  selector:
    matchLabels: {istio: ingressgateway}
  jwtRules:
  - issuer: https://issuer.example.com
`;
    expect(run(jwtClaimRouteAnalyzer, withRa)).toEqual([]);
  });
});

describe("schema.ValidationAnalyzer.VirtualService (unreachable rules and matches)", () => {
  const yaml = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: routes
  namespace: default
spec:
  hosts: [app]
  http:
  - name: api
    match:
    - name: first
      uri: {prefix: /api}
      ignoreUriCase: false
    route:
    - destination: {host: app}
  - name: api-again
    match:
    - name: same-but-renamed
      uri: {prefix: /api}
    route:
    - destination: {host: app}
  - name: deeper
    match:
    - uri: {prefix: /api/v2} # covered by /api
    - uri: {prefix: /api/v3}
      method: {exact: POST} # another method: not covered
    route:
    - destination: {host: app}
  - route:
    - destination: {host: app}
  - name: after-catch-all
    route:
    - destination: {host: app}
  tcp:
  - match:
    - port: 3306
    route:
    - destination: {host: db}
  - match:
    - port: 3306 # again
    route:
    - destination: {host: db}
`;

  it("reports duplicate, overlapping and unreachable rules with Istio's parameters", () => {
    expect(summary(run(unreachableRulesAnalyzer, yaml))).toEqual([
      `IST0130 VirtualService default/routes L${lineOf(yaml, "- name: same-but-renamed") - 1}: VirtualService rule "api-again" not used (all matches used by prior rules).`,
      `IST0131 VirtualService default/routes L${lineOf(yaml, "- name: same-but-renamed")}: VirtualService rule "api-again" match "same-but-renamed" is not used (duplicate/overlapping match in rule "api").`,
      `IST0131 VirtualService default/routes L${lineOf(yaml, "# covered by /api")}: VirtualService rule "deeper" match #0 of prefix /api/v2 is not used (duplicate/overlapping match in rule "first" of prefix /api on "api").`,
      `IST0130 VirtualService default/routes L${lineOf(yaml, "- name: after-catch-all")}: VirtualService rule "after-catch-all" not used (only the last rule can have no matches).`,
      `IST0130 VirtualService default/routes L${lineOf(yaml, "- port: 3306 # again") - 1}: VirtualService rule #1 not used (all matches used by prior rules).`,
      `IST0131 VirtualService default/routes L${lineOf(yaml, "- port: 3306 # again")}: VirtualService rule #1 match #0 is not used (duplicate/overlapping match in rule #0).`,
    ]);
  });
});

describe("deprecation.DeprecationAnalyzer", () => {
  const yaml = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: faulty
  namespace: default
spec:
  hosts: [app]
  http:
  - fault:
      delay:
        percent: 50
        fixedDelay: 5s
    route:
    - destination: {host: app}
  - fault:
      delay:
        percent: 10
        fixedDelay: 1s
    route:
    - destination: {host: app}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: modern
  namespace: default
spec:
  hosts: [app2]
  http:
  - fault:
      delay:
        percentage: {value: 50}
        fixedDelay: 5s
    route:
    - destination: {host: app2}
---
apiVersion: networking.istio.io/v1alpha3
kind: Sidecar
metadata:
  name: egress
  namespace: default
spec:
  outboundTrafficPolicy:
    mode: REGISTRY_ONLY
    egressProxy:
      host: egress.example.com
`;

  it("reports delay.percent once per VirtualService and a Sidecar egressProxy", () => {
    expect(summary(run(deprecationAnalyzer, yaml))).toEqual([
      `IST0002 VirtualService default/faulty L${lineOf(yaml, "percent: 50")}: Deprecated: HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage`,
      `IST0002 Sidecar default/egress L${lineOf(yaml, "egressProxy:")}: Deprecated: OutboundTrafficPolicy.EgressProxy ignored`,
    ]);
  });
});
