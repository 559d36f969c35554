import { largestRise } from "./largest-rise.ts";
import { roundToHundred } from "./round-to-hundred.ts";

/**
 * The weight vectors of a stepped shift from `from` to `to` (each a list of percentages of one rule's
 * destinations, summing to 100): the fewest equal steps in which no destination gains more than
 * `maxStep` points, rounded to whole percents that still sum to 100. The last step is exactly `to`.
 * Flagger's linear model (`w_k = min(100, k·stepWeight)`) generalised to any number of destinations.
 */
export function stepWeights(from: readonly number[], to: readonly number[], maxStep: number): number[][] {
  // No step size to keep (0, negative, NaN from a bad parameter): one step, which the policy then judges.
  if (!(maxStep > 0)) return [[...to]];
  const rise = Math.max(0, ...to.map((t, i) => t - (from[i] ?? 0)));
  for (let n = Math.max(1, Math.ceil(rise / maxStep)); ; n++) {
    const steps: number[][] = [];
    for (let k = 1; k <= n; k++) steps.push(k === n ? [...to] : roundToHundred(to.map((t, i) => (from[i] ?? 0) + ((t - (from[i] ?? 0)) * k) / n)));
    if (largestRise(from, steps) <= maxStep) return steps;
    if (n > 100) return steps; // a step under 1 point cannot be kept in whole percents: give up, the policy judges
  }
}
