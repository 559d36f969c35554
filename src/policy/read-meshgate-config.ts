import { isMap, LineCounter, type Node, parseDocument } from "yaml";
import { compileCel, createCelEnvironment } from "../cel/cel-environment.ts";
import { describeCelError } from "../cel/describe-cel-error.ts";
import { type FieldPath, formatFieldPath } from "../mesh/field-path.ts";
import { KNOWN_KINDS } from "../mesh/kinds.ts";
import { isObject, type JsonObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import { makeLocator } from "../mesh/locate-node.ts";
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from "../mesh/parse-limits.ts";
import { type Finding, findingInFile, type Severity } from "../review/finding.ts";
import { suggestFieldName } from "../validation/schema/suggest-field-name.ts";
import { builtinPolicies } from "./builtin-policies.ts";
import { checkJsonSchema } from "./check-json-schema.ts";
import type { Exemption, PolicySettings } from "./evaluate-policies.ts";
import { meshgateConfigSchema } from "./meshgate-config-schema.ts";
import type { Policy } from "./policy.ts";

export type RolloutMode = "git" | "kubernetes" | "off";

export interface RolloutSettings {
  readonly mode: RolloutMode;
  readonly deployBranch: string;
  readonly intervalSeconds: number;
  readonly analysis: JsonObject;
}

/** `.meshgate.yaml`, read and defaulted. */
export interface MeshgateConfig {
  readonly paths: readonly string[];
  readonly policies: ReadonlyMap<string, PolicySettings>;
  readonly custom: readonly Policy[];
  readonly rollout: RolloutSettings;
  /** Input bounds the repo sets (`limits`); the command line's flags override them. */
  readonly limits: Partial<ParseLimits>;
}

export const DEFAULT_CONFIG: MeshgateConfig = {
  paths: ["**/*.yaml", "**/*.yml"],
  policies: new Map(),
  custom: [],
  rollout: { mode: "git", deployBranch: "meshgate/live", intervalSeconds: 300, analysis: {} },
  limits: {},
};

const RULE = "meshgate.Config";
const KIND_NAMES: readonly string[] = [...new Set(KNOWN_KINDS.map((k) => k.kind))];
const customEnv = createCelEnvironment({ object: "dyn", oldObject: "dyn", params: "dyn", config: "dyn" });

function seconds(interval: string | undefined): number {
  const m = interval ? /^(\d+)(s|m|h)$/.exec(interval) : null;
  if (!m) return DEFAULT_CONFIG.rollout.intervalSeconds;
  return Number(m[1]) * (m[2] === "h" ? 3600 : m[2] === "m" ? 60 : 1);
}

/**
 * Reads `.meshgate.yaml` (always the base branch's) against its JSON Schema, with one entry per policy
 * of `policies` and its parameters' schemas. Problems are findings on their line. A value that breaks
 * the schema is not used: the setting falls back to its default (a wrong `maxStep` leaves the policy's
 * default step), and a list item with a fault (an exemption, a custom rule) is dropped whole, since half
 * of an exemption could excuse more than its author meant. YAML that does not parse gives the defaults.
 */
export function readMeshgateConfig(file: string, text: string, known: readonly Policy[] = builtinPolicies()): { config: MeshgateConfig; findings: Finding[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const findings: Finding[] = [];
  const report = (line: number, column: number, message: string, severity: Severity = "error") =>
    findings.push(findingInFile(file, line, column, { code: "MG5100", rule: RULE, severity, message }));
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = lineCounter.linePos(e.pos[0]);
      report(pos.line, pos.col, `${file} is not valid YAML: ${e.message.split("\n")[0] ?? ""}`);
    }
    return { config: DEFAULT_CONFIG, findings };
  }
  const data = (doc.toJS({ maxAliasCount: 100 }) ?? {}) as JsonValue;
  const locate = makeLocator(doc, (isMap(doc.contents) ? doc.contents : doc.contents ?? doc) as Node, lineCounter);
  const customIds = isObject(data) ? readArray(data.custom).flatMap((c) => (isObject(c) && typeof c.id === "string" ? [c.id] : [])) : [];
  const issues = checkJsonSchema(meshgateConfigSchema(known, customIds), data);
  for (const issue of issues) {
    const pos = locate(issue.path);
    report(pos.line, pos.column, `${issue.path.length > 0 ? formatFieldPath(issue.path) : file}: ${issue.message}`);
  }
  if (!isObject(data) || issues.some((i) => i.path.length === 0)) return { config: DEFAULT_CONFIG, findings };
  for (const issue of issues) prune(data, issue.path);

  const policies = new Map<string, PolicySettings>();
  for (const [id, value] of Object.entries(isObject(data.policies) ? data.policies : {})) {
    if (value === "off") {
      policies.set(id, { off: true });
      continue;
    }
    if (!isObject(value)) continue;
    const { severity, off, exempt, ...params } = value;
    const exemptions: Exemption[] = readArray(exempt).flatMap((e, i) =>
      isObject(e)
        ? [{
            reason: readString(e.reason) ?? "",
            until: readString(e.until) ?? "",
            file,
            line: locate(["policies", id, "exempt", i]).line,
            ...(readString(e.kind) ? { kind: readString(e.kind) as string } : {}),
            ...(readString(e.namespace) ? { namespace: readString(e.namespace) as string } : {}),
            ...(readString(e.name) ? { name: readString(e.name) as string } : {}),
          }]
        : [],
    );
    policies.set(id, {
      ...(off === true ? { off: true } : {}),
      ...(typeof severity === "string" ? { severity: severity as Severity } : {}),
      ...(Object.keys(params).length > 0 ? { params } : {}),
      ...(exemptions.length > 0 ? { exemptions } : {}),
    });
  }

  const custom: Policy[] = [];
  readArray(data.custom).forEach((c, i) => {
    if (!isObject(c)) return;
    const expression = readString(c.rule) ?? "";
    try {
      compileCel(expression, customEnv);
    } catch (error) {
      const pos = locate(["custom", i, "rule"]);
      report(pos.line, pos.column, `custom rule ${readString(c.id) ?? i}: ${describeCelError(error)}`);
      return;
    }
    const kinds = readArray(isObject(c.match) ? c.match.kinds : undefined);
    kinds.forEach((k, j) => {
      if (typeof k !== "string" || KIND_NAMES.includes(k)) return;
      const pos = locate(["custom", i, "match", "kinds", j]);
      const best = suggestFieldName(k, KIND_NAMES);
      report(pos.line, pos.column, `custom rule ${readString(c.id) ?? i}: meshgate reads no kind \`${k}\`, so the rule never runs${best ? `; did you mean \`${best}\`?` : ""}`, "warning");
    });
    custom.push({
      id: readString(c.id) ?? `custom-${i}`,
      code: "MG5900",
      title: readString(c.id) ?? `custom-${i}`,
      severity: (readString(c.severity) as Severity | undefined) ?? "error",
      description: `(custom rule in ${file})`,
      kinds: kinds.filter((k): k is string => typeof k === "string"),
      parameters: {},
      parameterSchemas: {},
      rules: [{ kind: "cel", expression, message: readString(c.message) ?? "custom rule failed", path: ["spec"] }],
    });
  });

  const rollout = isObject(data.rollout) ? data.rollout : {};
  const paths = readArray(data.paths).filter((p): p is string => typeof p === "string");
  return {
    config: {
      paths: paths.length > 0 ? paths : DEFAULT_CONFIG.paths,
      policies,
      custom,
      rollout: {
        mode: (readString(rollout.mode) as RolloutMode | undefined) ?? DEFAULT_CONFIG.rollout.mode,
        deployBranch: readString(rollout.deployBranch) ?? DEFAULT_CONFIG.rollout.deployBranch,
        intervalSeconds: seconds(readString(rollout.interval)),
        analysis: isObject(rollout.analysis) ? rollout.analysis : {},
      },
      limits: readLimits(data.limits),
    },
    findings,
  };
}

/** The `limits` the schema let through (a bad value was pruned and reported). */
function readLimits(value: JsonValue | undefined): Partial<ParseLimits> {
  if (!isObject(value)) return {};
  const out: { -readonly [K in keyof ParseLimits]?: number } = {};
  for (const key of Object.keys(DEFAULT_PARSE_LIMITS) as (keyof ParseLimits)[]) {
    const n = value[key];
    if (typeof n === "number") out[key] = n;
  }
  return out;
}

/**
 * Takes a faulty value out of the data before it is read: the nearest list item holding it (set to
 * null, so the other items keep the indices their lines are found by), else the field itself.
 */
function prune(data: JsonObject, path: FieldPath): void {
  let cut = path.length;
  while (cut > 0 && typeof path[cut - 1] !== "number") cut--;
  const target = cut > 0 ? path.slice(0, cut) : path;
  let parent: JsonValue | undefined = data;
  for (const part of target.slice(0, -1)) parent = Array.isArray(parent) ? parent[part as number] : isObject(parent) ? parent[part] : undefined;
  const last = target[target.length - 1];
  if (Array.isArray(parent) && typeof last === "number" && last < parent.length) parent[last] = null;
  else if (isObject(parent) && typeof last === "string") delete parent[last];
}
