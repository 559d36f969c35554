import type { ConfigSet } from "../mesh/config-set.ts";
import type { FieldPath } from "../mesh/field-path.ts";
import { toFqdn } from "../mesh/hosts.ts";
import { indexSubsets } from "../mesh/index-subsets.ts";
import { isObject, type JsonObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";
import { routeShares } from "../simulation/weighted-shares.ts";

/** Where a policy fails, and why, in words. */
export interface Violation {
  readonly path: FieldPath;
  readonly message: string;
}

export interface BuiltinInput {
  readonly object: Resource;
  readonly oldObject: Resource | undefined;
  readonly params: JsonObject;
  readonly head: ConfigSet;
  /** Whether merging steps this resource's weights (rollout mode not `off`). */
  readonly rolloutsOn: boolean;
}

export type BuiltinRule = (input: BuiltinInput) => Violation[];

const ROUTE_KINDS = ["http", "tcp", "tls"] as const;

function num(params: JsonObject, key: string, fallback: number): number {
  const v = params[key];
  return typeof v === "number" ? v : fallback;
}

function destKey(d: JsonValue): string {
  const dest = isObject(d) && isObject(d.destination) ? d.destination : {};
  return `${String(dest.host ?? "")}/${String(dest.subset ?? "")}`;
}

/**
 * max-canary-step: no destination's share of a rule may rise by more than `maxStep` points in one
 * applied change. With rollouts on, meshgate applies the change in such steps, so it passes.
 */
const maxCanaryStep: BuiltinRule = ({ object, oldObject, params, rolloutsOn }) => {
  if (!oldObject || rolloutsOn) return [];
  const maxStep = num(params, "maxStep", 20);
  const out: Violation[] = [];
  for (const kind of ROUTE_KINDS) {
    const before = readArray(oldObject.spec[kind]);
    readArray(object.spec[kind]).forEach((rule, i) => {
      const oldRule = before[i];
      if (!isObject(rule) || !isObject(oldRule)) return;
      const route = readArray(rule.route);
      const oldRoute = readArray(oldRule.route);
      const oldShares = routeShares(oldRoute);
      const oldShare = new Map(oldRoute.map((d, j) => [destKey(d), oldShares[j] ?? 0]));
      const now = routeShares(route);
      route.forEach((d, j) => {
        const rise = (now[j] ?? 0) - (oldShare.get(destKey(d)) ?? 0);
        if (rise > maxStep + 1e-9) {
          out.push({
            path: ["spec", kind, i, "route", j, "weight"],
            message: `${destKey(d).replace(/\/$/, "")} gains ${Math.round(rise)} points of traffic in one step (max ${maxStep}) and rollouts are off for this resource: shift it in smaller steps`,
          });
        }
      });
    });
  }
  return out;
};

/** weights-sum-100: Istio takes weights as relative, but a split whose weights do not add up to 100 misleads reviewers. */
const weightsSum100: BuiltinRule = ({ object }) => {
  const out: Violation[] = [];
  for (const kind of ROUTE_KINDS) {
    readArray(object.spec[kind]).forEach((rule, i) => {
      const route = isObject(rule) ? readArray(rule.route) : [];
      if (route.length < 2) return;
      const sum = route.reduce<number>((a, d) => a + (isObject(d) && typeof d.weight === "number" ? d.weight : 0), 0);
      if (sum !== 100) out.push({ path: ["spec", kind, i, "route"], message: `weights add up to ${sum}, not 100` });
    });
  }
  return out;
};

/** subset-exists: a route to a subset no DestinationRule defines fails every request (503 NR). */
const subsetExists: BuiltinRule = ({ object, head }) => {
  const subsets = indexSubsets(head);
  const out: Violation[] = [];
  for (const kind of ROUTE_KINDS) {
    readArray(object.spec[kind]).forEach((rule, i) => {
      readArray(isObject(rule) ? rule.route : undefined).forEach((d, j) => {
        const dest = isObject(d) && isObject(d.destination) ? d.destination : {};
        const subset = readString(dest.subset);
        const host = readString(dest.host);
        if (subset === undefined || host === undefined) return;
        if (!subsets.get(toFqdn(host, object.namespace))?.has(subset)) {
          out.push({ path: ["spec", kind, i, "route", j, "destination", "subset"], message: `no DestinationRule defines subset "${subset}" for host "${host}"` });
        }
      });
    });
  }
  return out;
};

/**
 * outlier-detection-for-canaries: a rule that splits traffic across subsets is a canary; without
 * outlier detection on the host's DestinationRule, a bad canary keeps receiving its share.
 */
const outlierDetectionForCanaries: BuiltinRule = ({ object, head }) => {
  const out: Violation[] = [];
  const drs = destinationRulesByHost(head);
  readArray(object.spec.http).forEach((rule, i) => {
    const route = isObject(rule) ? readArray(rule.route).filter(isObject) : [];
    const weighted = route.filter((d) => typeof d.weight === "number" && d.weight > 0);
    if (weighted.length < 2) return;
    const host = readString(isObject(route[0]?.destination) ? route[0].destination.host : undefined);
    if (!host) return;
    const fqdn = toFqdn(host, object.namespace);
    const dr = drs.get(fqdn);
    const hasOutlier = (p: JsonValue | undefined) => isObject(p) && isObject(p.outlierDetection);
    const covered = dr && (hasOutlier(dr.spec.trafficPolicy) || readArray(dr.spec.subsets).every((s) => isObject(s) && hasOutlier(s.trafficPolicy)));
    if (!covered) out.push({ path: ["spec", "http", i, "route"], message: `canary split on "${host}" has no outlierDetection in its DestinationRule${dr ? ` ${dr.namespace}/${dr.name}` : ""}` });
  });
  return out;
};

const drMemo = new WeakMap<ConfigSet, ReadonlyMap<string, Resource>>();

/** The first DestinationRule for each host FQDN, made once per (immutable) set. */
function destinationRulesByHost(set: ConfigSet): ReadonlyMap<string, Resource> {
  let index = drMemo.get(set);
  if (!index) {
    const byHost = new Map<string, Resource>();
    for (const dr of set.ofKind("DestinationRule.networking.istio.io")) {
      const fqdn = toFqdn(readString(dr.spec.host) ?? "", dr.namespace);
      if (!byHost.has(fqdn)) byHost.set(fqdn, dr);
    }
    drMemo.set(set, (index = byHost));
  }
  return index;
}

export const BUILTIN_RULES: Readonly<Record<string, BuiltinRule>> = {
  "max-canary-step": maxCanaryStep,
  "weights-sum-100": weightsSum100,
  "subset-exists": subsetExists,
  "outlier-detection-for-canaries": outlierDetectionForCanaries,
};
