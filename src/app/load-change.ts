import type { SourceFile } from "../mesh/parse-documents.ts";
import { CONFIG_FILE, isMeshPath } from "../policy/is-mesh-path.ts";
import { DEFAULT_CONFIG, readMeshgateConfig } from "../policy/read-meshgate-config.ts";
import type { ChangedFile, PullRequestInfo, RepoGitHub } from "../github/repo-github.ts";
import { PULL_FILES_LIMIT } from "../github/repo-github.ts";
import { type FileRelations, indexFile, indexKey, type MeshIndex, relatedPaths, relationsOfFiles, rootNamespaceOf } from "./mesh-index.ts";

const YAML = /\.ya?ml$/i;

/** Where the repo's mesh index is kept between reviews. */
export interface IndexStore {
  load(): Promise<MeshIndex | undefined>;
  save(index: MeshIndex): Promise<void>;
}

/** Everything a review of one pull request needs, read from GitHub. */
export interface LoadedChange {
  /** The base's `.meshgate.yaml` (undefined: none), and whether the PR edits it. */
  readonly config: { readonly text: string | undefined; readonly edited: boolean };
  /** Mesh files the PR touches (head paths, and old paths of renames and removals). */
  readonly changed: ReadonlySet<string>;
  /** Base and head: the changed files on each side plus the unchanged files related to them. */
  readonly base: readonly SourceFile[];
  readonly head: readonly SourceFile[];
  readonly related: number;
  readonly notes: readonly string[];
}


function contentText(content: string | Uint8Array): string {
  return typeof content === "string" ? content : new TextDecoder().decode(content);
}

/**
 * Reads a pull request economically: its file list, then one GraphQL query for the base's
 * `.meshgate.yaml` and both sides of every changed YAML file, then the unchanged files the repo's
 * mesh index relates to them (at the base, which is what they are after merging). The index is built
 * once per repository and brought up to date from a comparison when the base moves.
 */
export async function loadChange(gh: RepoGitHub, pr: PullRequestInfo, store: IndexStore): Promise<LoadedChange> {
  const notes: string[] = [];
  const { files, truncated } = await gh.pullRequestFiles(pr.number);
  if (truncated) notes.push(`GitHub lists at most ${PULL_FILES_LIMIT.toLocaleString("en-US")} files of a pull request; files beyond those were not reviewed.`);
  const yaml = files.filter((f) => YAML.test(f.path) || (f.previousPath !== undefined && YAML.test(f.previousPath)));
  const configEdited = files.some((f) => f.path === CONFIG_FILE || f.previousPath === CONFIG_FILE);
  const baseExpr = (f: ChangedFile) => `${pr.baseSha}:${f.previousPath ?? f.path}`;
  const headExpr = (f: ChangedFile) => `${pr.headSha}:${f.path}`;
  const configExpr = `${pr.baseSha}:${CONFIG_FILE}`;
  const blobs = await gh.readBlobs([configExpr, ...yaml.flatMap((f) => [...(f.status === "added" ? [] : [baseExpr(f)]), ...(f.status === "removed" ? [] : [headExpr(f)])])]);
  const configContent = blobs.get(configExpr);
  const configText = configContent === null || configContent === undefined ? undefined : contentText(configContent);
  const globs = (configText === undefined ? DEFAULT_CONFIG : readMeshgateConfig(CONFIG_FILE, configText).config).paths;

  const mesh = yaml.filter((f) => isMeshPath(f.path, globs) || (f.previousPath !== undefined && isMeshPath(f.previousPath, globs)));
  const changed = new Set(mesh.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])));
  const base: SourceFile[] = [];
  const head: SourceFile[] = [];
  for (const f of mesh) {
    const before = blobs.get(baseExpr(f)) ?? undefined;
    const after = blobs.get(headExpr(f)) ?? undefined;
    if (before !== undefined) base.push({ path: f.previousPath ?? f.path, content: before });
    if (after !== undefined) head.push({ path: f.path, content: after });
  }
  const result = { config: { text: configText, edited: configEdited }, changed, notes };
  if (mesh.length === 0) return { ...result, base, head, related: 0 };

  const { index, contents } = await currentIndex(gh, pr.baseSha, globs, store);
  const relations = relationsOfFiles([...base, ...head]);
  const related = relatedPaths(index, relations, changed, rootNamespaceOf(index, relations));
  const fetched = await readAt(gh, pr.baseSha, related.filter((p) => !contents.has(p)));
  for (const path of related) {
    const content = contents.get(path) ?? fetched.get(path);
    if (content === undefined) continue;
    base.push({ path, content });
    head.push({ path, content });
  }
  return { ...result, base, head, related: related.length };
}

/** The files at `commit`, by path: those that exist (a deleted or unreadable one is left out). */
async function readAt(gh: RepoGitHub, commit: string, paths: readonly string[]): Promise<Map<string, string | Uint8Array>> {
  const blobs = await gh.readBlobs(paths.map((p) => `${commit}:${p}`));
  const out = new Map<string, string | Uint8Array>();
  for (const p of paths) {
    const content = blobs.get(`${commit}:${p}`);
    if (content !== null && content !== undefined) out.set(p, content);
  }
  return out;
}

/**
 * The mesh index at `commit`: stored, updated from a comparison (one call plus the changed files), or
 * built from the tree (one call plus the mesh files, which this review then reuses).
 */
async function currentIndex(gh: RepoGitHub, commit: string, globs: readonly string[], store: IndexStore): Promise<{ index: MeshIndex; contents: Map<string, string | Uint8Array> }> {
  const key = indexKey(globs);
  const loaded = await store.load();
  // An index built by an older meshgate, or under other mesh paths, is rebuilt rather than updated.
  const stored = loaded?.key === key ? loaded : undefined;
  if (stored?.commit === commit) return { index: stored, contents: new Map() };
  const diff = stored ? await gh.compareFiles(stored.commit, commit) : undefined;
  const files: Record<string, FileRelations> = {};
  let read: string[];
  if (stored && diff?.complete) {
    Object.assign(files, stored.files);
    const touched = diff.files.filter((f) => isMeshPath(f.path, globs) || (f.previousPath !== undefined && isMeshPath(f.previousPath, globs)));
    for (const f of touched) {
      delete files[f.path];
      if (f.previousPath) delete files[f.previousPath];
    }
    read = touched.filter((f) => f.status !== "removed" && isMeshPath(f.path, globs)).map((f) => f.path);
  } else {
    read = (await gh.treePaths(commit)).paths.filter((p) => isMeshPath(p, globs));
  }
  const contents = await readAt(gh, commit, read);
  for (const [path, content] of contents) files[path] = indexFile({ path, content });
  const index = { commit, key, files };
  await store.save(index);
  return { index, contents };
}
