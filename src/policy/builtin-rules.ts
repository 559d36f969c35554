import type { ConfigSet } from "../mesh/config-set.ts";
import { type FieldPath, formatFieldPath } from "../mesh/field-path.ts";
import { toFqdn } from "../mesh/hosts.ts";
import { indexSubsets } from "../mesh/index-subsets.ts";
import { isObject, type JsonObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";
import { largestRise } from "../rollout/largest-rise.ts";
import { roundToHundred } from "../rollout/round-to-hundred.ts";
import { routeMoves } from "../rollout/route-moves.ts";
import { stepWeights } from "../rollout/step-weights.ts";

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

/**
 * max-canary-step: no destination's share of a route may rise by more than `maxStep` points in one
 * applied step. Each route is judged on its own (routeMoves: every HTTP, TLS and TCP rule, every
 * HTTPRoute rule; a new destination rises from 0). A bigger move passes only when the rollout steps it:
 * rollouts are on, the route kept its shape, and every planned step stays within `maxStep`.
 */
const maxCanaryStep: BuiltinRule = ({ object, oldObject, params, rolloutsOn }) => {
  if (!oldObject) return [];
  const maxStep = num(params, "maxStep", 20);
  const out: Violation[] = [];
  for (const move of routeMoves(oldObject, object).moves) {
    if (rolloutsOn && move.unsteppable === undefined) {
      const from = roundToHundred(move.from);
      if (largestRise(from, stepWeights(from, roundToHundred(move.to), maxStep)) <= maxStep) continue;
    }
    const why = !rolloutsOn ? "rollouts are off, so merging applies it at once" : `it cannot be stepped (${move.unsteppable ?? `no steps of at most ${maxStep} whole points reach it`}), so merging applies it at once`;
    move.destinations.forEach((dest, i) => {
      const before = move.from[i] ?? 0;
      const after = move.to[i] ?? 0;
      const at = move.headIndex[i];
      if (after - before <= maxStep + 1e-9 || at === undefined) return;
      out.push({
        // An unwritten weight (a lone destination, a backendRef's default 1) is located at its entry.
        path: [...move.field, at, "weight"],
        message: `${formatFieldPath(move.field)}${move.name !== undefined ? ` ("${move.name}")` : ""}: ${dest} jumps from ${pct(before)}% to ${pct(after)}% (+${pct(after - before)} points, max ${maxStep}) and ${why}: shift it in steps of at most ${maxStep} points`,
      });
    });
  }
  return out;
};

function pct(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/**
 * require-mtls, client side below the top level: a DestinationRule turns Istio mTLS off for one port
 * (`trafficPolicy.portLevelSettings[].tls`) or one subset (`subsets[].trafficPolicy.tls`, and that
 * subset's port-level settings). A port-level entry replaces the destination-level policy wholesale and
 * a subset's policy overrides the top level (semantics.md), so each of these sends plaintext on its own.
 * The top-level `trafficPolicy.tls` is the policy's CEL rule.
 */
const requireMtls: BuiltinRule = ({ object }) => {
  if (object.kind !== "DestinationRule") return [];
  const out: Violation[] = [];
  const disabled = (policy: JsonValue | undefined, path: FieldPath, what: string) => {
    readArray(isObject(policy) ? policy.portLevelSettings : undefined).forEach((p, i) => {
      if (isObject(p) && isObject(p.tls) && p.tls.mode === "DISABLE") {
        const port = isObject(p.port) ? p.port.number : undefined;
        out.push({ path: [...path, "portLevelSettings", i, "tls", "mode"], message: `the DestinationRule turns client-side TLS off${what} on port ${String(port ?? "?")}` });
      }
    });
  };
  disabled(object.spec.trafficPolicy, ["spec", "trafficPolicy"], "");
  readArray(object.spec.subsets).forEach((s, i) => {
    if (!isObject(s)) return;
    const what = ` for subset "${String(s.name ?? i)}"`;
    const policy = s.trafficPolicy;
    if (isObject(policy) && isObject(policy.tls) && policy.tls.mode === "DISABLE") {
      out.push({ path: ["spec", "subsets", i, "trafficPolicy", "tls", "mode"], message: `the DestinationRule turns client-side TLS off${what}` });
    }
    disabled(policy, ["spec", "subsets", i, "trafficPolicy"], what);
  });
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
  "require-mtls": requireMtls,
  "weights-sum-100": weightsSum100,
  "subset-exists": subsetExists,
  "outlier-detection-for-canaries": outlierDetectionForCanaries,
};
