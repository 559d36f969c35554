import { indexFile, type MeshIndex, relatedPaths, relationsOfFiles } from "../src/app/mesh-index.ts";
import type { SourceFile } from "../src/mesh/parse-documents.ts";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../src/render/render-markdown.ts";
import { reviewChange } from "../src/review/review-change.ts";
import type { MeshRepo } from "./generate-mesh-repo.ts";
import { timeMedians, type Timing } from "./time-median.ts";

export interface ChangeReviewFigures {
  readonly changed: number;
  readonly related: number;
  /** Reviewing the changed files by themselves. */
  readonly alone: Timing;
  /** Reviewing them in the repo as the App does: with the files the mesh index relates to them. */
  readonly inRepo: Timing;
  /** The largest synthetic change: every weighted route of the repo shifted. */
  readonly largest: { readonly files: number; readonly resources: number; readonly commentChars: number };
}

/** Shifts a canary: the first `weight: 50` of each weighted route to 60 and the second to 40. */
function shiftWeights(content: string): string {
  let n = 0;
  return content.replace(/weight: 50\b/g, () => (n++ % 2 === 0 ? "weight: 60" : "weight: 40"));
}

/**
 * Issue 3 §5: the cost of reviewing a change follows the change and what it references, not the
 * repo's size. A change to `count` mesh files spread over the repo, reviewed alone and in the repo.
 */
export function measureChangeReview(repo: MeshRepo, count = 10, runs = 15): ChangeReviewFigures {
  const weighted = repo.files.filter((f) => f.content.includes("weight: 50"));
  const step = Math.max(1, Math.floor(weighted.length / count));
  const base: SourceFile[] = weighted.filter((_, i) => i % step === 0).slice(0, count);
  const head = base.map((f) => ({ path: f.path, content: shiftWeights(f.content as string) }));
  const index: MeshIndex = { commit: "bench", key: "bench", files: Object.fromEntries(repo.files.map((f) => [f.path, indexFile(f)])) };
  const changed = new Set(base.map((f) => f.path));
  const related = new Set(relatedPaths(index, relationsOfFiles([...base, ...head]), changed, "istio-system"));
  const context = repo.files.filter((f) => related.has(f.path));
  const [alone, inRepo] = timeMedians([() => reviewChange(base, head), () => reviewChange([...base, ...context], [...head, ...context])], runs) as [Timing, Timing];
  const all = repo.files.map((f) => ({ path: f.path, content: shiftWeights(f.content) }));
  const largest = reviewChange(repo.files, all);
  const commentChars = renderMarkdown(largest, { marker: "meshgate:sticky" }).length;
  return { changed: base.length, related: related.size, alone, inRepo, largest: { files: weighted.length, resources: largest.changes.length, commentChars } };
}

export { GITHUB_COMMENT_LIMIT };
