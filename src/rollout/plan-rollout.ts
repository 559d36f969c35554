import type { ResourceChange } from "../diff/diff-config-sets.ts";
import type { FieldPath } from "../mesh/field-path.ts";
import type { ResourceRef } from "../mesh/resource.ts";
import { refOf } from "../mesh/resource.ts";
import { roundToHundred } from "./round-to-hundred.ts";
import { hasRoutes, type RouteMove, routeMoves } from "./route-moves.ts";
import { stepWeights } from "./step-weights.ts";

export interface RolloutOptions {
  /** Largest rise of any destination's share in one step, in percentage points (`max-canary-step`). */
  readonly maxStep: number;
  /** Bake time per step, in seconds. */
  readonly intervalSeconds: number;
  /** The gates checked before each next step, in words (from `.meshgate.yaml` analysis). */
  readonly gates: readonly string[];
  /** `rollout.mode`; `off` means merging applies the change at once. Absent: rollouts on. */
  readonly mode?: "git" | "kubernetes" | "off";
  /** Failed checks tolerated before a rollback (`analysis.failureLimit`, Argo's meaning: fails on one more). */
  readonly failureLimit?: number;
}

/**
 * One route rule whose weights move: its destinations and their share before and after, as routeMoves
 * finds them (`protocol` is `http` for an HTTPRoute/GRPCRoute rule too), in whole percents.
 */
export interface SteppedRoute extends Pick<RouteMove, "protocol" | "rule" | "field" | "name" | "destinations"> {
  readonly resource: ResourceRef;
  /** Whole percents summing to 100 (0 for every destination of a route that sends traffic nowhere). */
  readonly from: readonly number[];
  readonly to: readonly number[];
}

export interface RolloutStep {
  readonly index: number;
  /**
   * Weights per route (same order as `routes`), each in percent summing to 100. Gateway API weights are
   * relative, not percentages: an HTTPRoute's shares are stepped as percentages too, and each step's
   * percentages are valid weights for its backendRefs as they are (total 100); the last step is the
   * head's split, whatever total its own weights have.
   */
  readonly weights: readonly (readonly number[])[];
  readonly bakeSeconds: number;
  readonly gates: readonly string[];
}

export interface RolloutPlan {
  /** False when `rollout.mode` is off: merging applies the whole change at once, with no steps. */
  readonly rolloutsOn: boolean;
  /** Applied before traffic moves: new resources, and changed ones whose change is not a weight move. */
  readonly before: readonly ResourceRef[];
  /** The stepped routes; with rollouts off, every route whose split moves (applied at once). */
  readonly routes: readonly SteppedRoute[];
  readonly steps: readonly RolloutStep[];
  /** Applied only after the last step, when traffic has drained from what they remove. */
  readonly after: readonly ResourceRef[];
  /** Routes whose shape changed (rules added, removed or reordered, matches or action changed): applied at once. */
  readonly unsteppable: readonly { resource: ResourceRef; reason: string }[];
  readonly totalSeconds: number;
  /** Worst case from a bad canary to the base weights restored (see `rollbackTime`). */
  readonly rollbackSeconds: number;
}

/**
 * What merging a change would start: weight moves stepped within `maxStep`, additions applied before
 * traffic moves, removals after it drained, bake and gates per step, time to full rollout and back.
 * Each route (every HTTP, TLS and TCP rule, every Gateway API rule) is planned on its own; a new
 * destination starts at 0 and a removed one ends at 0, so a new canary is stepped like any other move.
 */
export function planRollout(changes: readonly ResourceChange[], options: RolloutOptions): RolloutPlan {
  if (options.mode === "off") return appliedAtOnce(changes);
  const before: ResourceRef[] = [];
  const after: ResourceRef[] = [];
  const routes: SteppedRoute[] = [];
  const unsteppable: { resource: ResourceRef; reason: string }[] = [];
  for (const change of changes) {
    const ref = refOf(change.resource);
    if (change.type === "added") before.push(ref);
    else if (change.type === "removed") after.push(ref);
    else if (change.base && change.head && hasRoutes(change.resource.key)) {
      const { moves, reshaped } = routeMoves(change.base, change.head);
      for (const r of reshaped) unsteppable.push({ resource: ref, reason: r.reason });
      // A move that rounds to no change in whole percents has nothing to step.
      routes.push(...moves.filter((m) => m.unsteppable === undefined).map((m) => steppedRoute(ref, m)).filter((r) => r.from.some((f, i) => f !== r.to[i])));
      // Whatever else changed in the resource (timeouts, retries, new rules' neighbours) goes first, with
      // the base weights held; route lists that are stepped or reshaped are accounted for above.
      const planned = [...moves.map((m) => m.field), ...reshaped.map((r) => r.field)];
      if (change.fields.some((f) => !planned.some((p) => startsWith(f.path, p)))) before.push(ref);
    } else {
      // A resource that only takes something away waits until traffic has moved; one that adds and takes
      // away (a subset replaced) has its additions applied first and its removals after the drain.
      const removes = change.fields.some((f) => f.type === "removed");
      const adds = change.fields.some((f) => f.type !== "removed");
      if (adds || !removes) before.push(ref);
      if (removes) after.push(ref);
    }
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
  return { rolloutsOn: true, before, routes, steps, after, unsteppable, totalSeconds: count * options.intervalSeconds, rollbackSeconds: count > 0 ? rollbackTime(options) : 0 };
}

/**
 * With gates, a bad canary is caught when one more check than `failureLimit` fails, one check per bake
 * interval (Argo Rollouts' detection time `(failureLimit + 1) × interval`, reference/delivery.md), and the
 * base weights are restored by that same apply. Without gates nothing watches: `/meshgate abort` restores
 * the base weights in one apply, taken as one interval at most.
 */
function rollbackTime(options: RolloutOptions): number {
  return options.gates.length > 0 ? (Math.max(0, options.failureLimit ?? 0) + 1) * options.intervalSeconds : options.intervalSeconds;
}

/** Rollouts off: the GitOps agent applies the merged tree as it is, so every move happens at once. */
function appliedAtOnce(changes: readonly ResourceChange[]): RolloutPlan {
  const routes = changes.flatMap((c) => (c.type === "changed" && c.base && c.head && hasRoutes(c.resource.key) ? routeMoves(c.base, c.head).moves.map((m) => steppedRoute(refOf(c.resource), m)) : []));
  return { rolloutsOn: false, before: [], routes, steps: [], after: [], unsteppable: [], totalSeconds: 0, rollbackSeconds: 0 };
}

function steppedRoute(resource: ResourceRef, m: RouteMove): SteppedRoute {
  return {
    resource,
    protocol: m.protocol,
    rule: m.rule,
    field: m.field,
    ...(m.name !== undefined ? { name: m.name } : {}),
    destinations: m.destinations,
    from: roundToHundred(m.from),
    to: roundToHundred(m.to),
  };
}

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
}
