import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";

/** One object as `git cat-file --batch` reads it. */
export type GitObject =
  | { type: "blob"; oid: string; bytes: Buffer }
  | { type: "tree"; oid: string; entries: GitTreeEntry[] }
  | { type: "commit"; oid: string; commit: GitCommit }
  | { type: "tag"; oid: string };

export interface GitTreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  oid: string;
  /** Bytes, for blobs; trees and submodules have none. */
  size: number | null;
  path: string;
}

export interface GitPerson {
  name: string;
  email: string;
  /** ISO 8601, UTC, seconds precision as GitHub prints it. */
  date: string;
}

export interface GitCommit {
  oid: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

/** One changed file between two commits, as GitHub's diff entries need it. */
export interface GitFileChange {
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed";
  filename: string;
  previousFilename: string | null;
  /** Blob id on the new side (the old side for removals). */
  oid: string;
  additions: number;
  deletions: number;
  binary: boolean;
  /** Unified-diff hunks without the `diff --git` header, as GitHub's `patch` field; absent for binaries. */
  patch: string | null;
}

const EMPTY_ENV_CONFIG = { GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };

/**
 * A bare git repository driven by the git CLI, so that every SHA, tree, blob and commit the simulator
 * hands out is the one git itself computes. Calls are synchronous: GraphQL resolvers read objects
 * synchronously, and each call takes a few milliseconds.
 */
export class GitRepository {
  readonly dir: string;
  readonly #diffCache = new Map<string, GitFileChange[]>();

  constructor(dir: string, defaultBranch: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.#git(["init", "--quiet", "--bare", `--initial-branch=${defaultBranch}`]);
  }

