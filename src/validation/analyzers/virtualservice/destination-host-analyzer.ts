import type { ConfigSet } from "../../../mesh/config-set.ts";
import { formatFullName } from "../../../mesh/hosts.ts";
import { isObject, readArray } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import { buildServiceRegistry, type RegistryEntry, type ServiceRegistry } from "../../../mesh/service-registry.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { dedupeIstioMessages, type IstioMessage, istioLineOf } from "./istio-messages.ts";
import {
  type AnnotatedDestination,
  destinationHost,
  destinationSubset,
  istioDestinationHostPath,
  istioMirrorHostPath,
  mirrorDestinations,
  routeDestinations,
} from "./route-destinations.ts";

const RULE = "virtualservice.DestinationHostAnalyzer";
const VS = "VirtualService.networking.istio.io";

/**
 * `virtualservice.DestinationHostAnalyzer` (analyzers/virtualservice/destinationhosts.go): destination
 * and mirror hosts that resolve to no visible Service/ServiceEntry (IST0101), ports the service lacks
 * (IST0101 `host:port`), missing ports on multi-port services (IST0112), and subset-less gateway routes
 * to a host other VirtualServices split by subset (IST0140).
 *
 * Istio lists Service among its inputs and skips the analyzer when Services are not in the snapshot,
 * which is what `istioctl analyze --use-kube=false` does with files (it drops Service YAML). We run it
 * only when the user gave at least one Service (`set.has`, which ignores the synthetic ingress Service):
 * a repository holding only Istio config would otherwise get "host not found" for every Kubernetes
 * destination. With Services given, the synthetic ingress Service joins the registry as in Istio's tests.
 */
export const destinationHostAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    if (!set.has("Service")) return [];
    const registry = buildServiceRegistry(set);
    const vss = set.ofKind(VS);
    const subsetDestinations = collectSubsetDestinations(vss);
    const messages: IstioMessage[] = [];
    for (const vs of vss) {
      messages.push(...checkHosts(vs, registry), ...checkIngressSubsets(vs, subsetDestinations));
    }
    return dedupeIstioMessages(messages);
  },
};

function checkHosts(vs: Resource, registry: ServiceRegistry): IstioMessage[] {
  const exportTo = readArray(vs.spec.exportTo).filter((e): e is string => typeof e === "string");
  const out: IstioMessage[] = [];
  for (const d of routeDestinations(vs)) {
    const entry = registry.lookup(vs.namespace, exportTo, destinationHost(d));
    if (!entry) out.push(notFound(vs, d, "host", istioDestinationHostPath(d)));
    else out.push(...checkPorts(vs, d, entry));
  }
  for (const d of mirrorDestinations(vs)) {
    const entry = registry.lookup(vs.namespace, exportTo, destinationHost(d));
    if (!entry) out.push(notFound(vs, d, "mirror host", istioMirrorHostPath(d)));
    else out.push(...checkPorts(vs, d, entry));
  }
  return out;
}

function notFound(vs: Resource, d: AnnotatedDestination, refType: string, istioPath: readonly (string | number)[] | undefined): IstioMessage {
  return {
    finding: istioFinding("IST0101", RULE, vs, [...d.path, "host"], refType, destinationHost(d)),
    istioLine: istioLineOf(vs, istioPath),
  };
}

/** `checkServiceEntryPorts`. */
function checkPorts(vs: Resource, d: AnnotatedDestination, entry: RegistryEntry): IstioMessage[] {
  const istioPath = d.routeRule === "http.mirror" ? istioMirrorHostPath(d) : istioDestinationHostPath(d);
  const istioLine = istioLineOf(vs, istioPath);
  const port = d.destination.port;
  if (!isObject(port)) {
    if (entry.ports.length <= 1) return [];
    const numbers = entry.ports.map((p) => p.number);
    return [{ finding: istioFinding("IST0112", RULE, vs, [...d.path, "host"], destinationHost(d), numbers), istioLine }];
  }
  const number = typeof port.number === "number" ? port.number : 0;
  if (entry.ports.some((p) => p.number === number)) return [];
  const finding = istioFinding("IST0101", RULE, vs, [...d.path, "port", "number"], "host:port", `${destinationHost(d)}:${number}`);
  return [{ finding, istioLine }];
}

/**
 * `initVirtualServiceDestinations`, indexed by host: for each http destination that names a subset and
 * whose host is one of its VirtualService's own `hosts` (compared as written, not as FQDNs), that
 * VirtualService, once per equal entry of `hosts` as Istio appends it.
 */
function collectSubsetDestinations(vss: readonly Resource[]): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const vs of vss) {
    const vsHosts = readArray(vs.spec.hosts).filter((h): h is string => typeof h === "string");
    for (const d of routeDestinations(vs)) {
      if (d.routeRule !== "http" || destinationSubset(d) === "") continue;
      const host = destinationHost(d);
      for (const h of vsHosts) {
        if (h !== host) continue;
        const list = out.get(h);
        if (list) list.push(vs);
        else out.set(h, [vs]);
      }
    }
  }
  return out;
}

/**
 * `analyzeSubset`: a VirtualService bound to gateways routes without a subset to a host that some
 * VirtualService (itself included) routes to by subset; the subset split does not apply to those
 * gateway requests. Istio looks the line up under `{.spec.<route name>[i]...}`, which almost never
 * exists, so its messages print on the resource's line and collapse per text.
 */
function checkIngressSubsets(vs: Resource, bySubsetHost: ReadonlyMap<string, readonly Resource[]>): IstioMessage[] {
  if (readArray(vs.spec.gateways).length === 0) return [];
  const out: IstioMessage[] = [];
  for (const [i, rule] of readArray(vs.spec.http).entries()) {
    if (!isObject(rule)) continue;
    const name = typeof rule.name === "string" ? rule.name : "";
    for (const [j, rd] of readArray(rule.route).entries()) {
      const dest = isObject(rd) && isObject(rd.destination) ? rd.destination : {};
      if (typeof dest.subset === "string" && dest.subset !== "") continue;
      const host = typeof dest.host === "string" ? dest.host : "";
      for (const other of bySubsetHost.get(host) ?? []) {
        const finding = istioFinding("IST0140", RULE, vs, ["spec", "http", i, "route", j, "destination", "host"], formatFullName(other), formatFullName(vs));
        out.push({ finding, istioLine: istioLineOf(vs, ["spec", name, i, "route", j, "destination", "host"]) });
      }
    }
  }
  return out;
}
