import type { ConfigSet } from "../mesh/config-set.ts";
import { toFqdn } from "../mesh/hosts.ts";
import { isObject, type JsonValue, readString } from "../mesh/json.ts";
import { indexSubsets } from "../mesh/index-subsets.ts";
import type { Resource } from "../mesh/resource.ts";
import { buildServiceRegistry, type ServiceRegistry } from "../mesh/service-registry.ts";

export type TrafficProblem = "unknown-host" | "unknown-subset";

/** Where a share of a request class goes (or, for a mirror, is copied to). */
export interface TrafficShare {
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  readonly percent: number;
  readonly problem?: TrafficProblem;
}

/** What the simulation of one configuration set looks things up in. */
export interface TrafficContext {
  readonly set: ConfigSet;
  readonly registry: ServiceRegistry;
  /** Whether the set has service inventory, so an unknown host can be told from an unlisted one. */
  readonly knowsServices: boolean;
  readonly subsets: ReadonlyMap<string, ReadonlySet<string>>;
}

export function trafficContext(set: ConfigSet): TrafficContext {
  return {
    set,
    registry: buildServiceRegistry(set, { meshDefaults: true }),
    knowsServices: set.has("Service") || set.has("ServiceEntry.networking.istio.io"),
    subsets: indexSubsets(set),
  };
}

/** A VirtualService `destination` (host, subset, port) receiving `percent` of a class's requests. */
export function destinationShare(ctx: TrafficContext, destination: JsonValue | undefined, percent: number, ns: string): TrafficShare {
  const d = isObject(destination) ? destination : {};
  const host = readString(d.host) ?? "";
  const subset = readString(d.subset);
  const port = isObject(d.port) && typeof d.port.number === "number" ? d.port.number : undefined;
  const fqdn = toFqdn(host, ns);
  const problem: TrafficProblem | undefined =
    ctx.knowsServices && !ctx.registry.lookup(ns, ["*"], host)
      ? "unknown-host"
      : subset !== undefined && !ctx.subsets.get(fqdn)?.has(subset)
        ? "unknown-subset"
        : undefined;
  return {
    host: fqdn,
    percent,
    ...(subset !== undefined ? { subset } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(problem ? { problem } : {}),
  };
}

/** A Gateway API `backendRef` (a Service by default, in the route's namespace unless named). */
export function backendShare(ctx: TrafficContext, route: Resource, ref: JsonValue | undefined, percent: number): TrafficShare {
  const target = isObject(ref) ? ref : {};
  const ns = readString(target.namespace) ?? route.namespace;
  const kind = readString(target.kind) ?? "Service";
  const name = readString(target.name) ?? "";
  const host = kind === "Service" ? toFqdn(name, ns) : name;
  const known = !ctx.knowsServices || kind !== "Service" || ctx.set.get("Service", ns, name) !== undefined;
  return { host, percent, ...(typeof target.port === "number" ? { port: target.port } : {}), ...(known ? {} : { problem: "unknown-host" as const }) };
}

/**
 * Where a sidecar sends a host's requests when no VirtualService routes it: to the service itself, all
 * its endpoints. With service inventory in the set that is the Service or ServiceEntry defining the host
 * (undefined when none does: Istio has no cluster for it); without inventory, the host is assumed to
 * exist and `owner` stands for it.
 */
export function defaultRoute(ctx: TrafficContext, host: string, ns: string, owner: Resource): { share: TrafficShare; resource: Resource } | undefined {
  if (host.startsWith("*")) return undefined;
  const entry = ctx.registry.lookup(ns, ["*"], host);
  if (ctx.knowsServices && !entry) return undefined;
  return { share: { host: toFqdn(host, ns), percent: 100 }, resource: entry?.resource ?? owner };
}
