import { readFile } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import { readSourceFiles } from "../../src/cli/read-source-files.ts";
import { runCliCapture } from "./run-cli-capture.ts";

declare module "vitest" {
  export interface ProvidedContext {
    exampleFiles: { path: string; content: string }[];
    exampleCliReport: string;
    packageVersion: string;
  }
}

/** Runs in Node before the workerd tests: hands them the example repo and what the CLI says about it. */
export default async function setup(project: TestProject): Promise<void> {
  const files = await readSourceFiles(["examples/bookinfo"], process.cwd());
  const decoder = new TextDecoder();
  project.provide(
    "exampleFiles",
    files.map((f) => ({ path: f.path, content: typeof f.content === "string" ? f.content : decoder.decode(f.content) })),
  );
  const run = await runCliCapture(["check", "examples/bookinfo", "--format", "json", "--fail-on", "never"]);
  project.provide("exampleCliReport", run.stdout);
  project.provide("packageVersion", (JSON.parse(await readFile("package.json", "utf8")) as { version: string }).version);
}
