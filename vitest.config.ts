import { defineConfig } from "vitest/config";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { generateKeyPairSync } from "node:crypto";

// A throwaway App key in GitHub's download format (PKCS#1), so the Worker's conversion is exercised.
const appKey = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs1", format: "pem" } });

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
            miniflare: {
              bindings: {
                CHECK_API: "on",
                GITHUB_APP_ID: "4242",
                GITHUB_PRIVATE_KEY: appKey.privateKey,
                GITHUB_WEBHOOK_SECRET: "It's a Secret to Everybody",
                // Nothing listens here: Worker tests stop at the webhook's answer; the simulator e2e covers the rest.
                GITHUB_API_URL: "http://127.0.0.1:9",
                TEST_APP_PUBLIC_KEY: appKey.publicKey,
              },
            },
          }),
        ],
        test: { name: "workers", include: ["test/worker/**/*.test.ts"], globalSetup: ["./test/support/worker-global-setup.ts"] },
      },
    ],
  },
});
