import { describe, expect, it } from "vitest";
import { formatOrigin } from "../../src/mesh/resource.ts";
import { checkConfig } from "../../src/review/check-config.ts";
import type { Finding } from "../../src/review/finding.ts";
import type { Analyzer } from "../../src/validation/analyzer.ts";
import { k8sAnnotationsAnalyzer } from "../../src/validation/analyzers/annotations/k8s-annotations-analyzer.ts";
import { applicationUidAnalyzer } from "../../src/validation/analyzers/deployment/application-uid-analyzer.ts";
import { multiServiceAnalyzer } from "../../src/validation/analyzers/deployment/multi-service-analyzer.ts";
import { ISTIO_ANALYZERS } from "../../src/validation/analyzers/istio-analyzers.ts";
import { portNameAnalyzer } from "../../src/validation/analyzers/service/port-name-analyzer.ts";

/**
 * The analyzers that read Kubernetes inventory given as YAML: service.PortNameAnalyzer,
 * deployment.MultiServiceAnalyzer, applicationUID.Analyzer and annotations.K8sAnalyzer. Each expected
 * answer is worked out from Istio's Go code (pkg/config/analysis/analyzers/...), as the comments say.
 */
function run(analyzer: Analyzer, yaml: string): Finding[] {
  const { findings } = checkConfig([{ path: "k8s.yaml", content: yaml }], { defaultNamespace: "", analyzers: [analyzer] });
  return findings.filter((f) => f.rule === analyzer.name);
}

function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.code} ${f.resource ? formatOrigin(f.resource) : "-"}`);
}

function lineOf(yaml: string, needle: string): number {
  const at = yaml.indexOf(needle);
  if (at < 0 || yaml.lastIndexOf(needle) !== at) throw new Error(`"${needle}" is not unique in the YAML`);
  return yaml.slice(0, at).split("\n").length;
}

function namespace(name: string, labels = "{}"): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${labels}\n---\n`;
}

function service(name: string, ns: string, selector: string, ports: string, extra = ""): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}spec:\n  selector: ${selector}\n  ports: ${ports}\n---\n`;
}

function deployment(name: string, ns: string, templateLabels: string, opts: { labels?: string; annotations?: string; podSpec?: string } = {}): string {
  const podSpec = opts.podSpec ?? "containers: [{name: app, image: app:1}]";
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: ${opts.labels ?? "{}"}\n` +
    `spec:\n  selector:\n    matchLabels: ${templateLabels}\n  template:\n    metadata:\n      labels: ${templateLabels}\n` +
    `      annotations: ${opts.annotations ?? "{}"}\n    spec:\n      ${podSpec}\n---\n`
  );
}

describe("the inventory analyzers", () => {
  it("are registered under their istioctl names", () => {
    const names = ISTIO_ANALYZERS.map((a) => a.name);
    for (const name of ["service.PortNameAnalyzer", "deployment.MultiServiceAnalyzer", "applicationUID.Analyzer", "annotations.K8sAnalyzer"]) {
      expect(names).toContain(name);
    }
  });
});

