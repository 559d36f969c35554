import type { RepoContext, Route } from "./route.ts";
import { read, repoRoute } from "./route.ts";
import type { ApiResponse } from "./api-response.ts";
import { apiError, notFound, ok } from "./api-response.ts";
import type { GitTreeEntry } from "./git-repository.ts";
import { encodePath } from "./render-commit.ts";
import { nodeId, WEB_URL } from "./render-user.ts";

/** "Between 1-100 MB: Only the raw or object custom media types are supported" (repos/get-content). */
const INLINE_CONTENT_LIMIT = 1024 * 1024;
/** "The limit for the tree array is 100,000 entries with a maximum size of 7 MB" (git/get-tree). */
const TREE_ENTRY_LIMIT = 100_000;

export const contentRoutes: Route[] = [
  repoRoute("GET", "/contents(?:/(?<path>.*))?", read("contents"), getContent),
  repoRoute("GET", "/git/trees/(?<sha>[^/]+)", read("contents"), (ctx) => {
    const treeish = (ctx.params["sha"] ?? "");
    if (ctx.repo.git.resolveTree(treeish) === null) return notFound();
    const recursive = (ctx.url.searchParams.get("recursive") ?? "") !== "" && ctx.url.searchParams.get("recursive") !== "0" && ctx.url.searchParams.get("recursive") !== "false";
    const { oid, entries } = ctx.repo.git.listTree(treeish, recursive);
    const base = `${ctx.state.apiUrl}/repos/${ctx.repo.fullName}`;
    return ok({
      sha: oid,
      url: `${base}/git/trees/${oid}`,
      tree: entries.slice(0, TREE_ENTRY_LIMIT).map((e) => ({
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.oid,
        ...(e.size === null ? {} : { size: e.size }),
        url: `${base}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.oid}`,
      })),
      truncated: entries.length > TREE_ENTRY_LIMIT,
    });
  }),
  repoRoute("GET", "/git/blobs/(?<sha>[0-9a-fA-F]{4,40})", read("contents"), (ctx) => {
    const object = ctx.repo.git.readObject(ctx.params["sha"] ?? "");
    if (object === null || object.type !== "blob") return notFound();
    if (isRaw(ctx)) return rawResponse(ctx, object.bytes);
    return ok({
      sha: object.oid,
      node_id: nodeId("B", Number.parseInt(object.oid.slice(0, 12), 16)),
      size: object.bytes.length,
      url: `${ctx.state.apiUrl}/repos/${ctx.repo.fullName}/git/blobs/${object.oid}`,
      content: base64Lines(object.bytes),
      encoding: "base64",
    });
  }),
  repoRoute("GET", "/git/ref/(?<ref>.+)", read("contents"), (ctx) => {
    const ref = `refs/${(ctx.params["ref"] ?? "")}`;
    const found = ctx.repo.git.readRef(ref);
    if (found === null) return notFound();
    const base = `${ctx.state.apiUrl}/repos/${ctx.repo.fullName}`;
    return ok({
      ref,
      node_id: nodeId("REF", found.oid.length + ref.length),
      url: `${base}/git/${ref}`,
      object: { type: found.type, sha: found.oid, url: `${base}/git/${found.type}s/${found.oid}` },
    });
  }),
];

function getContent(ctx: RepoContext): ApiResponse {
  const path = (ctx.params["path"] ?? "").replace(/\/+$/, "");
  const refParam = ctx.url.searchParams.get("ref");
  const ref = refParam === null || refParam === "" ? ctx.repo.defaultBranch : refParam;
  const commit = ctx.repo.git.resolveCommit(ref);
  if (commit === null) return apiError(404, `No commit found for the ref ${ref}`);
  const object = ctx.repo.git.readObject(path === "" ? `${commit}^{tree}` : `${commit}:${path}`);
  if (object === null) return notFound();
  if (object.type === "tree") {
    const entries = object.entries.map((entry) => describeEntry(ctx, ref, joinPath(path, entry.path), entry));
    return ok(entries);
  }
  if (object.type !== "blob") return notFound();
  if (isRaw(ctx)) return rawResponse(ctx, object.bytes);
  const name = path.slice(path.lastIndexOf("/") + 1);
  const tooLarge = object.bytes.length > INLINE_CONTENT_LIMIT;
  return ok({
    ...describeEntry(ctx, ref, path, { mode: "100644", type: "blob", oid: object.oid, size: object.bytes.length, path: name }),
    content: tooLarge ? "" : base64Lines(object.bytes),
    encoding: tooLarge ? "none" : "base64",
  });
}

function describeEntry(ctx: RepoContext, ref: string, path: string, entry: GitTreeEntry) {
  const api = `${ctx.state.apiUrl}/repos/${ctx.repo.fullName}`;
  const encoded = encodePath(path);
  const type = entry.type === "tree" ? "dir" : entry.type === "commit" ? "submodule" : entry.mode === "120000" ? "symlink" : "file";
  const self = `${api}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
  const git = entry.type === "commit" ? null : `${api}/git/${entry.type === "tree" ? "trees" : "blobs"}/${entry.oid}`;
  const html = `${WEB_URL}/${ctx.repo.fullName}/${entry.type === "tree" ? "tree" : "blob"}/${ref}/${encoded}`;
  return {
    type,
    size: entry.size ?? 0,
    name: entry.path.slice(entry.path.lastIndexOf("/") + 1),
    path,
    sha: entry.oid,
    url: self,
    git_url: git,
    html_url: html,
    download_url: type === "file" ? `https://raw.githubusercontent.com/${ctx.repo.fullName}/${ref}/${encoded}` : null,
    _links: { self, git, html },
  };
}

function joinPath(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}

/** The `raw` media types (`application/vnd.github.raw`, `…raw+json`, `…v3.raw`) return the bytes themselves. */
function isRaw(ctx: RepoContext): boolean {
  return /application\/vnd\.github(\.v3)?\.raw/.test(String(ctx.headers.accept ?? ""));
}

function rawResponse(ctx: RepoContext, bytes: Buffer): ApiResponse {
  // Recorded from api.github.com (octokit/fixtures, get-content): `Accept: application/vnd.github.v3.raw` is
  // answered as `application/vnd.github.v3.raw; charset=utf-8`. The body is never JSON, so `raw+json` is
  // answered without the `+json` suffix.
  const v3 = /application\/vnd\.github\.v3\.raw/.test(String(ctx.headers.accept ?? ""));
  const contentType = `application/vnd.github.${v3 ? "v3." : ""}raw; charset=utf-8`;
  return { status: 200, raw: { contentType, bytes }, headers: { "x-github-media-type": "github.v3; param=raw" } };
}

/** GitHub wraps base64 content at 60 characters per line. */
function base64Lines(bytes: Buffer): string {
  const text = bytes.toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 60) lines.push(text.slice(i, i + 60));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
