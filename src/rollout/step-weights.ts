import { roundToHundred } from "./round-to-hundred.ts";

/**
 * The weight vectors of a stepped shift from `from` to `to` (each a list of percentages of one rule's
 * destinations, summing to 100): the fewest equal steps in which no destination gains more than
 * `maxStep` points, rounded to whole percents that still sum to 100. The last step is exactly `to`.
 * Flagger's linear model (`w_k = min(100, k·stepWeight)`) generalised to any number of destinations.
 */
export function stepWeights(from: readonly number[], to: readonly number[], maxStep: number): number[][] {
  const rise = Math.max(0, ...to.map((t, i) => t - (from[i] ?? 0)));
  for (let n = Math.max(1, Math.ceil(rise / maxStep)); ; n++) {
    const steps: number[][] = [];
    for (let k = 1; k <= n; k++) steps.push(k === n ? [...to] : roundToHundred(to.map((t, i) => (from[i] ?? 0) + ((t - (from[i] ?? 0)) * k) / n)));
    if (withinStep(from, steps, maxStep)) return steps;
    if (n > 100) return steps; // cannot happen with whole percents; bounds the loop regardless
  }
}

function withinStep(from: readonly number[], steps: readonly number[][], maxStep: number): boolean {
  let prev = from;
  for (const step of steps) {
    if (step.some((w, i) => w - (prev[i] ?? 0) > maxStep)) return false;
    prev = step;
  }
  return true;
}