describe("service.PortNameAnalyzer", () => {
  it("reports each port whose name gives no protocol, on the port, with Go's zero targetPort when absent", () => {
    // ConvertProtocol: no appProtocol, so the name's prefix before "-" is parsed; "" and "web" are
    // Unsupported and 8080/9090 are not well-known ports, so both ports fall back to sniffing (IST0118).
    const yaml = service("web", "shop", "{app: web}", "\n  - {port: 8080}\n  - {name: web, port: 9090, targetPort: http}");
    const findings = run(portNameAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.severity, f.path, f.line, f.message])).toEqual([
      ["IST0118", "info", "spec.ports[0]", lineOf(yaml, "{port: 8080}"), "Port name  (port: 8080, targetPort: 0) doesn't follow the naming convention of Istio port."],
      ["IST0118", "info", "spec.ports[1]", lineOf(yaml, "{name: web"), "Port name web (port: 9090, targetPort: http) doesn't follow the naming convention of Istio port."],
    ]);
  });

  it("accepts names and appProtocols Istio can read, well-known ports and UDP", () => {
    // http-api: prefix "http"; grpc-web-x: matched whole before the dash split; db on 3306: MySQL's
    // well-known port is TCP; appProtocol kubernetes.io/h2c is HTTP2 whatever the name; UDP is UDP.
    const ports =
      "\n  - {name: http-api, port: 80}\n  - {name: grpc-web-x, port: 81}\n  - {name: db, port: 3306}" +
      "\n  - {name: foo, port: 82, appProtocol: kubernetes.io/h2c}\n  - {name: foo, port: 83, protocol: UDP}\n  - {name: Redis-cache, port: 84}";
    expect(run(portNameAnalyzer, service("ok", "shop", "{app: ok}", ports))).toEqual([]);
  });

  it("lets appProtocol win over the port name", () => {
    // ConvertProtocol reads appProtocol instead of the name when it is set: "custom" is Unsupported.
    const findings = run(portNameAnalyzer, service("s", "shop", "{app: s}", "\n  - {name: http, port: 80, appProtocol: custom}"));
    expect(summary(findings)).toEqual(["IST0118 Service shop/s"]);
  });

  it("reports IST0150 instead on an ExternalName Service, also for a port named exactly tcp", () => {
    // `instance.IsUnsupported() || port.Name == "tcp" && svc.Type == "ExternalName"`, then the message
    // is replaced by ExternalNameServiceTypeInvalidPortName for ExternalName Services.
    const ports = "\n  - {name: tcp, port: 443}\n  - {port: 444}\n  - {name: https, port: 445}\n  - {name: tcp-x, port: 446}";
    const yaml = service("ext", "shop", "{}", ports).replace("spec:\n", "spec:\n  type: ExternalName\n  externalName: example.com\n");
    const findings = run(portNameAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.severity, f.path])).toEqual([
      ["IST0150", "warning", "spec.ports[0]"],
      ["IST0150", "warning", "spec.ports[1]"],
    ]);
    expect(findings[0]?.message).toBe(
      "Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly",
    );
  });

  it("skips Istio's control plane, gateway-controller Services and system namespaces", () => {
    // IsIstioControlPlane: an `istio` label or `release: istio`; gateway.istio.io/managed set by one of
    // Istio's controllers; kube-system is in inject.IgnoredNamespaces and never analyzed.
    const bad = "\n  - {name: foo, port: 8080}";
    const yaml =
      service("a", "istio-system", "{app: a}", bad, "  labels: {istio: pilot}\n") +
      service("b", "istio-system", "{app: b}", bad, "  labels: {release: istio}\n") +
      service("c", "apps", "{app: c}", bad, "  labels: {gateway.istio.io/managed: istio.io-mesh-controller}\n") +
      service("d", "kube-system", "{app: d}", bad) +
      service("e", "apps", "{app: e}", bad, "  labels: {gateway.istio.io/managed: someone-else}\n");
    expect(summary(run(portNameAnalyzer, yaml))).toEqual(["IST0118 Service apps/e"]);
  });
});