  /** Commits `changes` (path → content, null deletes) on top of `parent` and points `branch` at the result. */
  commit(branch: string, parent: string | null, changes: Record<string, string | Uint8Array | null>, message: string, person: { name: string; email: string }, when: Date): string {
    const seconds = Math.floor(when.getTime() / 1000);
    const ident = `${person.name} <${person.email}> ${seconds} +0000`;
    const messageBytes = Buffer.from(message.endsWith("\n") ? message : `${message}\n`);
    const chunks: Buffer[] = [
      Buffer.from(`commit refs/heads/${branch}\nauthor ${ident}\ncommitter ${ident}\ndata ${messageBytes.length}\n`),
      messageBytes,
      Buffer.from(parent === null ? "" : `from ${parent}\n`),
    ];
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) {
        chunks.push(Buffer.from(`D ${quotePath(path)}\n`));
        continue;
      }
      const bytes = typeof content === "string" ? Buffer.from(content) : Buffer.from(content);
      chunks.push(Buffer.from(`M 100644 inline ${quotePath(path)}\ndata ${bytes.length}\n`), bytes, Buffer.from("\n"));
    }
    this.#git(["fast-import", "--quiet", "--date-format=raw"], Buffer.concat(chunks));
    return this.resolveCommit(`refs/heads/${branch}`) ?? fail(`fast-import did not create ${branch}`);
  }

  /** Moves or creates a branch (`git update-ref`). */
  setBranch(branch: string, oid: string): void {
    this.#git(["update-ref", `refs/heads/${branch}`, oid]);
  }

  branchHead(branch: string): string | null {
    return this.#revParse(`refs/heads/${branch}`);
  }

  branches(): string[] {
    const out = this.#git(["for-each-ref", "--format=%(refname:short)", "refs/heads/"]).toString();
    return out.split("\n").filter((line) => line !== "");
  }

  /** A full ref name (`refs/heads/x`, `refs/tags/y`) → object id, or null. */
  readRef(fullRef: string): { oid: string; type: string } | null {
    if (!/^refs\/(heads|tags)\/[^\0]+$/.test(fullRef)) return null;
    const out = this.#git(["for-each-ref", "--format=%(objectname) %(objecttype) %(refname)", fullRef]).toString().trim();
    const line = out.split("\n").find((l) => l.endsWith(` ${fullRef}`));
    if (line === undefined) return null;
    const [oid, type] = line.split(" ");
    return oid !== undefined && type !== undefined ? { oid, type } : null;
  }

  /** A branch, tag or (abbreviated) SHA → commit id, or null when git cannot resolve it. */
  resolveCommit(rev: string): string | null {
    if (rev === "" || rev.startsWith("-")) return null;
    return this.#revParse(`${rev}^{commit}`);
  }

  /** A commit, tree or ref → tree id, or null. */
  resolveTree(rev: string): string | null {
    if (rev === "" || rev.startsWith("-")) return null;
    return this.#revParse(`${rev}^{tree}`);
  }

  /** Reads any `git rev-parse` expression, including `<rev>:<path>`, through one `cat-file --batch`. */
  readObject(expression: string): GitObject | null {
    if (expression === "" || expression.includes("\n") || expression.startsWith("-")) return null;
    const out = this.#git(["cat-file", "--batch"], Buffer.from(`${expression}\n`));
    const headerEnd = out.indexOf(0x0a);
    const header = out.subarray(0, headerEnd).toString();
    const match = /^([0-9a-f]{40}) (blob|tree|commit|tag) (\d+)$/.exec(header);
    if (match === null) return null;
    const [, oid = "", type, size = "0"] = match;
    const content = out.subarray(headerEnd + 1, headerEnd + 1 + Number(size));
    if (type === "blob") return { type, oid, bytes: content };
    if (type === "tree") return { type, oid, entries: this.listTree(oid, false).entries };
    if (type === "commit") return { type, oid, commit: parseCommit(oid, content.toString()) };
    return { type: "tag", oid };
  }

  readBlob(oid: string): Buffer | null {
    const object = this.readObject(oid);
    return object?.type === "blob" ? object.bytes : null;
  }

  readCommit(oid: string): GitCommit | null {
    const object = this.readObject(oid);
    return object?.type === "commit" ? object.commit : null;
  }

  /** `git ls-tree -l -z` (with `-r -t` when recursive): entries in git's order. */
  listTree(treeish: string, recursive: boolean): { oid: string; entries: GitTreeEntry[] } {
    const oid = this.resolveTree(treeish) ?? fail(`no tree ${treeish}`);
    const args = ["ls-tree", "-l", "-z", ...(recursive ? ["-r", "-t"] : []), oid];
    const entries = this.#git(args).toString().split("\0").filter((l) => l !== "").map(parseTreeLine);
    return { oid, entries };
  }

  mergeBase(a: string, b: string): string | null {
    const result = this.#run(["merge-base", a, b]);
    return result.status === 0 ? result.stdout.toString().trim() : null;
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    return this.#run(["merge-base", "--is-ancestor", ancestor, descendant]).status === 0;
  }

  /** Commits reachable from `head` and not from `base`, oldest first (`git rev-list --reverse base..head`). */
  commitsBetween(base: string | null, head: string): string[] {
    const range = base === null ? [head] : [`${base}..${head}`];
    return this.#git(["rev-list", "--reverse", ...range]).toString().split("\n").filter((l) => l !== "");
  }

  /** Whether `head` merges cleanly into `base` (`git merge-tree --write-tree`, git ≥ 2.38). */
  mergesCleanly(base: string, head: string): boolean {
    return this.#run(["merge-tree", "--write-tree", base, head]).status === 0;
  }

  /**
   * Merges `theirs` into `branch` with a real merge commit (`merge-tree --write-tree`, `commit-tree`,
   * `update-ref`); null on conflicts, leaving the branch as it was.
   */
  mergeInto(branch: string, theirs: string, message: string, person: { name: string; email: string }, when: Date): string | null {
    const ours = this.branchHead(branch);
    if (ours === null) return null;
    const merged = this.#run(["merge-tree", "--write-tree", ours, theirs]);
    if (merged.status !== 0) return null;
    const tree = merged.stdout.toString().split("\n")[0] ?? "";
    const date = `${Math.floor(when.getTime() / 1000)} +0000`;
    const env = { GIT_AUTHOR_NAME: person.name, GIT_AUTHOR_EMAIL: person.email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: person.name, GIT_COMMITTER_EMAIL: person.email, GIT_COMMITTER_DATE: date };
    const commit = this.#git(["commit-tree", tree, "-p", ours, "-p", theirs, "-m", message], undefined, env).toString().trim();
    this.#git(["update-ref", `refs/heads/${branch}`, commit, ours]);
    return commit;
  }

  /** Files changed from `base` (null: the empty tree) to `head`, with rename detection as GitHub does. */
  diff(base: string | null, head: string): GitFileChange[] {
    const key = `${base ?? "root"}..${head}`;
    const cached = this.#diffCache.get(key);
    if (cached !== undefined) return cached;
    const from = base ?? this.#emptyTree();
    const common = ["diff-tree", "-r", "-M", "--no-color", "--no-ext-diff", from, head];
    const raw = this.#git([...common.slice(0, 1), "-z", "--raw", ...common.slice(1)]).toString().split("\0");
    const numstat = this.#git([...common.slice(0, 1), "-z", "--numstat", ...common.slice(1)]).toString().split("\0");
    const patches = splitPatches(this.#git([...common.slice(0, 1), "-p", ...common.slice(1)]).toString());
    const changes = parseRawDiff(raw).map((entry, index): GitFileChange => {
      const stat = readNumstat(numstat, index);
      return { ...entry, additions: stat.additions, deletions: stat.deletions, binary: stat.binary, patch: stat.binary ? null : (patches[index] ?? "") };
    });
    this.#diffCache.set(key, changes);
    return changes;
  }

  #emptyTree(): string {
    return this.#git(["hash-object", "-t", "tree", "-w", "--stdin"], Buffer.alloc(0)).toString().trim();
  }

  #revParse(expression: string): string | null {
    const result = this.#run(["rev-parse", "--verify", "--quiet", "--end-of-options", expression]);
    return result.status === 0 ? result.stdout.toString().trim() : null;
  }

  #run(args: string[]): { status: number | null; stdout: Buffer } {
    const result = spawnSync("git", args, { cwd: this.dir, env: { ...process.env, ...EMPTY_ENV_CONFIG }, maxBuffer: 1 << 30 });
    return { status: result.status, stdout: result.stdout };
  }

  #git(args: string[], input?: Buffer, env: Record<string, string> = {}): Buffer {
    return execFileSync("git", args, { cwd: this.dir, env: { ...process.env, ...EMPTY_ENV_CONFIG, ...env }, input, maxBuffer: 1 << 30, stdio: ["pipe", "pipe", "pipe"] });
  }
}

