import { defineConfig } from "vitest/config";
import { cloudflareTest } from "@cloudflare/vitest-plugin";

// Two projects: the pure core and CLI in Node, and the Worker inside real workerd.
export default defineConfig({
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      {
        test: { name: "node", include: ["test/unit/**/*.test.ts", "test/e2e/**/*.test.ts"], environment: "node" },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: { CHECK_API: "on" } },
          }),
        ],
        test: { name: "workers", include: ["test/worker/**/*.test.ts"], globalSetup: ["./test/support/worker-global-setup.ts"] },
      },
    ],
  },
});
