import type { ConfigSet } from "../../../mesh/config-set.ts";
import { formatFullName } from "../../../mesh/hosts.ts";
import { isObject, type JsonObject, readArray, readString, readStringMap } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import { indexNamespaces, selectorMatches, type Workload, workloadInMesh } from "../../../mesh/workloads.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { formatTargetPort } from "../service/format-target-port.ts";

const RULE = "deployment.MultiServiceAnalyzer";
const GATEWAY_MANAGED = "gateway.istio.io/managed";
/** `constants.ManagedGatewayMeshControllerLabel`: the waypoints Istio deploys itself. */
const WAYPOINT_CONTROLLER = "istio.io-mesh-controller";
const NAME_PATH = ["metadata", "name"];

/** What the analyzer reads of a Service: its name as Istio prints it (`ns/name`) and its ports. */
interface ServiceInfo {
  /** Position in the set: Services are visited in that order, as Istio's `ForEach` does. */
  readonly order: number;
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePort[];
}

interface ServicePort {
  readonly port: number;
  readonly protocol: string;
  readonly targetPort: string;
}

/**
 * `deployment.MultiServiceAnalyzer` (analyzers/deployment/services.go, type ServiceAssociationAnalyzer):
 * for every Deployment in the mesh (not a waypoint), the Services of its namespace whose non-empty
 * selector matches its pod template must not use one port number with different protocols (IST0116)
 * nor send one targetPort to different ports (IST0137). Both are reported on the Deployment's name.
 *
 * "In the mesh" is `util.DeploymentInMesh`, through `workloadInMesh`: an `istio-proxy` container with an
 * image, else the template's `sidecar.istio.io/inject` label or annotation, else the Namespace's
 * `istio-injection` label; a Deployment whose Namespace is not in the set counts as in the mesh, as
 * every pod template does in meshgate (see workloads.ts).
 */
export const multiServiceAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const deployments = set.ofKind("Deployment.apps").filter((d) => !d.synthetic);
    if (deployments.length === 0) return [];
    const services = indexServices(set);
    const namespaces = indexNamespaces(set);
    const out: Finding[] = [];
    for (const deployment of deployments) {
      if (deployment.labels[GATEWAY_MANAGED] === WAYPOINT_CONTROLLER) continue;
      const template = templateWorkload(deployment);
      if (!workloadInMesh(template, namespaces)) continue;
      const matching = services.get(deployment.namespace)?.matching(template.labels) ?? [];
      out.push(...protocolConflicts(deployment, matching), ...targetPortConflicts(deployment, matching));
    }
    return out;
  },
};

/** The Deployment's pod template as a workload; only `containers` count, as in `DeploymentInMesh`. */
function templateWorkload(deployment: Resource): Workload {
  const template = isObject(deployment.spec.template) ? deployment.spec.template : {};
  const metadata = isObject(template.metadata) ? template.metadata : {};
  const spec = isObject(template.spec) ? template.spec : {};
  return {
    namespace: deployment.namespace,
    name: deployment.name,
    labels: readStringMap(metadata.labels),
    annotations: readStringMap(metadata.annotations),
    nodeName: "",
    containers: readArray(spec.containers).filter(isObject).map((c) => ({ name: readString(c.name) ?? "", image: readString(c.image) ?? "" })),
    resource: deployment,
    fromTemplate: true,
  };
}

/** IST0116: one port number, several protocols (absent = TCP) across the matching Services. */
function protocolConflicts(deployment: Resource, services: readonly ServiceInfo[]): Finding[] {
  const byPort = new Map<number, Map<string, string[]>>();
  for (const service of services) {
    for (const port of service.ports) {
      const protocols = getOrAdd(byPort, port.port, () => new Map<string, string[]>());
      getOrAdd(protocols, port.protocol === "" ? "TCP" : port.protocol, () => []).push(service.name);
    }
  }
  const out: Finding[] = [];
  for (const port of [...byPort.keys()].sort((a, b) => a - b)) {
    const protocols = byPort.get(port);
    if (!protocols || protocols.size < 2) continue;
    const names = [...protocols.values()].flat().sort();
    out.push(istioFinding("IST0116", RULE, deployment, NAME_PATH, deployment.name, port, names));
  }
  return out;
}

/**
 * IST0137: one targetPort (absent or 0 = the port) reached from different port numbers. As in Istio's
 * map, a port number keeps the last Service that declared it.
 */
function targetPortConflicts(deployment: Resource, services: readonly ServiceInfo[]): Finding[] {
  const byTarget = new Map<string, Map<number, string>>();
  for (const service of services) {
    for (const port of service.ports) {
      const target = port.targetPort === "0" || port.targetPort === "" ? String(port.port) : port.targetPort;
      getOrAdd(byTarget, target, () => new Map<number, string>()).set(port.port, service.name);
    }
  }
  const out: Finding[] = [];
  for (const [target, ports] of [...byTarget].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (ports.size < 2) continue;
    const names = [...ports.values()].sort();
    const numbers = [...ports.keys()].sort((a, b) => a - b);
    out.push(istioFinding("IST0137", RULE, deployment, NAME_PATH, deployment.name, names, target, numbers));
  }
  return out;
}

/** The Services of one namespace, found by the pod labels their selectors match. */
interface NamespaceServices {
  matching(labels: Readonly<Record<string, string>>): ServiceInfo[];
}

/**
 * Services by namespace, each filed under one `key=value` pair of its selector (its first key), so a
 * Deployment only tests the Services filed under one of its own labels: a selector can only match
 * labels that carry all of its pairs. Services without selector select nothing here (Istio skips an
 * empty selector). Istio's synthetic ingress Service takes part unless the user gave one of that name.
 */
function indexServices(set: ConfigSet): Map<string, NamespaceServices> {
  const given = new Set(set.ofKind("Service").filter((s) => !s.synthetic).map((s) => `${s.namespace}/${s.name}`));
  const byNamespace = new Map<string, Map<string, ServiceInfo[]>>();
  set.ofKind("Service").forEach((service, order) => {
    if (service.synthetic && given.has(`${service.namespace}/${service.name}`)) return;
    const selector = readStringMap(service.spec.selector);
    const key = Object.keys(selector).sort()[0];
    if (key === undefined) return;
    const byPair = getOrAdd(byNamespace, service.namespace, () => new Map<string, ServiceInfo[]>());
    const info = { order, name: formatFullName(service), selector, ports: readPorts(service.spec) };
    getOrAdd(byPair, pairKey(key, selector[key] ?? ""), () => []).push(info);
  });
  const out = new Map<string, NamespaceServices>();
  for (const [ns, byPair] of byNamespace) {
    out.set(ns, {
      matching: (labels) =>
        Object.entries(labels)
          .flatMap(([k, v]) => byPair.get(pairKey(k, v)) ?? [])
          .filter((s) => selectorMatches(s.selector, labels))
          .sort((a, b) => a.order - b.order),
    });
  }
  return out;
}

function readPorts(spec: JsonObject): ServicePort[] {
  return readArray(spec.ports)
    .filter(isObject)
    .map((p) => ({ port: typeof p.port === "number" ? p.port : 0, protocol: readString(p.protocol) ?? "", targetPort: formatTargetPort(p.targetPort) }));
}

function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
