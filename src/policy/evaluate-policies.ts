import { compileCel, createCelEnvironment } from "../cel/cel-environment.ts";
import { describeCelError } from "../cel/describe-cel-error.ts";
import type { ConfigSet } from "../mesh/config-set.ts";
import type { JsonObject } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";
import { type Finding, findingAt, findingInFile, type Severity } from "../review/finding.ts";
import { BUILTIN_RULES, type Violation } from "./builtin-rules.ts";
import type { Policy, PolicyRule } from "./policy.ts";

/** A resource excused from a policy, for a reason, until a date (YYYY-MM-DD). */
export interface Exemption {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly reason: string;
  readonly until: string;
  /** Where the exemption is written, so an expired one can be pointed at. */
  readonly file: string;
  readonly line: number;
}

/** How a repo tunes one policy in `.meshgate.yaml`. */
export interface PolicySettings {
  readonly off?: boolean;
  readonly severity?: Severity;
  readonly params?: JsonObject;
  readonly exemptions?: readonly Exemption[];
}

export interface PolicyInput {
  readonly policies: readonly Policy[];
  readonly settings: ReadonlyMap<string, PolicySettings>;
  readonly head: ConfigSet;
  readonly base?: ConfigSet;
  /** Today (YYYY-MM-DD): passed in, so evaluation stays pure. */
  readonly today: string;
  /** Whether merging rolls this resource out in steps (rollout mode not `off`). */
  readonly rolloutsOn: (resource: Resource) => boolean;
}

export type PolicyStatus = "passed" | "failed" | "off";

export interface PolicyResult {
  readonly id: string;
  readonly title: string;
  readonly status: PolicyStatus;
  readonly violations: number;
}

const celEnv = createCelEnvironment({ object: "dyn", oldObject: "dyn", params: "dyn", config: "dyn" });

/** Runs every policy over the head (with the base for change-aware rules); findings carry the policy id as `rule`. */
export function evaluatePolicies(input: PolicyInput): { findings: Finding[]; results: PolicyResult[] } {
  const findings: Finding[] = [];
  const results: PolicyResult[] = [];
  const config = lazyConfigIndex(input.head);
  for (const policy of input.policies) {
    const settings = input.settings.get(policy.id) ?? {};
    if (settings.off) {
      results.push({ id: policy.id, title: policy.title, status: "off", violations: 0 });
      continue;
    }
    const params = { ...policy.parameters, ...settings.params };
    const severity = settings.severity ?? policy.severity;
    const active = (settings.exemptions ?? []).filter((e) => e.until >= input.today);
    for (const e of settings.exemptions ?? []) {
      if (e.until < input.today) {
        findings.push(findingInFile(e.file, e.line, 1, { code: "MG5000", rule: policy.id, severity: "warning", message: `Exemption from ${policy.id} expired on ${e.until} (${e.reason}): fix the resource or renew the exemption.` }));
      }
    }
    let count = 0;
    for (const object of input.head.resources) {
      if (object.synthetic || !policy.kinds.includes(object.kind) || active.some((e) => exempts(e, object))) continue;
      const oldObject = input.base?.get(object.key, object.namespace, object.name);
      for (const rule of policy.rules) {
        for (const v of runRule(rule, { object, oldObject, params, head: input.head, rolloutsOn: input.rolloutsOn(object) }, config)) {
          count++;
          findings.push(findingAt(object, v.path, { code: policy.code, rule: policy.id, severity, message: `${policy.title}: ${v.message}.` }));
        }
      }
    }
    results.push({ id: policy.id, title: policy.title, status: count > 0 ? "failed" : "passed", violations: count });
  }
  return { findings, results };
}

function exempts(e: Exemption, r: Resource): boolean {
  return (e.kind === undefined || e.kind === r.kind) && (e.namespace === undefined || e.namespace === r.namespace) && (e.name === undefined || e.name === r.name);
}

/**
 * `config` in custom rules: the head's resources by kind (`config.DestinationRule`), each as plain data,
 * so a rule can look across resources. Built on first use only.
 */
function lazyConfigIndex(set: ConfigSet): () => Record<string, JsonObject[]> {
  let index: Record<string, JsonObject[]> | undefined;
  return () => {
    if (!index) {
      index = {};
      for (const r of set.resources) if (!r.synthetic) (index[r.kind] ??= []).push(r.body);
    }
    return index;
  };
}

function runRule(rule: PolicyRule, input: Parameters<(typeof BUILTIN_RULES)[string]>[0], config: () => Record<string, JsonObject[]>): Violation[] {
  if (rule.kind === "builtin") {
    const builtin = BUILTIN_RULES[rule.name];
    if (!builtin) return [{ path: [], message: `unknown built-in rule "${rule.name}"` }];
    return builtin(input);
  }
  try {
    const compiled = compileCel(rule.expression, celEnv);
    const ok = compiled.evaluate({ object: input.object.body, oldObject: input.oldObject?.body ?? null, params: input.params, config: compiled.references.has("config") ? config() : {} });
    return ok === true ? [] : [{ path: rule.path, message: rule.message }];
  } catch (error) {
    return [{ path: rule.path, message: `rule could not be evaluated (${describeCelError(error)})` }];
  }
}
