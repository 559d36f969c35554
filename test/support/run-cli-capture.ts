import { runCli } from "../../src/cli/run-cli.ts";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `meshgate` command in-process, capturing its output (no TTY, no colour). */
export async function runCliCapture(argv: readonly string[], cwd = process.cwd()): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    cwd,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTty: false,
    env: {},
  });
  return { code, stdout, stderr };
}