function fail(message: string): never {
  throw new Error(message);
}

/** fast-import takes C-style quoted paths; quoting every path keeps spaces and quotes intact. */
function quotePath(path: string): string {
  if (path === "" || path.startsWith("/") || path.split("/").some((part) => part === "" || part === "." || part === "..")) {
    throw new Error(`invalid path ${JSON.stringify(path)}`);
  }
  return `"${path.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

function parseTreeLine(line: string): GitTreeEntry {
  const tab = line.indexOf("\t");
  const [mode = "", type = "", oid = "", size = "-"] = line.slice(0, tab).split(/ +/);
  const kind = type === "tree" || type === "commit" ? type : "blob";
  return { mode, type: kind, oid, size: size === "-" ? null : Number(size), path: line.slice(tab + 1) };
}

function parseCommit(oid: string, text: string): GitCommit {
  const split = text.indexOf("\n\n");
  const headers = (split === -1 ? text : text.slice(0, split)).split("\n");
  const message = split === -1 ? "" : text.slice(split + 2);
  const parents: string[] = [];
  let tree = "";
  let author: GitPerson = { name: "", email: "", date: "" };
  let committer = author;
  for (const line of headers) {
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === "tree") tree = value;
    else if (key === "parent") parents.push(value);
    else if (key === "author") author = parsePerson(value);
    else if (key === "committer") committer = parsePerson(value);
  }
  return { oid, tree, parents, author, committer, message: message.replace(/\n$/, "") };
}

function parsePerson(value: string): GitPerson {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(value);
  if (match === null) return { name: value, email: "", date: new Date(0).toISOString() };
  const [, name = "", email = "", seconds = "0"] = match;
  return { name, email, date: new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") };
}

const STATUS: Record<string, GitFileChange["status"]> = { A: "added", D: "removed", M: "modified", R: "renamed", C: "copied", T: "changed" };

/** `diff-tree -z --raw`: ":<modes> <oids> <status>\0<path>\0[<new path>\0]" per file. */
function parseRawDiff(fields: string[]): Omit<GitFileChange, "additions" | "deletions" | "binary" | "patch">[] {
  const entries: Omit<GitFileChange, "additions" | "deletions" | "binary" | "patch">[] = [];
  let i = 0;
  // diff-tree prints the compared commit first when given one argument; with two it does not.
  while (i < fields.length) {
    const meta = fields[i] ?? "";
    if (!meta.startsWith(":")) {
      i++;
      continue;
    }
    const [, , oldOid = "", newOid = "", statusField = ""] = meta.slice(1).split(" ");
    const letter = statusField.charAt(0);
    const status = STATUS[letter] ?? "modified";
    if (letter === "R" || letter === "C") {
      entries.push({ status, previousFilename: fields[i + 1] ?? "", filename: fields[i + 2] ?? "", oid: newOid });
      i += 3;
    } else {
      entries.push({ status, previousFilename: null, filename: fields[i + 1] ?? "", oid: letter === "D" ? oldOid : newOid });
      i += 2;
    }
  }
  return entries;
}

/** `diff-tree -z --numstat`: "<add>\t<del>\t<path>\0" or, for renames, "<add>\t<del>\t\0<old>\0<new>\0". */
function readNumstat(fields: string[], wanted: number): { additions: number; deletions: number; binary: boolean } {
  let i = 0;
  let index = 0;
  while (i < fields.length) {
    const field = fields[i] ?? "";
    const match = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(field);
    if (match === null) {
      i++;
      continue;
    }
    const [, add = "0", del = "0", path = ""] = match;
    if (index === wanted) return add === "-" ? { additions: 0, deletions: 0, binary: true } : { additions: Number(add), deletions: Number(del), binary: false };
    i += path === "" ? 3 : 1;
    index++;
  }
  return { additions: 0, deletions: 0, binary: false };
}

/** Splits `diff-tree -p` output per file, keeping only the hunks (what GitHub puts in `patch`). */
function splitPatches(text: string): string[] {
  if (text === "") return [];
  const parts = text.split(/^diff --git /m).slice(1);
  return parts.map((part) => {
    const hunk = part.search(/^@@ /m);
    return hunk === -1 ? "" : part.slice(hunk).replace(/\n$/, "");
  });
}
