import { isMap, LineCounter, type Node, parseDocument } from "yaml";
import schema from "../../schemas/meshgate-config.schema.json" with { type: "json" };
import { compileCel, createCelEnvironment } from "../cel/cel-environment.ts";
import { describeCelError } from "../cel/describe-cel-error.ts";
import { formatFieldPath } from "../mesh/field-path.ts";
import { isObject, type JsonObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import { makeLocator } from "../mesh/locate-node.ts";
import { type Finding, findingInFile, type Severity } from "../review/finding.ts";
import { checkJsonSchema } from "./check-json-schema.ts";
import type { Exemption, PolicySettings } from "./evaluate-policies.ts";
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
}

export const DEFAULT_CONFIG: MeshgateConfig = {
  paths: ["**/*.yaml", "**/*.yml"],
  policies: new Map(),
  custom: [],
  rollout: { mode: "git", deployBranch: "meshgate/live", intervalSeconds: 300, analysis: {} },
};

const RULE = "meshgate.Config";
const customEnv = createCelEnvironment({ object: "dyn", oldObject: "dyn", params: "dyn", config: "dyn" });

function seconds(interval: string | undefined): number {
  const m = interval ? /^(\d+)(s|m|h)$/.exec(interval) : null;
  if (!m) return DEFAULT_CONFIG.rollout.intervalSeconds;
  return Number(m[1]) * (m[2] === "h" ? 3600 : m[2] === "m" ? 60 : 1);
}

/**
 * Reads `.meshgate.yaml` (always the base branch's). Problems are findings on their line; a broken
 * file falls back to the defaults, so the review still runs with the built-in rules.
 */
export function readMeshgateConfig(file: string, text: string): { config: MeshgateConfig; findings: Finding[] } {
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
  const issues = checkJsonSchema(schema as unknown as JsonObject, data);
  for (const issue of issues) {
    const pos = locate(issue.path);
    report(pos.line, pos.column, `${issue.path.length > 0 ? formatFieldPath(issue.path) : file}: ${issue.message}`);
  }
  if (issues.length > 0 || !isObject(data)) return { config: DEFAULT_CONFIG, findings };

  const policies = new Map<string, PolicySettings>();
  for (const [id, value] of Object.entries(isObject(data.policies) ? data.policies : {})) {
    if (value === "off") {
      policies.set(id, { off: true });
      continue;
    }
    if (!isObject(value)) continue;
    const { severity, off, exempt, ...params } = value;
    const exemptions: Exemption[] = readArray(exempt).filter(isObject).map((e, i) => ({
      reason: readString(e.reason) ?? "",
      until: readString(e.until) ?? "",
      file,
      line: locate(["policies", id, "exempt", i]).line,
      ...(readString(e.kind) ? { kind: readString(e.kind) as string } : {}),
      ...(readString(e.namespace) ? { namespace: readString(e.namespace) as string } : {}),
      ...(readString(e.name) ? { name: readString(e.name) as string } : {}),
    }));
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
    custom.push({
      id: readString(c.id) ?? `custom-${i}`,
      code: "MG5900",
      title: readString(c.id) ?? `custom-${i}`,
      severity: (readString(c.severity) as Severity | undefined) ?? "error",
      description: `(custom rule in ${file})`,
      kinds: readArray(isObject(c.match) ? c.match.kinds : undefined).filter((k): k is string => typeof k === "string"),
      parameters: {},
      rules: [{ kind: "cel", expression, message: readString(c.message) ?? "custom rule failed", path: ["spec"] }],
    });
  });

  const rollout = isObject(data.rollout) ? data.rollout : {};
  return {
    config: {
      paths: readArray(data.paths).filter((p): p is string => typeof p === "string").length > 0 ? readArray(data.paths).filter((p): p is string => typeof p === "string") : DEFAULT_CONFIG.paths,
      policies,
      custom,
      rollout: {
        mode: (readString(rollout.mode) as RolloutMode | undefined) ?? DEFAULT_CONFIG.rollout.mode,
        deployBranch: readString(rollout.deployBranch) ?? DEFAULT_CONFIG.rollout.deployBranch,
        intervalSeconds: seconds(readString(rollout.interval)),
        analysis: isObject(rollout.analysis) ? rollout.analysis : {},
      },
    },
    findings,
  };
}
