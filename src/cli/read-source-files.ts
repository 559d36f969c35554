import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { SourceFile } from "../mesh/parse-documents.ts";

/** A path the user named that cannot be read: an input error (exit 2). */
export class InputError extends Error {
  override readonly name = "InputError";
}

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_DIRS: ReadonlySet<string> = new Set([".git", "node_modules"]);

/**
 * Reads the named files, and folders recursively (`*.yaml`, `*.yml`), as raw bytes (the parser checks
 * encoding and size). Paths in findings are relative to `cwd`, with forward slashes.
 */
export async function readSourceFiles(paths: readonly string[], cwd: string): Promise<SourceFile[]> {
  const found = new Set<string>();
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let info;
    try {
      info = await stat(abs);
    } catch {
      throw new InputError(`${p}: no such file or folder`);
    }
    if (info.isDirectory()) for (const f of await listYaml(abs)) found.add(f);
    else found.add(abs);
  }
  const files: SourceFile[] = [];
  for (const abs of [...found].sort()) {
    let content: Uint8Array;
    try {
      content = await readFile(abs);
    } catch (error) {
      throw new InputError(`${relative(cwd, abs)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    files.push({ path: relative(cwd, abs).split(sep).join("/") || abs, content });
  }
  return files;
}

async function listYaml(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...(await listYaml(full)));
    } else if (entry.isFile() && YAML_FILE.test(entry.name)) out.push(full);
  }
  return out;
}
