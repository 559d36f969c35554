import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { parseDuration } from "../../src/mesh/parse-duration.ts";
import { parseIpAddress } from "../../src/mesh/parse-ip-address.ts";
import { parseIpPrefix } from "../../src/mesh/parse-ip-prefix.ts";
import type { Finding } from "../../src/review/finding.ts";
import { WEBHOOK_FAMILIES } from "../../src/validation/webhook/webhook-families.ts";
import { validateWebhook, type WebhookFinding } from "../../src/validation/webhook/validate-webhook.ts";

const API: Record<string, string> = {
  VirtualService: "networking.istio.io/v1", DestinationRule: "networking.istio.io/v1", Gateway: "networking.istio.io/v1",
  ServiceEntry: "networking.istio.io/v1", Sidecar: "networking.istio.io/v1", WorkloadEntry: "networking.istio.io/v1",
  PeerAuthentication: "security.istio.io/v1", RequestAuthentication: "security.istio.io/v1", AuthorizationPolicy: "security.istio.io/v1",
  HTTPRoute: "gateway.networking.k8s.io/v1",
};

interface DocOptions {
  readonly name?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A manifest around a spec written at column 0; the line to expect is the one marked `# <-`. */
function manifest(kind: string, spec: string, options: DocOptions = {}): string {
  const meta = [`  name: ${options.name ?? "example"}`, "  namespace: shop"];
  for (const [field, map] of [["annotations", options.annotations], ["labels", options.labels]] as const) {
    if (map) meta.push(`  ${field}:`, ...Object.entries(map).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`));
  }
  // A spec starting with `@spec` expects the finding on the `spec:` line itself.
  const onSpec = spec.trimStart().startsWith("@spec");
  const rest = spec.trimStart().replace(/^@spec\s*/, "");
  const head = onSpec ? "spec: # <-" : "spec:";
  const body = rest.trim() === "{}" ? `spec: {}${onSpec ? " # <-" : ""}` : `${head}\n${rest.replace(/^\n/, "").replace(/^(?=.)/gm, "  ")}`;
  return `apiVersion: ${API[kind] ?? ""}\nkind: ${kind}\nmetadata:\n${meta.join("\n")}\n${body}\n`;
}

function markedLine(text: string): number {
  const index = text.split("\n").findIndex((line) => line.includes("# <-"));
  if (index < 0) throw new Error("case has no `# <-` marker");
  return index + 1;
}

function run(kind: string, spec: string, options?: DocOptions): { findings: WebhookFinding[]; text: string } {
  const text = manifest(kind, spec, options);
  const { resources, findings: parseFindings } = parseDocuments({ path: "case.yaml", content: text });
  expect(parseFindings).toEqual([]);
  expect(resources).toHaveLength(1);
  const [resource] = resources;
  return { findings: resource ? validateWebhook(resource) : [], text };
}

/** kind, spec, rule family, message substring, severity (line from the `# <-` marker). */
type Case = readonly [kind: string, spec: string, family: string, message: string, severity?: "error" | "warning" | undefined];

/** Test titles that say what is expected. */
function titled(cases: readonly Case[]): (readonly [string, Case])[] {
  return cases.map((c) => [`${c[0]} ${c[2]}: ${c[3]}`, c] as const);
}

/** Istio reports webhook errors as IST0106 and warnings as IST0133, under the kind's schema analyzer. */
const ISTIO_CODE = { error: "IST0106", warning: "IST0133" } as const;
const PREFIX = { error: "Schema validation error: ", warning: "Schema validation warning: " } as const;

function expectFinding([kind, spec, family, message, severity = "error"]: Case, options?: DocOptions): void {
  const { findings, text } = run(kind, spec, options);
  const match = findings.find((f) => f.message.includes(message));
  expect(match, `no finding containing ${JSON.stringify(message)} in ${JSON.stringify(findings.map((f) => f.message))}`).toBeDefined();
  expect(match).toMatchObject({ code: ISTIO_CODE[severity], family, severity, line: markedLine(text), file: "case.yaml" });
  expect(match?.rule).toBe(`schema.ValidationAnalyzer.${kind}`);
  expect(match?.message.startsWith(PREFIX[severity])).toBe(true);
}

function expectNoErrors(kind: string, spec: string, options?: DocOptions): Finding[] {
  const { findings } = run(kind, spec, options);
  expect(findings.filter((f) => f.severity === "error").map((f) => f.message)).toEqual([]);
  return findings;
}

const C = WEBHOOK_FAMILIES;

describe("validateWebhook: VirtualService", () => {
  it.each(titled([
    ["VirtualService", `
hosts: [reviews]
http:
- route:
  - destination: {host: reviews, subset: v1}
    weight: 5
  - destination: {host: reviews, subset: v2}
    weight: -1 # <-
`, C.weight, "weight -1 < 0"],
    ["VirtualService", `
hosts: [reviews]
tcp:
- route: # <-
  - destination: {host: foo.baz.south}
    weight: 0
  - destination: {host: foo.baz.east}
    weight: 0
`, C.weight, "total destination weight = 0"],
    ["VirtualService", `
hosts: [reviews]
http:
- route: # <-
  - destination: {host: reviews, subset: v1}
  - destination: {host: reviews, subset: v2}
`, C.weight, "total destination weight = 0"],
    ["VirtualService", `
hosts: ["*.foo.bar", "*.bar"] # <-
http: [{route: [{destination: {host: foo.baz}}]}]
`, C.host, "duplicate hosts in virtual service: *.foo.bar & *.bar"],
    ["VirtualService", `
hosts: ["*"] # <-
http: [{route: [{destination: {host: foo.baz}}]}]
`, C.host, "wildcard host * is not allowed for virtual services bound to the mesh gateway"],
    ["VirtualService", "@spec hosts: [foo.bar]", C.route, "http, tcp or tls must be provided in virtual service"],
    ["VirtualService", `
hosts: [foo.bar]
gateways: ["b@dgateway"] # <-
http: [{route: [{destination: {host: foo.baz}}]}]
`, C.gatewayRef, `domain name "b@dgateway" invalid (label "b@dgateway" invalid)`],
    ["VirtualService", `
hosts: [foo.bar]
gateways: ["ns1/*"] # <-
http: [{route: [{destination: {host: foo.baz}}]}]
`, C.gatewayRef, `invalid value for gateway name: "*"`],
    ["VirtualService", `
hosts: [foo.bar]
gateways: [gateway.example.com] # <-
http: [{route: [{destination: {host: foo.baz}}]}]
`, C.gatewayRef, `using legacy gatewayName format "gateway.example.com"; prefer the <namespace>/<name> format: "example/gateway"`, "warning"],
    ["VirtualService", `
hosts: [foo.bar]
tcp:
- match: [{port: 999}] # <-
`, C.route, "TCP route is required"],
    ["VirtualService", `
hosts: [foo.bar]
gateways: [mesh]
http:
- match:
  - uri: {prefix: /}
    headers:
      "@request.auth.claims.foo": {exact: bar} # <-
  route: [{destination: {host: foo.baz}}]
`, C.match, "JWT claim based routing (key: @request.auth.claims.foo) is only supported for gateway, found no gateways: [mesh]"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- headers:
    request:
      set:
        ":authority": foo # <-
  rewrite: {authority: bar}
  route: [{destination: {host: foo.baz}}]
`, C.match, `authority header cannot be set multiple times: have "bar", attempting to set "foo"`],
    ["VirtualService", `
hosts: [foo.bar]
tls:
- match:
  - port: 999
    sniHosts: ["foo.*.com"] # <-
  route: [{destination: {host: foo.baz}}]
`, C.host, `domain name "*.com" invalid (label "*" invalid)`],
    ["VirtualService", `
hosts: [foo.bar]
tls:
- match:
  - sniHosts: ["1.1.1.1"] # <-
  route: [{destination: {host: foo.baz}}]
`, C.host, `using an IP address ("1.1.1.1") goes against SNI spec and most clients do not support this`, "warning"],
    ["VirtualService", `
hosts: [foo.bar]
tls:
- match:
  - sniHosts: [other.bar] # <-
  route: [{destination: {host: foo.baz}}]
`, C.host, `SNI host "other.bar" is not a compatible subset of any of the virtual service hosts: [foo.bar]`],
    ["VirtualService", `
hosts: [foo.bar]
http:
- route: [{destination: {host: foo.baz}}]
  redirect: {uri: /lerp, authority: foo.biz} # <-
`, C.route, "HTTP route cannot contain both route and redirect"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- match: [{uri: {exact: /foo}}]
  redirect:
    prefixRewrite: /bar # <-
`, C.route, "redirect prefix_rewrite requires all URI matches to use prefix match type"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- match:
  - headers:
      emptyprefix: {prefix: ""} # <-
  route: [{destination: {host: foo.bar}}]
`, C.match, `"headers": prefix string match should not be empty`],
    ["VirtualService", `
hosts: [foo.bar]
http:
- match:
  - headers:
      "bad header": {exact: x} # <-
  route: [{destination: {host: foo.bar}}]
`, C.match, "header name bad header is not a valid header name"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- match:
  - uri:
      regex: "/api/(?=v1)" # <-
  route: [{destination: {host: foo.bar}}]
`, C.match, "invalid or unsupported Perl syntax"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- mirror: {host: foo.baz}
  mirrors: [{destination: {host: foo.bar}}] # <-
  route: [{destination: {host: foo.baz}}]
`, C.route, "HTTP route cannot contain both mirror and mirrors"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- route: [{destination: {host: foo.baz}}]
  retries: {attempts: 0, perTryTimeout: 2s, retryOn: "5xx,gateway-error"} # <-
`, C.route, "http retry policy configured when attempts are set to 0 (disabled)"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- route: [{destination: {host: foo.baz}}]
  retries:
    attempts: 10
    retryOn: "5xx,invalid policy" # <-
`, C.route, `"invalid policy" is not a valid retryOn policy`],
    ["VirtualService", `
hosts: [foo.bar]
http:
- route: [{destination: {host: foo.baz}}]
  retries:
    attempts: 3
    retryOn: "600,connect-failure" # <-
`, C.route, `"600" is not a valid retryOn policy`],
    ["VirtualService", `
hosts: [foo.bar]
http:
- route: [{destination: {host: foo.baz}}]
  retries:
    attempts: 3
    perTryTimeout: 999us # <-
`, C.duration, "duration must be greater than 1ms"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- route: [{destination: {host: foo.baz}}]
  timeout: 1500us # <-
`, C.duration, "only durations to ms precision are supported"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- route: [{destination: {host: foo.baz}}]
  timeout: 1d # <-
`, C.duration, `time: unknown unit "d" in duration "1d"`],
    ["VirtualService", `
hosts: [foo.bar]
tcp:
- route:
  - destination:
      host: "*" # <-
`, C.host, "invalid destination host *"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- route:
  - destination:
      host: foo.baz
      subset: v_1 # <-
`, C.selector, "subset name is invalid: v_1"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- route:
  - destination:
      host: foo.baz
      port:
        number: 70000 # <-
`, C.port, "port number 70000 must be in the range 1..65535"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- fault:
    abort: {percentage: {value: 50}} # <-
  route: [{destination: {host: foo.baz}}]
`, C.route, "abort configured, but error type not set", "warning"],
    ["VirtualService", `
hosts: [foo.bar]
http:
- corsPolicy:
    allowOrigins: [{exact: "https://a.example"}]
    allowMethods: [GET, FETCH] # <-
  route: [{destination: {host: foo.baz}}]
`, C.route, `"FETCH" is not a supported HTTP method`],
    ["VirtualService", `
gateways: [istio-system/gw] # <-
http: [{route: [{destination: {host: foo.baz}}]}]
`, C.gatewayRef, "delegate virtual service must have no gateways specified"],
    ["VirtualService", `
hosts: [foo.bar]
exportTo: [".", "*"] # <-
http: [{route: [{destination: {host: foo.baz}}]}]
`, C.exportTo, "cannot have both public (*) and non-public exportTo values for a resource"],
  ]))("%s", (_title, c) => expectFinding(c));

  it("accepts weights that do not sum to 100 (Istio's weights are relative)", () => {
    expectNoErrors("VirtualService", `
hosts: [foo.bar]
http:
- route:
  - {destination: {host: foo.baz.south}, weight: 550}
  - {destination: {host: foo.baz.east}, weight: 500}
`);
  });

  it("accepts a wildcard host bound to a non-mesh gateway and a typical canary", () => {
    expectNoErrors("VirtualService", `
hosts: ["*"]
gateways: [somegateway]
http: [{route: [{destination: {host: foo.baz}}]}]
`);
    const findings = expectNoErrors("VirtualService", `
hosts: [reviews.shop.svc.cluster.local]
http:
- match: [{headers: {end-user: {exact: jason}}}]
  route: [{destination: {host: reviews, subset: v2}}]
- route:
  - {destination: {host: reviews, subset: v1}, weight: 90}
  - {destination: {host: reviews, subset: v2}, weight: 10}
  timeout: 10s
  retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,503"}
`);
    expect(findings).toEqual([]);
  });

  it("leaves unreachable rules to the IST0130/IST0131 analyzer", () => {
    const { findings } = run("VirtualService", `
hosts: [foo.bar]
http:
- route: [{destination: {host: a}}]
- match: [{uri: {prefix: /x}}]
  route: [{destination: {host: b}}]
`);
    expect(findings).toEqual([]);
  });
});

describe("validateWebhook: DestinationRule", () => {
  it.each(titled([
    ["DestinationRule", `
host: "" # <-
subsets: [{name: v1, labels: {version: v1}}]
`, C.host, "empty domain name not allowed"],
    ["DestinationRule", `
host: reviews
subsets:
- name: "" # <-
  labels: {version: v1}
`, C.selector, "subset name cannot be empty"],
    ["DestinationRule", `
host: reviews
subsets:
- {name: foo, labels: {version: v1}}
- name: foo # <-
  labels: {version: v2}
`, C.selector, "duplicate subset names: foo"],
    ["DestinationRule", `
host: reviews
subsets:
- name: v1
  labels:
    "version/": v1 # <-
`, C.selector, `invalid tag key: "version/"`],
    ["DestinationRule", `
host: reviews
trafficPolicy:
  loadBalancer: {simple: ROUND_ROBIN}
  connectionPool: {} # <-
`, C.trafficPolicy, "connection pool must have at least one field"],
    ["DestinationRule", `
host: reviews
trafficPolicy:
  tls:
    mode: SIMPLE
    credentialName: test
    insecureSkipVerify: true # <-
`, C.tls, "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true"],
    ["DestinationRule", `
host: reviews
trafficPolicy:
  tls: {mode: MUTUAL, privateKey: /etc/key.pem} # <-
`, C.tls, "client certificate required for mutual tls"],
    ["DestinationRule", `
host: reviews
workloadSelector: {} # <-
`, C.selector, "workload selector specified without labels", "warning"],
    ["DestinationRule", `
host: reviews
workloadSelector: {matchLabels: {app: reviews}}
exportTo: ["*"] # <-
`, C.exportTo, "destination rule with workload selector cannot have exportTo beyond current namespace"],
    ["DestinationRule", `
host: ratings.prod.svc.cluster.local
trafficPolicy:
  loadBalancer:
    warmup:
      duration: 300s
      minimumPercent: 150.0 # <-
`, C.trafficPolicy, "minimumPercent value should be less than or equal to 100"],
    ["DestinationRule", `
host: ratings.prod.svc.cluster.local
trafficPolicy:
  loadBalancer:
    warmup: {minimumPercent: 5.0} # <-
`, C.trafficPolicy, "duration is required"],
    ["DestinationRule", `
host: reviews
trafficPolicy:
  outlierDetection:
    consecutiveErrors: 5 # <-
`, C.trafficPolicy, "outlier detection consecutive errors is deprecated", "warning"],
    ["DestinationRule", `
host: reviews
trafficPolicy:
  outlierDetection:
    interval: 0.5ms # <-
`, C.duration, "duration must be greater than 1ms"],
    ["DestinationRule", `
host: reviews
trafficPolicy:
  loadBalancer:
    consistentHash:
      maglev:
        tableSize: 1000 # <-
`, C.trafficPolicy, "tableSize must be a prime number for maglev"],
    ["DestinationRule", `
host: reviews
trafficPolicy:
  outlierDetection: {consecutive5xxErrors: 5}
  loadBalancer:
    localityLbSetting:
      distribute:
      - from: us-west/zone1/*
        to: # <-
          "us-west/zone1/*": 60
          "us-west/zone2/*": 30
`, C.trafficPolicy, "total locality weight 90 != 100"],
    ["DestinationRule", `
host: reviews
trafficPolicy:
  portLevelSettings:
  - port: {number: 80} # <-
`, C.trafficPolicy, "port traffic policy must have at least one field"],
  ]))("%s", (_title, c) => expectFinding(c));

  it("accepts a DestinationRule with subsets, TLS and pools", () => {
    const findings = expectNoErrors("DestinationRule", `
host: reviews.shop.svc.cluster.local
trafficPolicy:
  tls: {mode: ISTIO_MUTUAL}
  connectionPool:
    tcp: {maxConnections: 100, connectTimeout: 30ms, idleTimeout: 0s}
    http: {http1MaxPendingRequests: 10, http2KeepAlive: {interval: 15s, timeout: 5s}}
  outlierDetection: {consecutive5xxErrors: 7, interval: 5m, baseEjectionTime: 15m}
subsets:
- {name: v1, labels: {version: v1}}
- name: v2
  labels: {version: v2}
  trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
`);
    expect(findings).toEqual([]);
  });
});

describe("validateWebhook: Gateway", () => {
  it.each(titled([
    ["Gateway", "@spec {}", C.gatewayServer, "gateway must have at least one server"],
    ["Gateway", `
servers:
- hosts: [foo.bar.com]
  port:
    name: name1
    number: 66000 # <-
    protocol: http
`, C.port, "port number 66000 must be in the range 1..65535"],
    ["Gateway", `
servers:
- hosts: [foo.bar.com]
  port: {name: foo, number: 80, protocol: http}
- hosts: [scooby.doo.com]
  port:
    name: foo # <-
    number: 8080
    protocol: http
`, C.port, "port names in servers must be unique: duplicate name foo"],
    ["Gateway", `
servers:
- hosts: ["foo.*.bar.com"] # <-
  port: {number: 7, name: p, protocol: http}
`, C.host, `domain name "*.bar.com" invalid (label "*" invalid)`],
    ["Gateway", `
servers:
- hosts: ["*bar.com"] # <-
  port: {name: tls, number: 443, protocol: tls}
  tls: {mode: ISTIO_MUTUAL}
`, C.host, `partial wildcard "*bar.com" not allowed`],
    ["Gateway", `
servers:
- hosts: ["~/foo.bar.com"] # <-
  port: {name: name1, number: 7, protocol: http}
`, C.host, `invalid namespace value "~" in gateway`],
    ["Gateway", `
servers:
- hosts: [foo] # <-
  port: {name: http, number: 7, protocol: http}
`, C.host, "short names (non FQDN) are not allowed"],
    ["Gateway", `
servers:
- hosts: [bar.com]
  port: {name: https, number: 80, protocol: https}
  tls:
    httpsRedirect: true # <-
`, C.gatewayServer, "tls.httpsRedirect should only be used with http servers", "warning"],
    ["Gateway", `
servers:
- hosts: [foo.bar.com]
  port:
    number: 10000
    name: https
    protocol: https # <-
`, C.gatewayServer, "server must have TLS settings for HTTPS/TLS protocols"],
    ["Gateway", `
servers:
- hosts: [foo.bar.com]
  port: {number: 10000, name: http, protocol: http}
  tls: {mode: SIMPLE, credentialName: cert} # <-
`, C.gatewayServer, "server cannot have TLS settings for plain text HTTP ports"],
    ["Gateway", `
servers:
- hosts: [foo.bar.com]
  port: {number: 80, name: http, protocol: http}
  bind: foo.bar # <-
`, C.port, "foo.bar is not a valid IP"],
    ["Gateway", `
servers:
- hosts: [foo.bar.com]
  port:
    number: 7 # <-
    name: http
    protocol: http
  bind: "unix://@foobar"
`, C.port, "port number must be 0 for unix domain socket"],
    ["Gateway", `
servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: ISTIO_MUTUAL, credentialName: cert} # <-
`, C.tls, "ISTIO_MUTUAL TLS cannot have associated credentialName"],
    ["Gateway", `
servers:
- hosts: [foo.bar.com]
  port: {number: 443, name: https, protocol: HTTPS}
  tls: {mode: SIMPLE} # <-
`, C.tls, "SIMPLE TLS requires a server certificate"],
  ]))("%s", (_title, c) => expectFinding(c));

  it("rejects a Gateway name with dots, on the name", () => {
    const { findings, text } = run("Gateway", "servers: [{hosts: [a.b.com], port: {number: 80, name: http, protocol: HTTP}}]", { name: "my.gateway" });
    expect(findings.find((f) => f.message === `Schema validation error: invalid gateway name: "my.gateway"`)?.line).toBe(text.split("\n").findIndex((l) => l.includes("name: my.gateway")) + 1);
  });

  it("accepts a typical ingress gateway", () => {
    expect(expectNoErrors("Gateway", `
selector: {istio: ingressgateway}
servers:
- port: {number: 443, name: https, protocol: HTTPS}
  hosts: ["shop/*.example.com", "./api.example.com"]
  tls: {mode: SIMPLE, credentialName: example-cert}
- port: {number: 80, name: http, protocol: HTTP}
  hosts: ["*"]
  tls: {httpsRedirect: true}
`)).toEqual([]);
  });
});

describe("validateWebhook: ServiceEntry", () => {
  it.each(titled([
    ["ServiceEntry", `
hosts: [foo.com, "*"] # <-
ports: [{number: 80, protocol: http, name: http-valid1}]
resolution: DNS
`, C.host, "invalid host *"],
    ["ServiceEntry", `
hosts: [foo.com]
ports: [{number: 80, protocol: http, name: http-valid1}]
endpoints:
- address: in.google.com
  ports:
    http-valid2: 9080 # <-
resolution: DNS
`, C.workloadEntry, "endpoint port 9080 is not defined by the service entry"],
    ["ServiceEntry", `
hosts: [google.com]
ports: [{number: 80, protocol: http, name: http-valid1}]
endpoints: # <-
- {address: lon.google.com, ports: {http-valid1: 8080}}
resolution: NONE
`, C.serviceEntry, "no endpoints should be provided for resolution type none"],
    ["ServiceEntry", `
hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-conflict}
- number: 8080
  protocol: http
  name: http-conflict # <-
resolution: NONE
`, C.port, `service entry port name "http-conflict" already defined`],
    ["ServiceEntry", `
hosts: [google.com]
ports:
- {number: 80, protocol: http, name: http-conflict1}
- number: 80 # <-
  protocol: http
  name: http-conflict2
resolution: NONE
`, C.port, "service entry port 80 already defined"],
    ["ServiceEntry", `
hosts: ["*.google.com"] # <-
ports: [{number: 80, protocol: http, name: http-valid1}]
resolution: DNS
`, C.serviceEntry, `hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS, domain name "*.google.com" invalid (label "*" invalid)`],
    ["ServiceEntry", `
hosts: ["*.google.com"]
ports:
- {number: 80, protocol: http, name: http-valid1}
- number: 81
  protocol: TCP # <-
  name: tcp-valid1
resolution: DYNAMIC_DNS
`, C.serviceEntry, "only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS"],
    ["ServiceEntry", `
hosts: [example.com]
addresses: [1.2.3.4/16] # <-
resolution: DNS
`, C.serviceEntry, "CIDR addresses are allowed only for NONE/STATIC resolution types"],
    ["ServiceEntry", `
hosts: [example.com]
resolution: DNS_ROUND_ROBIN
endpoints: # <-
- address: sub1.example.com
- address: sub2.example.com
`, C.serviceEntry, "there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN"],
    ["ServiceEntry", `
hosts: [example.com]
workloadSelector: {labels: {app: a}}
endpoints: # <-
- address: 1.2.3.4
`, C.serviceEntry, "only one of WorkloadSelector or Endpoints is allowed in Service Entry"],
    ["ServiceEntry", `
hosts: [example.com]
resolution: STATIC
ports: [{number: 80, protocol: HTTP, name: http}]
endpoints:
- address: example.org # <-
`, C.workloadEntry, `endpoint address "example.org" is not a valid IP address`],
    ["ServiceEntry", `
hosts: [example.com]
ports:
- number: 3306 # <-
  name: mysql
resolution: NONE
`, C.serviceEntry, "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled", "warning"],
  ]))("%s", (_title, c) => expectFinding(c));

  it("rejects several hosts with a plain TCP port", () => {
    expectFinding(["ServiceEntry", `
resolution: DNS
ports: [{number: 3306, name: mysql, protocol: TCP}]
hosts: [a.example.com, b.example.com] # <-
`, C.serviceEntry, "multiple hosts provided with non-HTTP, non-TLS ports"]);
  });

  it("lets a label opt out of IP auto-allocation, which brings the addresses warning back", () => {
    const spec = "hosts: [example.com]\nports: [{number: 3306, name: mysql}]\nresolution: DNS\n";
    expect(run("ServiceEntry", spec).findings).toEqual([]);
    const optedOut = run("ServiceEntry", spec, { labels: { "networking.istio.io/enable-autoallocate-ip": "false" } }).findings;
    expect(optedOut.map((f) => [f.severity, f.message])).toEqual([
      ["warning", "Schema validation warning: addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled"],
    ]);
  });
});

describe("validateWebhook: Sidecar", () => {
  it.each(titled([
    ["Sidecar", "@spec {}", C.sidecar, "sidecar: empty configuration provided"],
    ["Sidecar", `
egress:
- hosts: ["*"] # <-
`, C.host, "host must be of form namespace/dnsName"],
    ["Sidecar", `
egress:
- hosts: ["*/*", "~Invalid_NS/*"] # <-
`, C.host, `invalid namespace value "~Invalid_NS" in sidecar`],
    ["Sidecar", `
egress:
- hosts: ["*/foo.com"] # <-
- hosts: [ns1/bar.com]
`, C.sidecar, "sidecar: the egress listener with empty port should be the last listener in the list"],
    ["Sidecar", `
egress:
- port: {protocol: http, number: 90, name: foo}
  hosts: [ns1/bar.com]
- port:
    protocol: tcp
    number: 90 # <-
    name: tcp
  hosts: [ns2/bar.com]
`, C.port, "sidecar: ports on IP bound listeners must be unique"],
    ["Sidecar", `
ingress:
- defaultEndpoint: "127.0.0.1:110" # <-
egress:
- hosts: ["*/*"]
`, C.sidecar, "sidecar: port is required for ingress listeners"],
    ["Sidecar", `
workloadSelector: {} # <-
egress:
- hosts: ["*/*"]
`, C.selector, "sidecar: workload selector specified without labels, will be applied to all services in namespace", "warning"],
    ["Sidecar", `
ingress:
- port: {number: 9080, protocol: HTTP, name: http}
  defaultEndpoint: "10.0.0.1:9080" # <-
`, C.sidecar, "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>"],
    ["Sidecar", `
egress:
- hosts: [ns1/a.example.com, ns1/a.example.com] # <-
`, C.host, "duplicated egress host: ns1/a.example.com", "warning"],
    ["Sidecar", `
outboundTrafficPolicy:
  mode: REGISTRY_ONLY
  egressProxy: # <-
    host: proxy.example.com
    port: {number: 443}
`, C.sidecar, "sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode"],
  ]))("%s", (_title, c) => expectFinding(c));

  it("accepts a namespace-wide egress restriction", () => {
    expect(expectNoErrors("Sidecar", `egress:\n- hosts: ["./*", "istio-system/*", "~/skip.example.com"]`)).toEqual([]);
  });
});

describe("validateWebhook: PeerAuthentication", () => {
  it.each(titled([
    ["PeerAuthentication", `
portLevelMtls: # <-
  "8080": {mode: UNSET}
`, C.peerAuthentication, "mesh/namespace peer authentication cannot have port level mTLS"],
    ["PeerAuthentication", `
selector: {matchLabels: {app: httpbin}}
portLevelMtls: {} # <-
`, C.peerAuthentication, "port level mTLS, if defined, must have at least one element"],
    ["PeerAuthentication", `
selector: {matchLabels: {app: httpbin}}
portLevelMtls:
  "0": {mode: STRICT} # <-
`, C.peerAuthentication, "port must be in range 1..65535"],
    ["PeerAuthentication", `
selector: # <-
  matchLabels: {}
mtls: {mode: STRICT}
`, C.selector, "workload selector specified without labels", "warning"],
    ["PeerAuthentication", `
selector:
  matchLabels:
    app: "*" # <-
`, C.selector, `wildcard is not supported in selector: "app=*"`],
  ]))("%s", (_title, c) => expectFinding(c));
});

describe("validateWebhook: RequestAuthentication", () => {
  it.each(titled([
    ["RequestAuthentication", `
jwtRules:
- issuer: "" # <-
`, C.jwt, "issuer or jwksUri must be non-empty string"],
    ["RequestAuthentication", `
jwtRules:
- issuer: foo.com
  jwksUri: foo.com # <-
`, C.jwt, `URI scheme "" is not supported`],
    ["RequestAuthentication", `
jwtRules:
- issuer: foo.com
  jwksUri: "ftp://foo.com/keys" # <-
`, C.jwt, `URI scheme "ftp" is not supported`],
    ["RequestAuthentication", `
jwtRules:
- issuer: foo.com
  jwksUri: "https://foo.com:abc/keys" # <-
`, C.jwt, `invalid port ":abc" after host`],
    ["RequestAuthentication", `@spec
targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: foo}
selector: {matchLabels: {app: httpbin}}
jwtRules: [{issuer: foo.com, jwksUri: "https://foo.com/cert"}]
`, C.policyTarget, "only one of targetRefs or workloadSelector can be set"],
    ["RequestAuthentication", `
jwtRules:
- issuer: foo.com
  jwksUri: "https://foo.com"
  outputClaimToHeaders:
  - header: "abc%123" # <-
    claim: sub
`, C.jwt, "header name abc%123 is not a valid header name"],
    ["RequestAuthentication", `
targetRef:
  kind: Service
  name: foo
  namespace: bar # <-
`, C.policyTarget, "cross namespace referencing is not supported"],
    ["RequestAuthentication", `
jwtRules:
- issuer: example
  timeout: 500us # <-
`, C.duration, "duration must be greater than 1ms"],
  ]))("%s", (_title, c) => expectFinding(c));
});

describe("validateWebhook: AuthorizationPolicy", () => {
  it.each(titled([
    ["AuthorizationPolicy", "action: DENY # <-", C.authorization,
      "invalid policy example.shop: DENY action without `rules` is meaningless as it will never be triggered"],
    ["AuthorizationPolicy", `
action: CUSTOM
rules: [{}] # <-
`.replace("rules: [{}] # <-", "rules: [{}]\nprovider: {name: \"\"} # <-"), C.authorization, "invalid policy example.shop: `provider.name` must not be empty"],
    ["AuthorizationPolicy", `
action: ALLOW
provider: {name: ""} # <-
rules: [{}]
`, C.authorization, "invalid policy example.shop: `provider` must not be with non CUSTOM action, found ALLOW"],
    ["AuthorizationPolicy", `
selector: {matchLabels: {app: httpbin, version: v1}}
rules:
- from:
  - source:
      serviceAccounts: [ns1/sa1, ns2/sa2] # <-
      namespaces: [ns]
`, C.authorizationValue, "invalid policy example.shop: cannot set serviceAccounts with namespaces or principals, found at rule 0"],
    ["AuthorizationPolicy", `
rules:
- from:
  - source: {} # <-
`, C.authorization, "`from.source` must not be empty, found at rule 0"],
    ["AuthorizationPolicy", `
rules:
- to:
  - operation: {} # <-
`, C.authorization, "`to.operation` must not be empty, found at rule 0"],
    ["AuthorizationPolicy", `
selector: {matchLabels: {app: httpbin}}
rules:
- when:
  - key: key1
    values: [v1] # <-
`, C.authorizationValue, "invalid `value` for `key` key1: unknown attribute: key1"],
    ["AuthorizationPolicy", `
rules:
- when:
  - key: source.ip
    values: [a.b.c.d] # <-
`, C.authorizationValue, "bad IP address (a.b.c.d)"],
    ["AuthorizationPolicy", `
rules:
- from:
  - source:
      ipBlocks: ["10.0.0.0/33"] # <-
`, C.authorizationValue, "bad CIDR range (10.0.0.0/33)"],
    ["AuthorizationPolicy", `
rules:
- to:
  - operation:
      ports: ["http"] # <-
`, C.authorizationValue, "bad port (http)"],
    ["AuthorizationPolicy", `
rules:
- from:
  - source:
      serviceAccounts: ["ns/*"] # <-
`, C.authorizationValue, "wildcard not allowed, found in ServiceAccounts"],
    ["AuthorizationPolicy", `
rules:
- to:
  - operation:
      paths: ["/{**}/{*}"] # <-
`, C.authorizationValue, "{**} is not the last operator"],
    ["AuthorizationPolicy", `
rules:
- from:
  - source:
      principals: [""] # <-
`, C.authorizationValue, "empty value not allowed, found in Principals"],
    ["AuthorizationPolicy", `
targetRef:
  kind: Deployment # <-
  name: foo
`, C.policyTarget, "targetRef must be to one of"],
    ["AuthorizationPolicy", `
action: DENY
selector: {matchLabels: {app: httpbin}}
rules:
- to: # <-
  - operation: {methods: [GET, DELETE]}
`.replace("rules:\n- to: # <-", "rules:\n- to: # <-"), C.authorization,
      "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port", "warning"],
  ]))("%s", (_title, c) => expectFinding(c));

  it("accepts ALLOW without rules (allow-nothing) and principals of any shape", () => {
    expect(expectNoErrors("AuthorizationPolicy", "action: ALLOW")).toEqual([]);
    expect(expectNoErrors("AuthorizationPolicy", `
rules:
- from: [{source: {principals: ["cluster.local/ns/shop/sa/web", "*"], namespaces: [shop]}}]
  to: [{operation: {methods: [GET], paths: ["/api/{*}"], ports: ["8080"]}}]
  when: [{key: "request.auth.claims[iss]", values: ["https://issuer"]}]
`)).toEqual([]);
  });

  it("checks the istio.io/dry-run annotation, on the annotation", () => {
    const { findings, text } = run("AuthorizationPolicy", "action: ALLOW", { annotations: { "istio.io/dry-run": "foo" } });
    expect(findings).toMatchObject([{
      code: "IST0106",
      family: C.metadata,
      message: `Schema validation error: shop/example has annotation istio.io/dry-run with invalid value (foo): strconv.ParseBool: parsing "foo": invalid syntax`,
      line: text.split("\n").findIndex((l) => l.includes("istio.io/dry-run")) + 1,
    }]);
  });
});

describe("validateWebhook: metadata, WorkloadEntry and kinds Istio does not validate", () => {
  it("rejects istio.io/dry-run on kinds other than AuthorizationPolicy, and stops there", () => {
    const { findings } = run("VirtualService", "hosts: [a.b]", { annotations: { "istio.io/dry-run": "true" } });
    expect(findings.map((f) => [f.code, f.family, f.message])).toEqual([
      ["IST0106", C.metadata, "Schema validation error: shop/example has unsupported annotation istio.io/dry-run, please remove the annotation"],
    ]);
  });

  it("rejects the AUDIT action with dry-run", () => {
    const { findings } = run("AuthorizationPolicy", "action: AUDIT\nrules: [{}]", { annotations: { "istio.io/dry-run": "true" } });
    expect(findings.map((f) => f.message)).toEqual([
      "Schema validation error: the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action AUDIT in shop/example",
    ]);
  });

  it.each(titled([
    ["WorkloadEntry", "address: \"\" # <-\nlabels: {app: a}", C.workloadEntry, "address is required"],
    ["WorkloadEntry", "address: not_a_host # <-", C.workloadEntry, `endpoint address "not_a_host" is not a valid FQDN or an IP address`],
  ]))("%s", (_title, c) => expectFinding(c));

  it("gives HTTPRoute no webhook findings (Istio maps it to EmptyValidate)", () => {
    expect(run("HTTPRoute", "parentRefs: [{name: gw}]\nrules: [{backendRefs: [{name: a, port: 80, weight: -5}]}]").findings).toEqual([]);
  });
});

describe("Istio's CRD conformance files, webhook side", () => {
  const dir = new URL("../../../shared/reference/istio/validation-testdata/crds/", import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
  // Rejected by the API server's schema or by protobuf decoding, never by a validator function:
  // enum values, null list items, empty strings Istio's test skips, and CEL type conversions.
  const schemaOnly = /Unsupported value|must be of type object|should be at least 1 chars long|type conversion error/;
  const docs = files.flatMap((file) => parseDocuments({ path: file, content: readFileSync(new URL(file, dir), "utf8") }).resources
    .map((r) => ({ file, resource: r, err: typeof r.body._err === "string" ? r.body._err : "" })));

  it("reads every document", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(docs.length).toBeGreaterThan(40);
  });

  it.each(docs.filter((d) => d.file.endsWith("-valid.yaml")).map((d) => [d.file, d.resource.name, d.resource] as const))(
    "%s %s: no error", (_file, _name, resource) => {
      expect(validateWebhook(resource).filter((f) => f.severity === "error").map((f) => f.message)).toEqual([]);
    });

  it.each(docs.filter((d) => d.file.endsWith("-invalid.yaml") && !schemaOnly.test(d.err)).map((d) => [d.file, d.resource.name, d.err, d.resource] as const))(
    "%s %s (%s): rejected", (_file, _name, _err, resource) => {
      const errors = validateWebhook(resource).filter((f) => f.severity === "error");
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((f) => f.line >= resource.source.position.line)).toBe(true);
    });
});

describe("generic helpers the webhook rules rely on", () => {
  it.each([
    ["300ms", 300_000_000n], ["1.5s", 1_500_000_000n], ["1h30m", 5_400_000_000_000n], ["-2s", -2_000_000_000n], ["0", 0n], ["1µs", 1_000n],
  ])("parses the Go duration %s", (text, nanos) => expect(parseDuration(text)).toEqual({ nanos }));

  it.each([["", "invalid duration"], ["1", "missing unit"], ["1d", `unknown unit "d"`], [".s", "invalid duration"], ["apple", "invalid duration"]])(
    "rejects the Go duration %j", (text, message) => {
      const parsed = parseDuration(text);
      expect("error" in parsed && parsed.error).toContain(message);
    });

  it("parses IP addresses and prefixes as Go's netip does", () => {
    expect(parseIpAddress("10.0.0.1")?.version).toBe(4);
    expect(parseIpAddress("001:db8::")?.version).toBe(6);
    expect(parseIpAddress("::ffff:1.2.3.4")?.bytes).toHaveLength(16);
    expect(parseIpAddress("fe80::1%eth0")?.zone).toBe("eth0");
    for (const bad of ["10.0.0.01", "256.1.1.1", "1.2.3", "1::2::3", "1:2:3:4:5:6:7:8::", "example.com", "1.2.3.4/8"]) {
      expect(parseIpAddress(bad), bad).toBeUndefined();
    }
    expect(parseIpPrefix("5.6.0.0/16")?.bits).toBe(16);
    expect(parseIpPrefix("2001:db8::/129")).toBeUndefined();
    expect(parseIpPrefix("1.2.3.4/08")).toBeUndefined();
  });
});
