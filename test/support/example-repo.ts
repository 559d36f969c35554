import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** The files of an example folder as `path → text`, paths relative to it: a repository's initial commit. */
export async function exampleRepoFiles(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out[relative(root, path)] = await readFile(path, "utf8");
    }
  }
  await walk(root);
  return out;
}

/** 1-based line of the first line containing `needle`, so expectations follow the file, not a constant. */
export function lineOf(text: string, needle: string): number {
  const i = text.split("\n").findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not found`);
  return i + 1;
}

/** The demo change: shift the reviews canary from 90/10 to 60/40 (and fix the `wieght` typo on the way). */
export function shiftCanary(reviews: string): string {
  return reviews.replace("      weight: 90", "      weight: 60").replace("      wieght: 10", "      weight: 40");
}

/** The demo's second change: the mesh-wide PeerAuthentication goes from STRICT to PERMISSIVE. */
export function weakenMtls(security: string): string {
  return security.replace("mode: STRICT", "mode: PERMISSIVE");
}
