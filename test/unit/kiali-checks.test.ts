import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readMeshConfig } from "../../src/mesh/mesh-config.ts";
import { type CheckOptions, checkConfig } from "../../src/review/check-config.ts";
import type { Finding } from "../../src/review/finding.ts";
import { KIALI_CODES } from "../../src/validation/kiali/kiali-codes.ts";
import { KIALI_CHECKS } from "../../src/validation/kiali/kiali-checks.ts";

/**
 * The Kiali checks through the real engine (`checkConfig` with only `KIALI_CHECKS`), on the example
 * YAMLs of Kiali's validation docs (`../shared/reference/istio/kiali-examples/`, mapped to codes in
 * `kiali.md`) and on focused cases. Examples without a namespace are read into `bookinfo`, where the
 * docs deploy them.
 */
const EXAMPLES = fileURLToPath(new URL("../../../shared/reference/istio/kiali-examples/", import.meta.url));
const AUTO_MTLS_OFF = readMeshConfig({ enableAutoMtls: false });

interface File {
  readonly path: string;
  readonly content: string;
}

function example(name: string): File {
  return { path: name, content: readFileSync(`${EXAMPLES}${name}`, "utf8") };
}

function run(files: readonly File[], options: CheckOptions = {}): Finding[] {
  return checkConfig(files, { analyzers: KIALI_CHECKS, defaultNamespace: "bookinfo", ...options }).findings;
}

/** The Kiali findings on `file`, as `code kiali line severity`. */
function kialiIn(findings: readonly Finding[], file: string): string[] {
  return findings.filter((f) => f.kiali !== undefined && f.file === file).map((f) => `${f.code} ${f.kiali} ${f.line} ${f.severity}`);
}

function check(files: readonly File[], options: CheckOptions = {}): string[] {
  const [first] = files;
  return first ? kialiIn(run(files, options), first.path) : [];
}

const inline = (path: string, content: string): File => ({ path, content });

