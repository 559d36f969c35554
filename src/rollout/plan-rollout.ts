import type { ResourceChange } from "../diff/diff-config-sets.ts";
import { isObject, type JsonValue, readArray } from "../mesh/json.ts";
import type { ResourceRef } from "../mesh/resource.ts";
import { refOf } from "../mesh/resource.ts";
import { routeShares } from "../simulation/weighted-shares.ts";
import { roundToHundred } from "./round-to-hundred.ts";
import { stepWeights } from "./step-weights.ts";

export interface RolloutOptions {
  /** Largest rise of any destination's share in one step, in percentage points (`max-canary-step`). */
  readonly maxStep: number;
  /** Bake time per step, in seconds. */
  readonly intervalSeconds: number;
  /** The gates checked before each next step, in words (from `.meshgate.yaml` analysis). */
  readonly gates: readonly string[];
}

/** One route rule whose weights move: its destinations and their share before and after. */
export interface SteppedRoute {
  readonly resource: ResourceRef;
  readonly protocol: "http" | "tcp" | "tls";
  readonly rule: number;
  readonly destinations: readonly string[];
  readonly from: readonly number[];
  readonly to: readonly number[];
}

export interface RolloutStep {
  readonly index: number;
  /** Weights per route (same order as `routes`), each summing to 100. */
  readonly weights: readonly (readonly number[])[];
  readonly bakeSeconds: number;
  readonly gates: readonly string[];
}

export interface RolloutPlan {
  /** Applied before traffic moves: new resources, and changed ones whose change is not a weight move. */
  readonly before: readonly ResourceRef[];
  readonly routes: readonly SteppedRoute[];
  readonly steps: readonly RolloutStep[];
  /** Applied only after the last step, when traffic has drained from what they remove. */
  readonly after: readonly ResourceRef[];
  /** Routes whose shape changed (rules or destinations differ): applied at once, not stepped. */
  readonly unsteppable: readonly { resource: ResourceRef; reason: string }[];
  readonly totalSeconds: number;
  /** Restoring the base weights is one apply: one sync interval at most. */
  readonly rollbackSeconds: number;
}

const VS = "VirtualService.networking.istio.io";

/**
 * What merging a change would start: weight moves stepped within `maxStep`, additions applied before
 * traffic moves, removals after it drained, bake and gates per step, time to full rollout and back.
 */
export function planRollout(changes: readonly ResourceChange[], options: RolloutOptions): RolloutPlan {
  const before: ResourceRef[] = [];
  const after: ResourceRef[] = [];
  const routes: SteppedRoute[] = [];
  const unsteppable: { resource: ResourceRef; reason: string }[] = [];
  for (const change of changes) {
    if (change.type === "added") before.push(refOf(change.resource));
    else if (change.type === "removed") after.push(refOf(change.resource));
    else if (change.resource.key === VS && change.base && change.head) {
      const moves = weightMoves(change.base.spec, change.head.spec, refOf(change.head));
      if (moves === "shape") unsteppable.push({ resource: refOf(change.head), reason: "its route rules or destinations changed, not only their weights" });
      else if (moves.length > 0) routes.push(...moves);
      if (moves !== "shape" && change.fields.some((f) => !isWeightPath(f.path))) before.push(refOf(change.head));
    } else if (removesSomething(change)) after.push(refOf(change.resource));
    else before.push(refOf(change.resource));
  }
  const vectors = routes.map((r) => stepWeights(r.from, r.to, options.maxStep));
  const count = Math.max(0, ...vectors.map((v) => v.length));
  const steps: RolloutStep[] = [];
  for (let k = 0; k < count; k++) {
    steps.push({
      index: k + 1,
      // A route that needs fewer steps holds its target once reached.
      weights: vectors.map((v, i) => v[Math.min(k, v.length - 1)] ?? routes[i]?.to ?? []),
      bakeSeconds: options.intervalSeconds,
      gates: options.gates,
    });
  }
  return { before, routes, steps, after, unsteppable, totalSeconds: count * options.intervalSeconds, rollbackSeconds: count > 0 ? options.intervalSeconds : 0 };
}

function isWeightPath(path: readonly (string | number)[]): boolean {
  return path[path.length - 1] === "weight";
}

/** A change that only takes away (fields removed, list items removed) waits until traffic has moved. */
function removesSomething(change: ResourceChange): boolean {
  return change.fields.length > 0 && change.fields.every((f) => f.type === "removed");
}

function destinationKey(d: JsonValue): string {
  const dest = isObject(d) && isObject(d.destination) ? d.destination : {};
  const port = isObject(dest.port) ? dest.port.number : undefined;
  return `${String(dest.host ?? "")}${dest.subset !== undefined ? `:${String(dest.subset)}` : ""}${port !== undefined ? `:${String(port)}` : ""}`;
}

function weightMoves(base: JsonValue, head: JsonValue, ref: ResourceRef): SteppedRoute[] | "shape" {
  const out: SteppedRoute[] = [];
  for (const protocol of ["http", "tcp", "tls"] as const) {
    const b = readArray(isObject(base) ? base[protocol] : undefined);
    const h = readArray(isObject(head) ? head[protocol] : undefined);
    if (b.length !== h.length) return "shape";
    for (let i = 0; i < h.length; i++) {
      const br = readArray(isObject(b[i]) ? (b[i] as { route?: JsonValue }).route : undefined);
      const hr = readArray(isObject(h[i]) ? (h[i] as { route?: JsonValue }).route : undefined);
      const bKeys = br.map(destinationKey);
      const hKeys = hr.map(destinationKey);
      if (bKeys.join("\u0000") !== hKeys.join("\u0000")) return "shape";
      const from = routeShares(br);
      const to = routeShares(hr);
      if (from.every((f, j) => Math.abs(f - (to[j] ?? 0)) < 1e-9)) continue;
      out.push({ resource: ref, protocol, rule: i, destinations: hKeys, from: roundToHundred(from), to: roundToHundred(to) });
    }
  }
  return out;
}
