import { execFile } from "node:child_process";
import { relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import type { SourceFile } from "../mesh/parse-documents.ts";
import { InputError } from "./read-source-files.ts";

const run = promisify(execFile);
const YAML_FILE = /\.ya?ml$/i;

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run("git", args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" });
    return stdout;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split("\n")[0] ?? "git failed";
    throw new InputError(`--base: ${detail}`);
  }
}

/** The top folder of the git repository holding `cwd` (InputError outside one). */
export async function gitTopLevel(cwd: string): Promise<string> {
  return (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
}

/**
 * The YAML files under `paths` as they are at `ref` in the git repository holding `cwd`, with the same
 * relative paths as the working tree's, so base and head line up file by file.
 */
export async function readGitRef(ref: string, paths: readonly string[], cwd: string): Promise<SourceFile[]> {
  const top = await gitTopLevel(cwd);
  await git(top, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  const specs = paths.map((p) => relative(top, resolve(cwd, p)).split(sep).join("/") || ".");
  const listed = (await git(top, ["ls-tree", "-r", "-z", "--name-only", ref, "--", ...specs])).split("\0").filter((f) => YAML_FILE.test(f));
  const files: SourceFile[] = [];
  for (const path of listed) {
    const { stdout } = await run("git", ["show", `${ref}:${path}`], { cwd: top, encoding: "buffer", maxBuffer: 256 * 1024 * 1024 });
    files.push({ path: relative(cwd, resolve(top, path)).split(sep).join("/"), content: new Uint8Array(stdout) });
  }
  return files;
}

/** One file at `ref`, by its path from the repository root; undefined when it does not exist there. */
export async function readGitFile(ref: string, path: string, cwd: string): Promise<string | undefined> {
  const top = await gitTopLevel(cwd);
  try {
    const { stdout } = await run("git", ["show", `${ref}:${path}`], { cwd: top, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch {
    return undefined;
  }
}
