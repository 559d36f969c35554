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
  if (items.length === 1 && defaultWeight === 0) return [{ target: (items[0] as Weighted<T>).target, percent: 100 }];
  const weights = items.map((i) => Math.max(0, i.weight ?? defaultWeight));
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return [];
  return items.flatMap((item, i) => ((weights[i] ?? 0) > 0 ? [{ target: item.target, percent: ((weights[i] ?? 0) * 100) / sum }] : []));
}