/** A Deployment in bookinfo whose pods carry `labels` (a flow map such as `{app: reviews}`). */
const deployment = (name: string, labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: bookinfo}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec: {containers: [{name: app, image: app:v1}]}
`;

describe("the MG ↔ KIA table", () => {
  it("maps each MG4xxx code to a distinct KIA code with Kiali's message", () => {
    const entries = Object.entries(KIALI_CODES);
    expect(entries.every(([mg]) => /^MG4\d{3}$/.test(mg))).toBe(true);
    expect(new Set(entries.map(([, v]) => v.kiali)).size).toBe(entries.length);
    expect(KIALI_CODES.MG4201.message).toBe("More than one DestinationRules for the same host subset combination");
  });

  it("sets rule, kiali, severity and message on each finding", () => {
    const [f] = run([example("106.yaml")]);
    expect(f).toMatchObject({
      code: "MG4704",
      kiali: "KIA1104",
      rule: "kiali.RouteChecker",
      severity: "warning",
      message: "The weight is assumed to be 100 because there is only one route destination",
      resource: { kind: "VirtualService", namespace: "bookinfo", name: "reviews" },
      path: "spec.http[0].route[0].weight",
      line: 13,
      column: 7,
    });
  });
});

describe("kiali-examples, through the engine", () => {
  it.each([
    ["001.yaml", ["MG4201 KIA0201 6 warning", "MG4201 KIA0201 26 warning"]],
    ["005.yaml", ["MG4204 KIA0204 18 warning"]],
    ["007.yaml", ["MG4207 KIA0207 10 error"]],
    ["008.yaml", ["MG4208 KIA0208 10 error"]],
    ["106.yaml", ["MG4704 KIA1104 13 warning"]],
    ["111.yaml", ["MG4705 KIA1105 15 warning", "MG4705 KIA1105 19 warning"]],
    ["302.yaml", ["MG4002 KIA0002 6 error", "MG4002 KIA0002 15 error"]],
    ["305.yaml", ["MG4505 KIA0505 8 error"]],
    ["306.yaml", ["MG4506 KIA0506 8 error"]],
    ["906.yaml", ["MG4606 KIA1006 7 warning"]],
  ])("%s", (name, expected) => {
    expect(check([example(name)])).toEqual(expected);
  });

  // These need autoMtls off: with it on (Istio's default) Istio chooses mTLS itself and Kiali skips them.
  it.each([
    ["004.yaml", ["MG4205 KIA0205 11 error"]],
    ["006.yaml", ["MG4206 KIA0206 10 error"]],
    ["301.yaml", ["MG4501 KIA0501 9 error"]],
    ["401.yaml", ["MG4401 KIA0401 9 error"]],
    ["805.yaml", ["MG4105 KIA0105 14 error", "MG4105 KIA0105 16 error"]],
  ])("%s with enableAutoMtls: false", (name, expected) => {
    expect(check([example(name)], { meshConfig: AUTO_MTLS_OFF })).toEqual(expected);
    expect(check([example(name)])).toEqual([]);
  });

  it("303.yaml (KIA0003) with the productpage workload given as a Deployment", () => {
    const inventory = inline("inventory.yaml", deployment("productpage-v1", "{app: productpage, version: v1}"));
    expect(check([example("303.yaml"), inventory])).toEqual(["MG4003 KIA0003 7 error", "MG4003 KIA0003 19 error"]);
    // Without workloads nothing is selected twice.
    expect(check([example("303.yaml")])).toEqual([]);
  });

  it("304.yaml (KIA0004) only when the set describes workloads", () => {
    const other = inline("inventory.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: ratings, namespace: bookinfo, labels: {app: ratings, version: v1}}\nspec: {containers: [{name: r, image: r}]}\n");
    expect(check([example("304.yaml"), other])).toEqual(["MG4004 KIA0004 8 warning"]);
    expect(check([example("304.yaml")])).toEqual([]);
  });

  // istioctl makes these with the same meaning, so its IST code wins and no MG finding is added.
  it.each([
    ["002.yaml", "KIA0202 = IST0174"],
    ["003.yaml", "KIA0203 = IST0173"],
    ["101.yaml", "KIA1102 = IST0101 (gateway)"],
    ["102.yaml", "KIA1101 = IST0101 (host)"],
    ["104.yaml", "KIA1106 for the mesh gateway = IST0109"],
    ["105.yaml", "KIA1107 = IST0101 (subset)"],
    ["112.yaml", "KIA1108 = IST0133"],
    ["201.yaml", "KIA0301 across Gateways = IST0145"],
    ["202.yaml", "KIA0302 = IST0101 (selector)"],
  ])("%s: none (%s)", (name) => {
    expect(check([example(name)])).toEqual([]);
  });

  it("1401.yaml, 1402.yaml, 1501–1503.yaml do not reach the checks as published", () => {
    // v1alpha2 routes are not served by Gateway API v1.6.1; the Gateways have no name; 1503 is not YAML.
    for (const name of ["1401.yaml", "1402.yaml"]) expect(run([example(name)]).map((f) => f.code)).toEqual(["MG1012"]);
    for (const name of ["1501.yaml", "1502.yaml"]) expect(run([example(name)]).map((f) => f.code)).toEqual(["MG1005", "MG1005"]);
    expect(new Set(run([example("1503.yaml")]).map((f) => f.code))).toEqual(new Set(["MG1001"]));
  });
});

describe("Gateway API checks, on the 14xx/15xx examples made applicable (served version, names)", () => {
  const route = inline("route.yaml", `kind: HTTPRoute
apiVersion: gateway.networking.k8s.io/v1
metadata:
  name: httproute
  namespace: bookinfo
spec:
  parentRefs:
    - group: gateway.networking.k8s.io
      kind: Gateway
      namespace: istio-system
      name: gatewayapi
  hostnames:
    - reviews
  rules:
    - backendRefs:
        - group: ''
          kind: Service
          name: reviews-v1
          namespace: default
          port: 9080