describe("deployment.MultiServiceAnalyzer", () => {
  const injected = namespace("shop", "{istio-injection: enabled}");

  it("reports a port used with different protocols by the Services of a mesh Deployment, on its name", () => {
    // Both Services select the template (app: cart); port 9080 is TCP (protocol absent) in one and UDP
    // in the other, so the port map has two protocols for 9080. Names are `ns/name`, sorted.
    const yaml =
      injected +
      deployment("cart", "shop", "{app: cart}") +
      service("cart-udp", "shop", "{app: cart}", "[{name: udp, port: 9080, protocol: UDP}]") +
      service("cart", "shop", "{app: cart}", "[{name: http, port: 9080}]");
    const findings = run(multiServiceAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.severity, f.path, f.line, f.message])).toEqual([
      [
        "IST0116",
        "warning",
        "metadata.name",
        lineOf(yaml, "name: cart\n  namespace: shop\n  labels"),
        "This deployment cart is associated with multiple services using port 9080 but different protocols: [shop/cart shop/cart-udp]",
      ],
    ]);
  });

  it("reports one targetPort reached from different ports, a missing targetPort being the port", () => {
    // serviceTargetPortsMap: a (8080, no targetPort → "8080") and b (9090 → 8080) share targetPort 8080.
    const yaml =
      injected +
      deployment("cart", "shop", "{app: cart}") +
      service("b", "shop", "{app: cart}", "[{name: http, port: 9090, targetPort: 8080}]") +
      service("a", "shop", "{app: cart}", "[{name: http, port: 8080}]");
    const findings = run(multiServiceAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      ["IST0137", 'This deployment cart is associated with multiple services [shop/a shop/b] using targetPort "8080" but different ports: [8080 9090].'],
    ]);
  });

  it("leaves out Deployments outside the mesh and Istio's waypoints", () => {
    // DeploymentInMesh: no proxy container, the template's inject label/annotation decides first, then
    // the Namespace's istio-injection label. `plain` has neither; `opted-out` says "false"; `waypoint`
    // is labelled by Istio's mesh controller. All three have conflicting Services.
    const conflicting = (app: string, ns: string): string =>
      service(`${app}-tcp`, ns, `{app: ${app}}`, "[{port: 80}]") + service(`${app}-udp`, ns, `{app: ${app}}`, "[{port: 80, protocol: UDP}]");
    const yaml =
      injected +
      namespace("plain") +
      deployment("plain", "plain", "{app: plain}") +
      conflicting("plain", "plain") +
      deployment("opted-out", "shop", "{app: out}", { annotations: '{sidecar.istio.io/inject: "false"}' }) +
      conflicting("out", "shop") +
      deployment("waypoint", "shop", "{app: wp}", { labels: "{gateway.istio.io/managed: istio.io-mesh-controller}" }) +
      conflicting("wp", "shop") +
      deployment("opted-in", "plain", "{app: in}", { annotations: '{sidecar.istio.io/inject: "true"}' }) +
      conflicting("in", "plain");
    expect(summary(run(multiServiceAnalyzer, yaml))).toEqual(["IST0116 Deployment plain/opted-in"]);
  });

  it("counts a Deployment whose Namespace is not in the repository as in the mesh (meshgate's template rule)", () => {
    const yaml = deployment("cart", "elsewhere", "{app: cart}") + service("a", "elsewhere", "{app: cart}", "[{port: 80}]") + service("b", "elsewhere", "{app: cart}", "[{port: 80, protocol: UDP}]");
    expect(summary(run(multiServiceAnalyzer, yaml))).toEqual(["IST0116 Deployment elsewhere/cart"]);
  });

  it("matches only Services of the Deployment's namespace whose non-empty selector is within its template labels", () => {
    // other-ns is in another namespace; no-selector has an empty selector (skipped by Istio); narrower
    // also wants tier: db, which the template lacks. Only `same` matches, so nothing conflicts.
    const yaml =
      injected +
      namespace("other", "{istio-injection: enabled}") +
      deployment("cart", "shop", "{app: cart, version: v1}") +
      service("same", "shop", "{app: cart}", "[{port: 80}]") +
      service("other-ns", "other", "{app: cart}", "[{port: 80, protocol: UDP}]") +
      service("no-selector", "shop", "{}", "[{port: 80, protocol: UDP}]") +
      service("narrower", "shop", "{app: cart, tier: db}", "[{port: 80, protocol: UDP}]");
    expect(run(multiServiceAnalyzer, yaml)).toEqual([]);
  });
});

