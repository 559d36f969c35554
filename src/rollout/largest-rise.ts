/** The largest gain of any destination's share in any one step, starting from `from` (percentage points). */
export function largestRise(from: readonly number[], steps: readonly (readonly number[])[]): number {
  let prev = from;
  let largest = 0;
  for (const step of steps) {
    step.forEach((w, i) => (largest = Math.max(largest, w - (prev[i] ?? 0))));
    prev = step;
  }
  return largest;
}
