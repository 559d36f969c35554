import type { ParseLimits } from "../mesh/parse-limits.ts";
import type { FailOn } from "../review/summarize-findings.ts";

export type OutputFormat = "text" | "json" | "markdown" | "sarif" | "github";

export interface CheckArgs {
  readonly command: "check";
  readonly paths: readonly string[];
  readonly base?: string;
  readonly config?: string;
  readonly meshConfig?: string;
  readonly format: OutputFormat;
  readonly failOn: FailOn;
  readonly output?: string;
  readonly namespace: string;
  readonly color?: boolean;
  readonly policies: boolean;
  readonly limits: Partial<ParseLimits>;
}

export type ParsedArgs = CheckArgs | { readonly command: "help" } | { readonly command: "version" };

/** A usage problem: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const USAGE = `Usage: meshgate check [PATH ...] [options]

Checks Istio and Gateway API manifests (files, or folders read recursively for *.yaml/*.yml) as one
configuration set: YAML, Istio's CRD schemas and webhook rules, istioctl analyze and Kiali checks.

Options:
  --base REF_OR_DIR          Review the change from this git ref or folder to PATHs
  --config FILE              The repo's .meshgate.yaml (default: the base's, or ./.meshgate.yaml)
  --no-policies              Skip policies: only parse, schema and Istio/Kiali checks
  --mesh-config FILE         Istio MeshConfig (or the istio ConfigMap) to check against
  --format text|json|markdown|sarif|github
                             Output format (default: text); markdown is the PR comment
                             (needs --base); github prints workflow commands
  --fail-on error|warning|info|never
                             Exit 1 when a finding is at or above this level (default: error)
  --output FILE              Write the report to FILE instead of standard output
  -n, --namespace NS         Namespace for manifests that give none (default: default)
  --max-file-bytes N         Largest file read (default: 4194304)
  --max-documents N          Most YAML documents read per file (default: 10000)
  --max-aliases N            Most YAML alias expansions per document (default: 100)
  --color / --no-color       Force colour on or off (default: on for a terminal)
  -h, --help                 Show this help
  --version                  Show the version

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error.`;

function count(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number, not "${value}"`);
  return n;
}

const FORMATS: readonly OutputFormat[] = ["text", "json", "markdown", "sarif", "github"];
const FAIL_ON: readonly FailOn[] = ["error", "warning", "info", "never"];

function pick<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) throw new UsageError(`${flag} needs a value: ${allowed.join("|")}`);
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join("|")}, not "${value}"`);
  return value as T;
}

/** Parses `meshgate` arguments (without the node and script paths). Pure: throws UsageError. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") return { command: "help" };
  if (command === "--version" || command === "version") return { command: "version" };
  if (command !== "check") throw new UsageError(`unknown command "${command}"`);
  const paths: string[] = [];
  const opts: { -readonly [K in keyof CheckArgs]?: CheckArgs[K] } = {};
  const limits: { -readonly [K in keyof ParseLimits]?: number } = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? rest[++i];
      if (v === undefined || (inline === undefined && v.startsWith("-") && v !== "-")) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "-h":
      case "--help":
        return { command: "help" };
      case "--base":
        opts.base = value();
        break;
      case "--config":
        opts.config = value();
        break;
      case "--mesh-config":
        opts.meshConfig = value();
        break;
      case "--format":
        opts.format = pick("--format", value(), FORMATS);
        break;
      case "--fail-on":
        opts.failOn = pick("--fail-on", value(), FAIL_ON);
        break;
      case "--output":
      case "-o":
        opts.output = value();
        break;
      case "-n":
      case "--namespace":
        opts.namespace = value();
        break;
      case "--max-file-bytes":
        limits.maxFileBytes = count(flag, value());
        break;
      case "--max-documents":
        limits.maxDocumentsPerFile = count(flag, value());
        break;
      case "--max-aliases":
        limits.maxAliasCount = count(flag, value());
        break;
      case "--no-policies":
        opts.policies = false;
        break;
      case "--color":
        opts.color = true;
        break;
      case "--no-color":
        opts.color = false;
        break;
      default:
        if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option "${arg}"`);
        paths.push(arg);
    }
  }
  const format = opts.format ?? "text";
  if (format === "markdown" && opts.base === undefined) throw new UsageError("--format markdown renders a change review: give --base REF_OR_DIR");
  return {
    command: "check",
    paths: paths.length > 0 ? paths : ["."],
    format,
    failOn: opts.failOn ?? "error",
    namespace: opts.namespace ?? "default",
    policies: opts.policies ?? true,
    limits,
    ...(opts.base !== undefined ? { base: opts.base } : {}),
    ...(opts.config !== undefined ? { config: opts.config } : {}),
    ...(opts.meshConfig !== undefined ? { meshConfig: opts.meshConfig } : {}),
    ...(opts.output !== undefined ? { output: opts.output } : {}),
    ...(opts.color !== undefined ? { color: opts.color } : {}),
  };
}