describe("applicationUID.Analyzer", () => {
  it("reports a Pod running as 1337 at pod level, on that field", () => {
    const yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  securityContext:\n    runAsUser: 1337\n  containers: [{name: app}]\n";
    const findings = run(applicationUidAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.severity, f.path, f.line, f.message])).toEqual([
      ["IST0144", "warning", "spec.securityContext.runAsUser", lineOf(yaml, "runAsUser"), "User ID (UID) 1337 is reserved for the sidecar proxy."],
    ]);
  });

  it("reports a Deployment once even when the pod and a container both run as 1337", () => {
    // Istio reports the same message twice and de-duplicates it by text and origin.
    const podSpec = "securityContext: {runAsUser: 1337}\n      containers: [{name: app, securityContext: {runAsUser: 1337}}]";
    const findings = run(applicationUidAnalyzer, deployment("d", "shop", "{app: d}", { podSpec }));
    expect(findings.map((f) => [f.code, f.path])).toEqual([["IST0144", "spec.template.spec.securityContext.runAsUser"]]);
  });

  it("reports an application container, not the proxy, init containers, other UIDs, the control plane or StatefulSets", () => {
    // Only spec.containers are looked at, istio-proxy and istio-operator may run as 1337, and resources
    // labelled `istio` are Istio's own. The StatefulSet is not among the analyzer's inputs.
    const yaml =
      deployment("app", "shop", "{app: a}", { podSpec: "containers: [{name: istio-proxy, securityContext: {runAsUser: 1337}}, {name: app, securityContext: {runAsUser: 1337}}]" }) +
      deployment("proxy-only", "shop", "{app: b}", { podSpec: "containers: [{name: istio-proxy, securityContext: {runAsUser: 1337}}]" }) +
      deployment("init", "shop", "{app: c}", { podSpec: "initContainers: [{name: setup, securityContext: {runAsUser: 1337}}]\n      containers: [{name: app}]" }) +
      deployment("other-uid", "shop", "{app: d}", { podSpec: "securityContext: {runAsUser: 1000}\n      containers: [{name: app}]" }) +
      deployment("istiod", "istio-system", "{app: istiod}", { labels: "{istio: pilot}", podSpec: "securityContext: {runAsUser: 1337}\n      containers: [{name: discovery}]" }) +
      deployment("sts", "shop", "{app: e}", { podSpec: "securityContext: {runAsUser: 1337}\n      containers: [{name: app}]" }).replace("kind: Deployment", "kind: StatefulSet");
    const findings = run(applicationUidAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.resource ? formatOrigin(f.resource) : "", f.path])).toEqual([
      ["IST0144", "Deployment shop/app", "spec.template.spec.containers[1].securityContext.runAsUser"],
    ]);
  });
});