`);
  const grant = inline("grant.yaml", `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: refgrant, namespace: default}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: bookinfo}]
  to: [{group: "", kind: Service}]
`);
  const service = (name: string) => inline("svc.yaml", `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec: {ports: [{port: 9080}]}\n`);
  const gateway = (from: string) => inline("gw.yaml", `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gatewayapi, namespace: istio-system}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: ${from}}}}
`);

  it("KIA1401: the parent Gateway is missing, or does not admit the route's namespace", () => {
    expect(check([route])).toEqual(["MG4901 KIA1401 11 error"]);
    expect(check([route, gateway("Same")])).toEqual(["MG4901 KIA1401 11 error"]);
    expect(check([route, gateway("All")])).toEqual([]);
  });

  it("KIA1402: the backend Service is missing or not granted", () => {
    expect(check([route, gateway("All"), grant, service("reviews")])).toEqual(["MG4902 KIA1402 18 error"]);
    expect(check([route, gateway("All"), service("reviews-v1")])).toEqual(["MG4902 KIA1402 18 error"]);
    expect(check([route, gateway("All"), grant, service("reviews-v1")])).toEqual([]);
    // Without any Service in the set, existence is not judged.
    expect(check([route, gateway("All"), grant])).toEqual([]);
  });

  const k8sGateway = (name: string, listeners: string, addresses = "") => `kind: Gateway
apiVersion: gateway.networking.k8s.io/v1
metadata: {name: ${name}, namespace: bookinfo}
spec:
  gatewayClassName: istio
  listeners:
${listeners}${addresses}`;
  const listener = (name: string, hostname: string, port: number) =>
    `    - name: ${name}\n      hostname: ${hostname}\n      port: ${port}\n      protocol: HTTP\n`;

  it("KIA1501: the same hostname, port and protocol on two Gateways", () => {
    const text = `${k8sGateway("gw1", listener("default", "host.com", 80))}---\n${k8sGateway("gw2", listener("primary", "host.com", 80))}`;
    expect(check([inline("1501.yaml", text)])).toEqual(["MG4951 KIA1501 8 warning", "MG4951 KIA1501 19 warning"]);
    const other = `${k8sGateway("gw1", listener("default", "host.com", 80))}---\n${k8sGateway("gw2", listener("primary", "host.com", 8080))}`;
    expect(check([inline("1501.yaml", other)])).toEqual([]);
  });

  it("KIA1502: the same address on two Gateways (type defaulting to IPAddress)", () => {
    const addresses = (v: string) => `  addresses:\n    - value: ${v}\n`;
    const text = `${k8sGateway("gw1", listener("default", "example.com", 80), addresses("10.0.0.1"))}---\n${k8sGateway("gw2", listener("secondary", "secondary.com", 9080), addresses("10.0.0.1"))}`;
    expect(check([inline("1502.yaml", text)])).toEqual(["MG4952 KIA1502 12 warning", "MG4952 KIA1502 25 warning"]);
  });

  it("KIA1503: two listeners of one Gateway with the same hostname, port and protocol", () => {
    const text = k8sGateway("gw", listener("default", "example.com", 80) + listener("secondary", "example.com", 80));
    expect(check([inline("1503.yaml", text)])).toEqual(["MG4953 KIA1503 7 error", "MG4953 KIA1503 11 error"]);
    const distinct = k8sGateway("gw", listener("default", "example.com", 80) + listener("secondary", "example.com", 443));
    expect(check([inline("1503.yaml", distinct)])).toEqual([]);
  });
});

describe("focused cases", () => {
  const vs = (name: string, gateways: string, host = "reviews") => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: bookinfo}
spec:
  hosts: [${host}]
  gateways: [${gateways}]
  http:
  - route:
    - destination: {host: reviews}
`;

  it("KIA1106: two VirtualServices on one gateway (named short and qualified) claim one host", () => {
    const text = `${vs("a", "bookinfo-gateway")}---\n${vs("b", "bookinfo/bookinfo-gateway", "reviews.bookinfo.svc.cluster.local")}`;
    expect(check([inline("vs.yaml", text)])).toEqual(["MG4706 KIA1106 5 warning", "MG4706 KIA1106 15 warning"]);
    const wildcard = `${vs("a", "gw")}---\n${vs("b", "gw", "'*'")}`;
    expect(check([inline("vs.yaml", wildcard)])).toEqual(["MG4706 KIA1106 5 warning", "MG4706 KIA1106 15 warning"]);
    const otherGateway = `${vs("a", "gw1")}---\n${vs("b", "gw2")}`;
    expect(check([inline("vs.yaml", otherGateway)])).toEqual([]);
  });

  it("KIA1104/KIA1105: a full single weight and distinct subsets are fine", () => {
    const text = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: bookinfo}
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 100}
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 50}
    - {destination: {host: reviews.bookinfo.svc.cluster.local, subset: v2}, weight: 50}
  tcp:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 50}
    - {destination: {host: reviews.bookinfo, subset: v1}, weight: 50}
