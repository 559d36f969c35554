import { readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { SourceFile } from "../mesh/parse-documents.ts";
import { CONFIG_FILE, isMeshPath } from "../policy/is-mesh-path.ts";
import { type ConfigEdit, policyOptions } from "../policy/policy-options.ts";
import type { PolicyOptions } from "../review/check-config.ts";
import type { Finding } from "../review/finding.ts";
import type { CheckArgs } from "./parse-args.ts";
import { gitTopLevel, readGitFile } from "./read-git-ref.ts";
import { InputError } from "./read-source-files.ts";

/** The rules that judge a run, and which of each side's files are mesh config by their `paths`. */
export interface Rules {
  /** Undefined with `--no-policies`. */
  readonly policy?: PolicyOptions;
  /** What reading `.meshgate.yaml` found, and MG5101 when the change edits it. */
  readonly findings: readonly Finding[];
  readonly selectHead: (files: readonly SourceFile[]) => SourceFile[];
  readonly selectBase: (files: readonly SourceFile[]) => SourceFile[];
}

/** One side's repository root, its `.meshgate.yaml` (undefined: none), and how findings name that file. */
interface Side {
  readonly root: string;
  readonly text: string | undefined;
  readonly label: string;
}

/**
 * Reads the rules as the App does. With `--base`, the base's `.meshgate.yaml` judges the change (a
 * change cannot loosen the rules that judge it) and a head that adds, edits or deletes it is reported
 * (MG5101). `--config FILE` names the rules outright. Files are chosen on each side by the judging
 * `paths`, matched from that side's root, and `.meshgate.yaml` itself is never read as a manifest.
 *
 * Roots: with a git ref, the repository's top folder on both sides; with a folder, the base folder and
 * the head's one folder PATH (else the working directory); without `--base`, the working directory.
 */
export async function readRules(args: CheckArgs, cwd: string): Promise<Rules> {
  const today = new Date().toISOString().slice(0, 10);
  const { head, base } = await sides(args, cwd);
  let judge = base ?? head;
  if (args.config !== undefined) {
    const text = await readFile(resolve(cwd, args.config), "utf8").catch(() => undefined);
    if (text === undefined) throw new InputError(`--config ${args.config}: cannot be read`);
    judge = { root: cwd, text, label: args.config };
  }
  const edit = base && args.config === undefined ? configEdit(base.text, head.text) : undefined;
  const read = policyOptions({ file: judge.label, text: judge.text, today, ...(edit ? { editedByChange: edit, editedFile: head.label } : {}) });
  const globs = read.policy.config.paths;
  const select = (side: Side) => (files: readonly SourceFile[]) => files.filter((f) => isMeshPath(fromRoot(side.root, cwd, f.path), globs));
  return {
    ...(args.policies ? { policy: read.policy } : {}),
    findings: args.policies ? read.findings : [],
    selectHead: select(head),
    selectBase: select(base ?? head),
  };
}

async function sides(args: CheckArgs, cwd: string): Promise<{ head: Side; base?: Side }> {
  if (args.base === undefined) return { head: await folderSide(cwd, cwd) };
  if (await isFolder(resolve(cwd, args.base))) {
    const [only, ...more] = args.paths;
    const headRoot = only !== undefined && more.length === 0 && (await isFolder(resolve(cwd, only))) ? resolve(cwd, only) : cwd;
    return { head: await folderSide(headRoot, cwd), base: await folderSide(resolve(cwd, args.base), cwd) };
  }
  const top = await gitTopLevel(cwd);
  const text = await readGitFile(args.base, CONFIG_FILE, cwd);
  return { head: await folderSide(top, cwd), base: { root: top, text, label: `${CONFIG_FILE} (at ${args.base})` } };
}

async function folderSide(root: string, cwd: string): Promise<Side> {
  const path = join(root, CONFIG_FILE);
  return { root, text: await readFile(path, "utf8").catch(() => undefined), label: relative(cwd, path).split(sep).join("/") };
}

function configEdit(base: string | undefined, head: string | undefined): ConfigEdit | undefined {
  if (base === head) return undefined;
  return base === undefined ? "added" : head === undefined ? "deleted" : "edited";
}

/** A file's path (relative to `cwd`, as read) from a side's root, the way `paths` globs are written. */
function fromRoot(root: string, cwd: string, path: string): string {
  return relative(root, resolve(cwd, path)).split(sep).join("/");
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
