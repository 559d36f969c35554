import type { FieldPath } from "../../../mesh/field-path.ts";
import { isObject, type JsonObject, readArray } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";

/** Where a destination sits in a VirtualService, as `AnnotatedDestination` (analyzers/virtualservice/util.go). */
export type RouteRule = "tcp" | "tls" | "http" | "http.mirror" | "http.mirrors";

export interface AnnotatedDestination {
  readonly routeRule: RouteRule;
  /** Index of the tcp/tls/http rule. */
  readonly ruleIndex: number;
  /** Index in `route` or `mirrors` (0 for `mirror`). */
  readonly destinationIndex: number;
  /** The `Destination` object; `{}` when the entry has none, as Go's nil-safe getters read it. */
  readonly destination: JsonObject;
  /** Path to the `Destination` object. */
  readonly path: FieldPath;
}

/** `getRouteDestinations`: every `route[].destination` of the tcp, then tls, then http rules. */
export function routeDestinations(vs: Resource): AnnotatedDestination[] {
  const out: AnnotatedDestination[] = [];
  for (const rule of ["tcp", "tls", "http"] as const) {
    for (const [i, r] of readArray(vs.spec[rule]).entries()) {
      const routes = isObject(r) ? readArray(r.route) : [];
      for (const [j, rd] of routes.entries()) {
        const destination = isObject(rd) && isObject(rd.destination) ? rd.destination : {};
        out.push({ routeRule: rule, ruleIndex: i, destinationIndex: j, destination, path: ["spec", rule, i, "route", j, "destination"] });
      }
    }
  }
  return out;
}

/** `getHTTPMirrorDestinations`: each http rule's `mirror`, then its `mirrors[].destination`. */
export function mirrorDestinations(vs: Resource): AnnotatedDestination[] {
  const out: AnnotatedDestination[] = [];
  for (const [i, r] of readArray(vs.spec.http).entries()) {
    if (!isObject(r)) continue;
    if (isObject(r.mirror)) {
      out.push({ routeRule: "http.mirror", ruleIndex: i, destinationIndex: 0, destination: r.mirror, path: ["spec", "http", i, "mirror"] });
    }
    for (const [j, m] of readArray(r.mirrors).entries()) {
      const destination = isObject(m) && isObject(m.destination) ? m.destination : {};
      out.push({ routeRule: "http.mirrors", ruleIndex: i, destinationIndex: j, destination, path: ["spec", "http", i, "mirrors", j, "destination"] });
    }
  }
  return out;
}

/** `Destination.GetHost()`. */
export function destinationHost(d: AnnotatedDestination): string {
  return typeof d.destination.host === "string" ? d.destination.host : "";
}

/** `Destination.GetSubset()`. */
export function destinationSubset(d: AnnotatedDestination): string {
  return typeof d.destination.subset === "string" ? d.destination.subset : "";
}

/**
 * The field whose line istioctl prints for a destination (`util.DestinationHost`,
 * `{.spec.<rule>[i].route[j].destination.host}`). For `http.mirrors` Istio formats the rule name into
 * that template too, a path that never exists, so it falls back to the resource's line.
 */
export function istioDestinationHostPath(d: AnnotatedDestination): FieldPath | undefined {
  if (d.routeRule === "http.mirror" || d.routeRule === "http.mirrors") return undefined;
  return ["spec", d.routeRule, d.ruleIndex, "route", d.destinationIndex, "destination", "host"];
}

/** `util.MirrorHost` (`{.spec.http[i].mirror.host}`), which Istio uses for `mirror` and `mirrors` alike. */
export function istioMirrorHostPath(d: AnnotatedDestination): FieldPath {
  return ["spec", "http", d.ruleIndex, "mirror", "host"];
}
