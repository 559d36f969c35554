import { readFile, stat, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { isObject } from "../mesh/json.ts";
import { type MeshConfig, type MeshConfigText, parseMeshConfigText, readMeshConfig } from "../mesh/mesh-config.ts";
import { renderGithub } from "../render/render-github.ts";
import { renderJson } from "../render/render-json.ts";
import { renderSarif } from "../render/render-sarif.ts";
import { renderReviewText } from "../render/render-review-text.ts";
import { breakageOf } from "../render/review-verdict.ts";
import { renderText } from "../render/render-text.ts";
import { checkConfig } from "../review/check-config.ts";
import { shouldFail, summarizeFindings } from "../review/summarize-findings.ts";
import { type CheckArgs, parseArgs, USAGE, UsageError } from "./parse-args.ts";
import { readGitRef } from "./read-git-ref.ts";
import { readRules } from "./read-rules.ts";
import { InputError, readSourceFiles } from "./read-source-files.ts";
import type { SourceFile } from "../mesh/parse-documents.ts";
import { renderMarkdown } from "../render/render-markdown.ts";
import { renderReviewJson } from "../render/render-review-json.ts";
import { reviewChange } from "../review/review-change.ts";
import type { Finding } from "../review/finding.ts";
import { VERSION } from "../version.ts";

export interface CliIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTty: boolean;
  /** The environment: NO_COLOR turns colour off (https://no-color.org). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The `meshgate` command. Returns the exit code: 0 clean, 1 findings at or above --fail-on, 2 usage or input error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.command === "help") {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (args.command === "version") {
      io.stdout(`meshgate ${VERSION}\n`);
      return 0;
    }
    return await runCheck(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`meshgate: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr(`meshgate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function runCheck(args: CheckArgs, io: CliIo): Promise<number> {
  const files = await readSourceFiles(args.paths, io.cwd);
  const meshConfig = args.meshConfig === undefined ? undefined : await loadMeshConfig(args.meshConfig, io.cwd);
  const rules = await readRules(args, io.cwd);
  const { policy, findings: configFindings } = rules;
  const selected = rules.selectHead(files);
  // The repo's `limits` apply, and a flag given on the command line overrides them.
  const limits = { ...policy?.config.limits, ...args.limits };
  const options = { defaultNamespace: args.namespace, limits, ...(meshConfig ? { meshConfig } : {}), ...(policy ? { policy } : {}) };
  if (args.base !== undefined) {
    const base = rules.selectBase(await readBase(args, io.cwd));
    return runReview(args, io, base, selected, options, configFindings);
  }
  const checked = checkConfig(selected, options);
  const result = { ...checked, findings: [...configFindings, ...checked.findings] };
  const resources = result.set.resources.filter((r) => !r.synthetic).length;
  const summary = summarizeFindings(result.findings, files.length, resources);
  const color = useColor(args, io);
  const report =
    args.format === "json"
      ? renderJson({ findings: result.findings, summary })
      : args.format === "sarif"
        ? renderSarif(result.findings, VERSION)
        : args.format === "github"
          ? renderGithub(result.findings)
          : renderText(result.findings, summary, { color });
  await emit(args, io, report);
  return shouldFail(result.findings, args.failOn) ? 1 : 0;
}

/** Colour when asked, else only for a terminal that has not set NO_COLOR, and never into a file. */
function useColor(args: CheckArgs, io: CliIo): boolean {
  return args.color ?? (args.output === undefined && io.isTty && !io.env.NO_COLOR);
}

/** The report to `--output`, or to standard output. */
async function emit(args: CheckArgs, io: CliIo, report: string): Promise<void> {
  if (args.output !== undefined) await writeFile(args.output, report);
  else io.stdout(report);
}

/** `--base`: a folder, else a git ref of the repository the PATHs are in. */
async function readBase(args: CheckArgs, cwd: string): Promise<SourceFile[]> {
  const base = args.base as string;
  const info = await stat(resolve(cwd, base)).catch(() => undefined);
  return info?.isDirectory() ? readSourceFiles([base], cwd) : readGitRef(base, args.paths, cwd);
}

/** A change review: the head checked, the change simulated; only findings the change brings can fail it. */
async function runReview(args: CheckArgs, io: CliIo, base: SourceFile[], head: SourceFile[], options: Parameters<typeof checkConfig>[1], configFindings: readonly Finding[]): Promise<number> {
  const reviewed = reviewChange(base, head, options);
  const review = { ...reviewed, findings: [...configFindings.map((f) => ({ ...f, isNew: true })), ...reviewed.findings] };
  const fresh = review.findings.filter((f) => f.isNew);
  const summary = summarizeFindings(review.findings, head.length, review.resources);
  const color = useColor(args, io);
  const report =
    args.format === "markdown"
      ? renderMarkdown(review)
      : args.format === "json"
        ? renderReviewJson(review, summary)
        : args.format === "sarif"
          ? renderSarif(fresh, VERSION)
          : args.format === "github"
            ? renderGithub(fresh)
            : renderReviewText(review, { color });
  await emit(args, io, report);
  const breaks = breakageOf(review);
  const broken = breaks.outages + breaks.conflicts > 0 && args.failOn !== "never";
  return broken || shouldFail(fresh, args.failOn) ? 1 : 0;
}

/** A MeshConfig file, or the `istio` ConfigMap that holds one under `data.mesh`. */
async function loadMeshConfig(path: string, cwd: string): Promise<MeshConfig> {
  let text: string;
  try {
    text = await readFile(new URL(path, `file://${cwd}/`), "utf8");
  } catch (error) {
    throw new InputError(`--mesh-config ${path}: ${error instanceof Error ? error.message.split("\n")[0] : "cannot be read"}`);
  }
  const mapping = (read: MeshConfigText) => {
    if (read.problem !== undefined) throw new InputError(`--mesh-config ${path}: not a MeshConfig: ${read.problem}`);
    if (!read.value) throw new InputError(`--mesh-config ${path}: not a MeshConfig (expected a YAML mapping)`);
    return read.value;
  };
  const data = mapping(parseMeshConfigText(text));
  const configMap = data.kind === "ConfigMap" && isObject(data.data) && typeof data.data.mesh === "string" ? data.data.mesh : undefined;
  return readMeshConfig(configMap === undefined ? data : mapping(parseMeshConfigText(configMap)));
}
