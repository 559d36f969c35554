import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { VERSION } from "../../src/version.ts";

it("reports the version package.json declares", async () => {
  const pkg = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
  expect(VERSION).toBe(pkg.version);
});
