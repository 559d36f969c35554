import { buildConfigSet, type ConfigSet } from "../mesh/config-set.ts";
import { defaultResources } from "../mesh/default-resources.ts";
import { isObject } from "../mesh/json.ts";
import { DEFAULT_MESH_CONFIG, isIstioConfigMap, type MeshConfig, parseMeshConfigText, readMeshConfig } from "../mesh/mesh-config.ts";
import type { ParseLimits } from "../mesh/parse-limits.ts";
import { type ParsedFile, parseDocuments, type SourceFile, type Yaml11Boolean } from "../mesh/parse-documents.ts";
import type { Resource } from "../mesh/resource.ts";
import type { Analyzer } from "../validation/analyzer.ts";
import { duplicateResourceAnalyzer } from "../validation/duplicate-resource-analyzer.ts";
import { ISTIO_ANALYZERS } from "../validation/analyzers/istio-analyzers.ts";
import { KIALI_CHECKS } from "../validation/kiali/kiali-checks.ts";
import { validateSchema } from "../validation/schema/validate-schema.ts";
import { validateWebhook } from "../validation/webhook/validate-webhook.ts";
import { evaluatePolicies, type PolicyResult } from "../policy/evaluate-policies.ts";
import type { MeshgateConfig } from "../policy/read-meshgate-config.ts";
import type { Policy } from "../policy/policy.ts";
import { type Finding, findingAt } from "./finding.ts";
import { sortFindings } from "./sort-findings.ts";
import { suppressFindings } from "./suppress-findings.ts";

export interface CheckOptions {
  /** MeshConfig; else the `istio` ConfigMap in the set, else Istio's defaults. */
  readonly meshConfig?: MeshConfig;
  readonly limits?: Partial<ParseLimits>;
  /** Namespace for namespaced resources that give none; "" keeps them namespace-less (istioctl `-A`). */
  readonly defaultNamespace?: string;
  /** Cross-resource checks to run; all of them by default. */
  readonly analyzers?: readonly Analyzer[];
  /** The moment certificates are judged valid or expired at; the wall clock by default. */
  readonly now?: Date;
  /** Policies to evaluate (none unless given), tuned by the repo's config, judged as of `today`. */
  readonly policy?: PolicyOptions;
}

export interface PolicyOptions {
  readonly policies: readonly Policy[];
  readonly config: MeshgateConfig;
  /** YYYY-MM-DD: exemptions expire against it. */
  readonly today: string;
  /** The base set, for change-aware rules (`oldObject`). */
  readonly base?: ConfigSet;
}

export interface CheckResult {
  readonly findings: Finding[];
  readonly set: ConfigSet;
  readonly files: number;
  readonly policies: readonly PolicyResult[];
}

export const ALL_ANALYZERS: readonly Analyzer[] = [duplicateResourceAnalyzer, ...ISTIO_ANALYZERS, ...KIALI_CHECKS];

/** The review engine: text → resources → findings (parse, schema, webhook rules, analyzers, Kiali). */
export function checkConfig(files: readonly SourceFile[], options: CheckOptions = {}): CheckResult {
  return checkParsed(files.map((file) => parseFile(file, options)), options);
}

/** One file's resources and parse findings, under the check's limits and default namespace. */
export function parseFile(file: SourceFile, options: CheckOptions): ParsedFile {
  return parseDocuments(file, {
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.defaultNamespace !== undefined ? { defaultNamespace: options.defaultNamespace } : {}),
  });
}

/** `checkConfig` after parsing: a review parses a file unchanged by the change once for both sides. */
export function checkParsed(files: readonly ParsedFile[], options: CheckOptions = {}): CheckResult {
  const findings: Finding[] = files.flatMap((f) => f.findings);
  const resources: Resource[] = files.flatMap((f) => f.resources);
  const fromSet = readMeshConfigMap(resources);
  findings.push(...fromSet.findings);
  const meshConfig = options.meshConfig ?? fromSet.meshConfig ?? DEFAULT_MESH_CONFIG;
  const set = buildConfigSet([...resources, ...defaultResources(meshConfig)], meshConfig, options.now);
  const explain = yaml11Explainer(files.flatMap((f) => f.yaml11Booleans ?? []));
  for (const resource of set.resources) {
    if (resource.synthetic) continue;
    const schema = validateSchema(resource);
    // The CRD's CEL rules and Istio's webhook often reject the same mistake; kubectl shows whichever
    // layer answers first, so one error per field is the honest count. Errors on other fields of the
    // same line (`{a: -1, b: 200}`) are separate mistakes and all stay.
    const schemaPaths = new Set(schema.filter((f) => f.severity === "error").map((f) => f.path ?? ""));
    const webhook = validateWebhook(resource).filter((f) => f.severity !== "error" || !schemaPaths.has(f.path ?? ""));
    findings.push(...schema.map(explain), ...webhook.map(explain));
  }
  for (const analyzer of options.analyzers ?? ALL_ANALYZERS) findings.push(...analyzer.analyze(set));
  let policies: PolicyResult[] = [];
  if (options.policy) {
    const { config, today, base } = options.policy;
    const evaluated = evaluatePolicies({
      policies: [...options.policy.policies, ...config.custom],
      settings: config.policies,
      head: set,
      ...(base ? { base } : {}),
      today,
      rolloutsOn: () => config.rollout.mode !== "off",
    });
    findings.push(...evaluated.findings);
    policies = evaluated.results;
  }
  return { findings: sortFindings(suppressFindings(findings, set)), set, files: files.length, policies };
}

/**
 * A finding on a field whose value was a plain `yes`/`no`/`on`/`off`/`y`/`n` says so: kubectl reads
 * those as booleans (go-yaml v2), so the API server rejects them where a string belongs, and a user
 * who sees only "must be of type string" looks at a value that seems to be one.
 */
function yaml11Explainer(words: readonly Yaml11Boolean[]): (finding: Finding) => Finding {
  if (words.length === 0) return (finding) => finding;
  const byPosition = new Map(words.map((w) => [`${w.file}\u0000${w.line}\u0000${w.column}`, w]));
  return (finding) => {
    const at = byPosition.get(`${finding.file}\u0000${finding.line}\u0000${finding.column}`);
    if (!at) return finding;
    return { ...finding, message: `${finding.message} (\`${at.word}\` is read as the boolean ${at.value} by kubectl, as in YAML 1.1; quote it: "${at.word}")` };
  };
}

interface MeshConfigMap {
  readonly meshConfig?: MeshConfig;
  readonly findings: Finding[];
}

/**
 * Istio keeps its MeshConfig in the `istio` ConfigMap of the root namespace, under `data.mesh`. A text
 * there that is not a MeshConfig is reported on `data.mesh` (istiod could not load it either), and the
 * checks go on with Istio's defaults, as `--mesh-config` with the same text would refuse to.
 */
function readMeshConfigMap(resources: readonly Resource[]): MeshConfigMap {
  const cm = resources.find(isIstioConfigMap);
  const data = cm?.body.data;
  if (!cm || !isObject(data) || typeof data.mesh !== "string") return { findings: [] };
  const read = parseMeshConfigText(data.mesh);
  if (read.problem !== undefined) {
    return {
      findings: [findingAt(cm, ["data", "mesh"], {
        code: "MG1014",
        rule: "meshgate.MeshConfig",
        severity: "error",
        message: `data.mesh is not a valid MeshConfig: ${read.problem}; istiod cannot load it, and meshgate checks with Istio's defaults instead.`,
      })],
    };
  }
  return read.value ? { meshConfig: readMeshConfig(read.value), findings: [] } : { findings: [] }; // empty: Istio's defaults
}
