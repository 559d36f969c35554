import { CRD_VALIDATORS, type CrdValidator, type RuleSite, type SchemaIssue } from "../../generated/crd-validators.js";
import { kindKeyOf } from "../../mesh/kinds.ts";
import type { Resource } from "../../mesh/resource.ts";
import { type Finding, findingAt } from "../../review/finding.ts";
import { checkCelRules } from "./check-cel-rules.ts";
import { describeSchemaIssue, isBlockingIssue } from "./describe-schema-issue.ts";
import { toFieldPath } from "./format-kube-path.ts";

/**
 * The validators by kind key and version: looked up with strings the resource already holds, rather
 * than a `group/version/Kind` string built (and hashed) for every document.
 */
const VALIDATORS = new Map<string, Map<string, CrdValidator>>();
for (const [id, validate] of Object.entries(CRD_VALIDATORS)) {
  const [group = "", version = "", kind = ""] = id.split("/");
  const key = kindKeyOf(group, kind);
  const versions = VALIDATORS.get(key) ?? new Map<string, CrdValidator>();
  VALIDATORS.set(key, versions.set(version, validate));
}

/**
 * Validates a resource against its CRD's OpenAPI schema and CEL rules, as the API server would on
 * create (null pruning, defaulting, status ignored, CEL skipped after blocking errors), except that
 * unknown fields are reported instead of silently pruned. Kinds or versions without a CRD give nothing.
 */
export function validateSchema(resource: Resource): Finding[] {
  const validate = VALIDATORS.get(resource.key)?.get(resource.version);
  if (!validate) return [];
  const issues: SchemaIssue[] = [];
  const sites: RuleSite[] = [];
  validate(resource.body, [], issues, sites);
  if (sites.length > 0) {
    if (issues.some(isBlockingIssue)) issues.push({ k: "celSkipped", p: [] });
    else for (const issue of checkCelRules(sites)) issues.push(issue);
  }
  if (issues.length === 0) return [];
  const rule = `schema.ValidationAnalyzer.${resource.kind}`;
  return issues.map((issue) => findingAt(resource, toFieldPath(issue.p), { ...describeSchemaIssue(issue), rule }));
}
