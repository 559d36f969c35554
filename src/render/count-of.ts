/** "1 error", "1,450 errors": a count with its noun, in the number format of the rest of the review. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? singular : plural}`;
}