`;
    // Only the tcp route repeats a host+subset: `reviews.bookinfo` is `reviews` in namespace bookinfo.
    expect(check([inline("vs.yaml", text)])).toEqual(["MG4705 KIA1105 14 warning", "MG4705 KIA1105 15 warning"]);
  });

  it("KIA0209: a subset without labels, info when another subset has labels", () => {
    const dr = (subsets: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: bookinfo}
spec:
  host: reviews
  subsets:
${subsets}`;
    expect(check([inline("dr.yaml", dr("  - name: all\n"))])).toEqual(["MG4209 KIA0209 7 warning"]);
    expect(check([inline("dr.yaml", dr("  - name: v1\n    labels: {version: v1}\n  - name: all\n"))])).toEqual(["MG4209 KIA0209 9 info"]);
  });

  it("KIA0201: a DR without subsets collides with a DR of the same host; distinct subsets do not", () => {
    const dr = (name: string, host: string, subsets: string) =>
      `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${name}, namespace: bookinfo}\nspec:\n  host: ${host}\n${subsets}`;
    const plain = `${dr("a", "reviews", "  subsets: [{name: v1, labels: {version: v1}}]\n")}---\n${dr("b", "reviews.bookinfo.svc.cluster.local", "")}`;
    expect(check([inline("dr.yaml", plain)])).toEqual(["MG4201 KIA0201 5 warning", "MG4201 KIA0201 12 warning"]);
    const distinct = `${dr("a", "reviews", "  subsets: [{name: v1, labels: {version: v1}}]\n")}---\n${dr("b", "reviews", "  subsets: [{name: v2, labels: {version: v2}}]\n")}`;
    expect(check([inline("dr.yaml", distinct)])).toEqual([]);
  });

  it("KIA1211: two ServiceEntries for the same host and port; a protocol conflict is IST0177's", () => {
    const se = (name: string, protocol: string) =>
      `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: ${name}, namespace: bookinfo}\nspec:\n  hosts: [api.example.com]\n  ports:\n  - {number: 443, name: https, protocol: ${protocol}}\n  resolution: DNS\n`;
    expect(check([inline("se.yaml", `${se("a", "HTTPS")}---\n${se("b", "https")}`)])).toEqual([
      "MG4811 KIA1211 7 warning",
      "MG4811 KIA1211 16 warning",
    ]);
    expect(check([inline("se.yaml", `${se("a", "HTTPS")}---\n${se("b", "TLS")}`)])).toEqual([]);
  });

  it("KIA0301: what IST0145 does not see (qualified hosts, servers of one Gateway)", () => {
    const gw = (name: string, servers: string) =>
      `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: ${name}, namespace: bookinfo}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n${servers}`;
    const server = (host: string, port: number) => `  - port: {number: ${port}, name: p${port}, protocol: HTTP}\n    hosts: ["${host}"]\n`;
    const qualified = `${gw("a", server("bookinfo/reviews.example.com", 80))}---\n${gw("b", server("Reviews.example.com", 80))}`;
    expect(check([inline("gw.yaml", qualified)])).toEqual(["MG4301 KIA0301 8 warning", "MG4301 KIA0301 17 warning"]);
    const oneGateway = gw("a", server("reviews.example.com", 80) + server("*.example.com", 80));
    expect(check([inline("gw.yaml", oneGateway)])).toEqual(["MG4301 KIA0301 8 warning", "MG4301 KIA0301 10 warning"]);
    const otherNamespace = `${gw("a", server("bookinfo/reviews.example.com", 80))}---\n${gw("b", server("shop/reviews.example.com", 80))}`;
    expect(check([inline("gw.yaml", otherNamespace)])).toEqual([]);
  });

  it("KIA0105 with autoMtls on: a namespace that turns mTLS off", () => {
    const text = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: bookinfo}
spec:
  mtls: {mode: DISABLE}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: reviews, namespace: bookinfo}
