import { startAppHarness } from "../test/support/start-app-harness.ts";
import type { MeshRepo } from "./generate-mesh-repo.ts";

export interface AppReviewFigures {
  readonly repoFiles: number;
  readonly changedFiles: number;
  /** API calls and webhook-to-comment time of the first review (the mesh index is built then). */
  readonly opened: { readonly calls: number; readonly ms: number; readonly endpoints: readonly string[] };
  /** The same for a push to the pull request (index reused). */
  readonly pushed: { readonly calls: number; readonly ms: number; readonly endpoints: readonly string[] };
}

function shift(content: string, to: number): string {
  let n = 0;
  return content.replace(/weight: \d+\b/g, () => `weight: ${n++ % 2 === 0 ? to : 100 - to}`);
}

/**
 * Issue 4 §2: what a typical pull request (`changed` mesh files) costs in GitHub API calls, reads and
 * writes, with the App as users run it: the Worker bundle in workerd, GitHub simulated over HTTP.
 */
export async function measureAppReview(repo: MeshRepo, changed = 20): Promise<AppReviewFigures> {
  const app = await startAppHarness();
  try {
    const files = Object.fromEntries(repo.files.map((f) => [f.path, f.content]));
    await app.github.createRepository("bench", "mesh", files);
    await app.github.installApp("bench", ["mesh"]);
    const weighted = repo.files.filter((f) => /weight: \d+/.test(f.content)).slice(0, changed);
    const change = (to: number) => Object.fromEntries(weighted.map((f) => [f.path, shift(f.content, to)]));
    // Times from the event that starts a review to the comment naming its head; counts every API call in between.
    const review = async (start: () => Promise<string>) => {
      const mark = app.github.requests.length;
      const started = Date.now();
      const { calls } = await app.reviewed("bench", "mesh", 1, await start(), mark, 120_000);
      return { calls: calls.length, ms: Date.now() - started, endpoints: calls.map((c) => `${c.method} ${c.path.replace(/[0-9a-f]{40}/, "{sha}")}`) };
    };
    const opened = await review(async () => {
      const sha = await app.github.commit("bench", "mesh", "canary", change(60), "shift canaries");
      await app.github.openPullRequest("bench", "mesh", { head: "canary", title: "Shift canaries" });
      return sha;
    });
    const pushed = await review(async () => (await app.github.pushToPullRequest("bench", "mesh", 1, change(70), "more")).sha);
    return { repoFiles: repo.files.length, changedFiles: weighted.length, opened, pushed };
  } finally {
    await app.stop();
  }
}
