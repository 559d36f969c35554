#!/usr/bin/env node
// The `meshgate` command. Node 22 (installed with the project) runs the TypeScript sources directly.
import { runCli } from "../src/cli/run-cli.ts";

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY),
  env: process.env,
});
process.exitCode = code;
