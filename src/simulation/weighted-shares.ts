import { isObject, type JsonValue } from "../mesh/json.ts";

/** A weight per destination, as written (undefined when the field is absent). */
export interface Weighted<T> {
  readonly target: T;
  readonly weight: number | undefined;
}

/**
 * Istio's split (semantics.md "Weights"): a lone destination gets everything whatever its weight;
 * otherwise each gets weight/sum, an absent weight counts as 0, and zero-weight destinations get
 * nothing. All-zero across several destinations routes nowhere: an empty result.
 * `defaultWeight` is 1 for Gateway API backendRefs (whose weights default to 1), 0 for Istio.
 */
export function weightedShares<T>(items: readonly Weighted<T>[], defaultWeight = 0): { target: T; percent: number }[] {
  const percents = destinationShares(items.map((i) => i.weight), defaultWeight);
  return items.flatMap((item, i) => ((percents[i] ?? 0) > 0 ? [{ target: item.target, percent: percents[i] ?? 0 }] : []));
}

/** The same split as percents, one per destination in order (zeros kept; all zeros when all-zero). */
export function destinationShares(weights: readonly (number | undefined)[], defaultWeight = 0): number[] {
  if (weights.length === 1 && defaultWeight === 0) return [100];
  const w = weights.map((x) => Math.max(0, x ?? defaultWeight));
  const sum = w.reduce((a, b) => a + b, 0);
  return sum === 0 ? w.map(() => 0) : w.map((x) => (x * 100) / sum);
}

/** The split of a VirtualService rule's `route` list. */
export function routeShares(route: readonly JsonValue[]): number[] {
  return destinationShares(route.map((d) => (isObject(d) && typeof d.weight === "number" ? d.weight : undefined)));
}
