import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export interface BundleSize {
  readonly files: readonly string[];
  readonly raw: number;
  readonly gzip: number;
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Builds the Worker exactly as `wrangler deploy` would (`--dry-run` uploads nothing and needs no network) and
 * sizes the modules it would upload. Cloudflare's limit applies to the compressed upload, so gzip is the target.
 */
export function measureBundle(): BundleSize {
  const outdir = mkdtempSync(join(tmpdir(), "meshgate-bundle-"));
  try {
    execFileSync(join(ROOT, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", outdir], {
      cwd: ROOT,
      stdio: "pipe",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    const files = readdirSync(outdir, { recursive: true, encoding: "utf8" }).filter((f) => /\.(m?js|wasm)$/.test(f));
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const bytes = readFileSync(join(outdir, file));
      raw += bytes.byteLength;
      gzip += gzipSync(bytes).byteLength;
    }
    return { files, raw, gzip };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