spec:
  rules:
  - from:
    - source: {principals: [cluster.local/ns/bookinfo/sa/productpage]}
    when:
    - {key: source.namespace, values: [bookinfo]}
`;
    expect(kialiIn(run([inline("ap.yaml", text)]), "ap.yaml")).toEqual(["MG4105 KIA0105 13 error", "MG4105 KIA0105 15 error"]);
    // A workload PeerAuthentication in STRICT mode gives the selected workload mTLS back.
    const strict = `${text.replace("spec:\n  rules:", "spec:\n  selector: {matchLabels: {app: reviews}}\n  rules:")}---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: reviews, namespace: bookinfo}
spec:
  selector: {matchLabels: {app: reviews}}
  mtls: {mode: STRICT}
`;
    expect(kialiIn(run([inline("ap.yaml", strict)]), "ap.yaml")).toEqual([]);
  });

  it("KIA1301: a workload no AuthorizationPolicy applies to", () => {
    const workload = deployment("reviews-v1", "{app: reviews}");
    expect(check([inline("deploy.yaml", workload)])).toEqual(["MG4881 KIA1301 3 warning"]);
    const meshWide = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-nothing, namespace: istio-system}\nspec: {}\n";
    expect(check([inline("deploy.yaml", workload), inline("ap.yaml", meshWide)])).toEqual([]);
    const otherApp = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ratings, namespace: bookinfo}\nspec: {selector: {matchLabels: {app: ratings}}}\n";
    expect(check([inline("deploy.yaml", workload), inline("ap.yaml", otherApp)])).toEqual(["MG4881 KIA1301 3 warning"]);
  });

  it("a consistent mesh gives no Kiali finding", () => {
    const text = `${deployment("reviews-v1", "{app: reviews, version: v1}")}---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: bookinfo}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: default, namespace: istio-system}
spec: {host: "*.local", trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: bookinfo}
spec:
  host: reviews
  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: bookinfo}
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 90}
    - {destination: {host: reviews, subset: v2}, weight: 10}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: reviews, namespace: bookinfo}
spec:
  selector: {matchLabels: {app: reviews}}
  rules:
  - from: [{source: {principals: [cluster.local/ns/bookinfo/sa/productpage]}}]
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: reviews, namespace: bookinfo}
spec:
  selector: {matchLabels: {app: reviews}}
  mtls: {mode: STRICT}
`;
    expect(run([inline("mesh.yaml", text)], { meshConfig: AUTO_MTLS_OFF }).filter((f) => f.kiali !== undefined)).toEqual([]);
    expect(run([inline("mesh.yaml", text)]).filter((f) => f.kiali !== undefined)).toEqual([]);
  });
});