describe("annotations.K8sAnalyzer", () => {
  function pod(annotations: string, labels = "{}"): string {
    return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\n  labels: ${labels}\n  annotations:\n${annotations}spec:\n  containers: [{name: app}]\n---\n`;
  }

  it("reports an unknown annotation in Istio's domain, on the annotation", () => {
    // istioAnnotation: the part before "/" ends with istio.io; the name is not in the catalog.
    const yaml = pod("    sidecar.istio.io/bogus: x\n    example.com/other: y\n");
    const findings = run(k8sAnnotationsAnalyzer, yaml);
    expect(findings.map((f) => [f.code, f.severity, f.path, f.line, f.message])).toEqual([
      ["IST0108", "warning", "metadata.annotations.sidecar.istio.io/bogus", lineOf(yaml, "sidecar.istio.io/bogus"), "Unknown annotation: sidecar.istio.io/bogus"],
    ]);
  });

  it("reports an annotation on a kind it does not belong to, naming the kinds it does", () => {
    // networking.istio.io/exportTo is for Services; the waypoint binding for GatewayClass and Gateway, in
    // that order; kubernetes.io/ingress.class (documented by Istio) for Ingress.
    const yaml =
      pod("    networking.istio.io/exportTo: '*'\n") +
      service("s", "shop", "{app: s}", "[{name: http, port: 80}]", "  annotations: {ambient.istio.io/waypoint-inbound-binding: PROXY}\n") +
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: staging\n  annotations: {kubernetes.io/ingress.class: istio}\n";
    expect(run(k8sAnnotationsAnalyzer, yaml).map((f) => [f.code, f.resource ? formatOrigin(f.resource) : "", f.message])).toEqual([
      ["IST0107", "Pod shop/p", "Misplaced annotation: networking.istio.io/exportTo can only be applied to Service"],
      ["IST0107", "Service shop/s", "Misplaced annotation: ambient.istio.io/waypoint-inbound-binding can only be applied to GatewayClass, Gateway"],
      ["IST0107", "Namespace staging", "Misplaced annotation: kubernetes.io/ingress.class can only be applied to Ingress"],
    ]);
  });

  it("reports a deprecated annotation, and a pod annotation on a Deployment's own metadata as misplaced too", () => {
    // sidecar.istio.io/inject (the annotation) is deprecated in favour of the label; on the Deployment's
    // metadata it is also misplaced (Pod only). The template's annotations are not looked at.
    const yaml = deployment("d", "shop", "{app: d}", { annotations: "{sidecar.istio.io/bogus: x}" }).replace(
      "  labels: {}\nspec:",
      '  labels: {}\n  annotations: {sidecar.istio.io/inject: "true"}\nspec:',
    );
    expect(run(k8sAnnotationsAnalyzer, yaml).map((f) => [f.code, f.severity, f.message])).toEqual([
      ["IST0107", "warning", "Misplaced annotation: sidecar.istio.io/inject can only be applied to Pod"],
      ["IST0135", "info", 'Annotation "sidecar.istio.io/inject" has been deprecated in favor of the "sidecar.istio.io/inject" label and may not work in future Istio versions.'],
    ]);
  });

  it("does not report the deprecated inject annotation next to the inject label", () => {
    const yaml = pod('    sidecar.istio.io/inject: "true"\n', '{sidecar.istio.io/inject: "true"}');
    expect(run(k8sAnnotationsAnalyzer, yaml)).toEqual([]);
  });

  it("reports values the sidecar injector would reject, with Go's error text", () => {
    const yaml = pod(
      "    traffic.sidecar.istio.io/includeInboundPorts: '80,abc'\n" +
        "    sidecar.istio.io/interceptionMode: FOO\n" +
        "    prometheus.istio.io/merge-metrics: 'yes'\n" +
        "    traffic.sidecar.istio.io/excludeOutboundIPRanges: '10.0.0.0/8,1.2.3.4'\n" +
        "    status.sidecar.istio.io/port: '70000'\n",
    );
    expect(run(k8sAnnotationsAnalyzer, yaml).map((f) => [f.code, f.message])).toEqual([
      ["IST0125", "Invalid annotation traffic.sidecar.istio.io/includeInboundPorts: includeInboundPorts invalid: failed parsing port 'abc': failed parsing port 'abc': strconv.ParseUint: parsing \"abc\": invalid syntax"],
      ["IST0125", "Invalid annotation sidecar.istio.io/interceptionMode: interceptionMode invalid, use REDIRECT,TPROXY,NONE: FOO"],
      ["IST0125", 'Invalid annotation prometheus.istio.io/merge-metrics: strconv.ParseBool: parsing "yes": invalid syntax'],
      ["IST0125", "Invalid annotation traffic.sidecar.istio.io/excludeOutboundIPRanges: excludeIPRanges invalid: failed parsing cidr '1.2.3.4': netip.ParsePrefix(\"1.2.3.4\"): no '/'"],
      ["IST0125", "Invalid annotation status.sidecar.istio.io/port: excludeInboundPorts invalid: failed parsing port '70000': strconv.ParseUint: parsing \"70000\": value out of range"],
    ]);
  });

  it("accepts valid values and annotations that apply to any kind", () => {
    const yaml = pod(
      "    traffic.sidecar.istio.io/includeInboundPorts: '*'\n" +
        "    traffic.sidecar.istio.io/excludeInboundPorts: '15020, 15021'\n" +
        "    traffic.sidecar.istio.io/includeOutboundIPRanges: '10.0.0.0/8,fd00::/8'\n" +
        "    sidecar.istio.io/interceptionMode: TPROXY\n" +
        "    prometheus.istio.io/merge-metrics: 'false'\n" +
        "    readiness.status.sidecar.istio.io/periodSeconds: '10'\n",
    );
    const ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  annotations: {gateway.istio.io/controller-version: '5'}\n";
    expect(run(k8sAnnotationsAnalyzer, yaml + ns)).toEqual([]);
  });

  it("looks only at Namespaces, Services, Pods and Deployments", () => {
    // Istio's inputs: an unknown Istio annotation on a StatefulSet or a VirtualService is not reported.
    const yaml =
      deployment("sts", "shop", "{app: s}").replace("kind: Deployment", "kind: StatefulSet").replace("  labels: {}\nspec:", "  labels: {}\n  annotations: {sidecar.istio.io/bogus: x}\nspec:") +
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: vs\n  namespace: shop\n  annotations: {sidecar.istio.io/bogus: x}\nspec:\n  hosts: [a]\n  http: [{route: [{destination: {host: a}}]}]\n";
    expect(run(k8sAnnotationsAnalyzer, yaml)).toEqual([]);
  });
});
