import { isObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";
import type { Workload } from "../mesh/workloads.ts";

/**
 * A Service port (what DestinationRule `portLevelSettings` name) and the workload port it forwards to
 * (what PeerAuthentication `portLevelMtls` names). `port` undefined stands for "every other port".
 */
export interface PortPair {
  readonly port?: number;
  readonly targetPort?: number;
}

/**
 * The ports clients reach `workload` on through `service`: each Service port with its `targetPort`
 * (a number; a name, looked up among the workload's container ports; absent: the same number, as
 * Kubernetes defaults it). A named targetPort the workload does not declare gets no endpoint, so that
 * port is left out. A Service written without `ports` (an inventory that leaves them out) says nothing
 * about the mapping: we then assume each port a DestinationRule or PeerAuthentication names (`named`)
 * is both the Service and the workload port, and add one pair for all other ports.
 */
export function servicePortPairs(service: Resource, workload: Workload, named: Iterable<number>): PortPair[] {
  const ports = readArray(service.spec.ports).filter(isObject);
  if (ports.length === 0) return [...[...new Set(named)].sort((a, b) => a - b).map((p) => ({ port: p, targetPort: p })), {}];
  const out: PortPair[] = [];
  for (const p of ports) {
    if (typeof p.port !== "number") continue;
    const target = p.targetPort;
    if (target === undefined || target === null) out.push({ port: p.port, targetPort: p.port });
    else if (typeof target === "number") out.push({ port: p.port, targetPort: target });
    else if (typeof target === "string") {
      const resolved = /^\d+$/.test(target) ? Number(target) : containerPort(workload, target);
      if (resolved !== undefined) out.push({ port: p.port, targetPort: resolved });
    }
  }
  return out;
}

function containerPort(workload: Workload, name: string): number | undefined {
  const body = workload.resource.body;
  const spec = workload.fromTemplate ? podSpecOfTemplate(body.spec) : body.spec;
  if (!isObject(spec)) return undefined;
  for (const c of [...readArray(spec.containers), ...readArray(spec.initContainers)]) {
    if (!isObject(c)) continue;
    for (const p of readArray(c.ports)) {
      if (isObject(p) && readString(p.name) === name && typeof p.containerPort === "number") return p.containerPort;
    }
  }
  return undefined;
}

function podSpecOfTemplate(spec: JsonValue | undefined): JsonValue | undefined {
  return isObject(spec) && isObject(spec.template) ? spec.template.spec : undefined;
}
