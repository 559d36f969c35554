import { DurableObject } from "cloudflare:workers";
import type { FileRelations, MeshIndex } from "./mesh-index.ts";

/** Paths per stored value: keeps each value far below the storage's per-value limit. */
const FILES_PER_CHUNK = 500;

/** One per repository: its mesh index, shared by the reviews of all its pull requests. */
export class MeshIndexStore extends DurableObject {
  async load(): Promise<MeshIndex | undefined> {
    const meta = await this.ctx.storage.get<{ commit: string; key?: string; chunks: number }>("meta");
    if (!meta) return undefined;
    const keys = Array.from({ length: meta.chunks }, (_, i) => `chunk:${i}`);
    const files: Record<string, FileRelations> = {};
    for (let i = 0; i < keys.length; i += 128) {
      const values = await this.ctx.storage.get<Record<string, FileRelations>>(keys.slice(i, i + 128));
      for (const chunk of values.values()) Object.assign(files, chunk);
    }
    return { commit: meta.commit, key: meta.key ?? "", files };
  }

  async save(index: MeshIndex): Promise<void> {
    const entries = Object.entries(index.files);
    const chunks: Record<string, Record<string, FileRelations>> = {};
    for (let i = 0; i < entries.length; i += FILES_PER_CHUNK) chunks[`chunk:${i / FILES_PER_CHUNK}`] = Object.fromEntries(entries.slice(i, i + FILES_PER_CHUNK));
    await this.ctx.storage.deleteAll();
    const names = Object.keys(chunks);
    for (let i = 0; i < names.length; i += 128) await this.ctx.storage.put(Object.fromEntries(names.slice(i, i + 128).map((n) => [n, chunks[n]])));
    await this.ctx.storage.put("meta", { commit: index.commit, key: index.key, chunks: names.length });
  }
}
