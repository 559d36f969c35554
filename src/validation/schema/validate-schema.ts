import { CRD_VALIDATORS, type RuleSite, type SchemaIssue } from "../../generated/crd-validators.js";
import type { Resource } from "../../mesh/resource.ts";
import { type Finding, findingAt } from "../../review/finding.ts";
import { checkCelRules } from "./check-cel-rules.ts";
import { describeSchemaIssue, isBlockingIssue } from "./describe-schema-issue.ts";
import { toFieldPath } from "./format-kube-path.ts";

/**
 * Validates a resource against its CRD's OpenAPI schema and CEL rules, as the API server would on
 * create (null pruning, defaulting, status ignored, CEL skipped after blocking errors), except that
 * unknown fields are reported instead of silently pruned. Kinds or versions without a CRD give nothing.
 */
export function validateSchema(resource: Resource): Finding[] {
  const validate = CRD_VALIDATORS[`${resource.group}/${resource.version}/${resource.kind}`];
  if (!validate) return [];
  const issues: SchemaIssue[] = [];
  const sites: RuleSite[] = [];
  validate(resource.body, [], issues, sites);
  if (sites.length > 0) {
    if (issues.some(isBlockingIssue)) issues.push({ k: "celSkipped", p: [] });
    else issues.push(...checkCelRules(sites));
  }
  const rule = `schema.ValidationAnalyzer.${resource.kind}`;
  return issues.map((issue) => findingAt(resource, toFieldPath(issue.p), { ...describeSchemaIssue(issue), rule }));
}
