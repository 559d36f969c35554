import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, type JsonObject } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import {
  checkAttribute, checkEmptyValues, checkIps, checkPathTemplates, checkPorts, checkServiceAccounts, checkTrustDomains,
} from "./authorization-values.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { hasItems, isSet, listAt, objectAt, stringAt, stringsAt } from "./read-spec.ts";
import { validatePolicyTarget } from "./validate-policy-target.ts";
import { collectIssues, type Issues } from "./webhook-issues.ts";

const STRUCTURE = WEBHOOK_FAMILIES.authorization;
const VALUE = WEBHOOK_FAMILIES.authorizationValue;

const SOURCE_FIELDS = [
  "principals", "requestPrincipals", "namespaces", "ipBlocks", "remoteIpBlocks", "serviceAccounts", "trustDomains",
  "notPrincipals", "notRequestPrincipals", "notNamespaces", "notIpBlocks", "notRemoteIpBlocks", "notServiceAccounts", "notTrustDomains",
] as const;
// Fields that name the peer (not just the request): a DENY rule with them also applies to TCP traffic.
const TCP_SOURCE_FIELDS = [
  "principals", "notPrincipals", "namespaces", "notNamespaces", "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks",
  "serviceAccounts", "notServiceAccounts",
] as const;
const OPERATION_FIELDS = ["ports", "methods", "paths", "hosts", "notPorts", "notMethods", "notPaths", "notHosts"] as const;
const CUSTOM_UNSUPPORTED_SOURCES = [
  "namespaces", "notNamespaces", "serviceAccounts", "notServiceAccounts", "trustDomains", "notTrustDomains",
  "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals",
] as const;
const CUSTOM_UNSUPPORTED_KEYS = new Set(["source.namespace", "source.serviceAccount", "source.trustDomain", "source.principal"]);

/** `ValidateAuthorizationPolicy`: every error is prefixed `invalid policy <name>.<namespace>:` as Istio does. */
export function validateAuthorizationPolicy(out: Issues, resource: Resource): void {
  const spec = resource.spec;
  const inner = collectIssues();
  validatePolicyTarget(inner, spec);
  const action = stringAt(spec.action) || "ALLOW";
  // An empty list decodes to no rules: DENY or CUSTOM without rules can never trigger.
  const hasRules = hasItems(spec.rules);
  if (action === "CUSTOM") validateCustom(inner, spec, hasRules);
  if (isSet(spec.provider) && action !== "CUSTOM") {
    inner.error(STRUCTURE, ["spec", "provider"], `\`provider\` must not be with non CUSTOM action, found ${action}`);
  }
  if (action === "DENY" && !hasRules) {
    inner.error(STRUCTURE, ["spec", "action"], "DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request");
  }
  for (const [i, rule] of listAt(spec.rules).entries()) {
    const at = ["spec", "rules", i];
    if (isObject(rule)) validateRule(inner, rule, at, i, action);
    else inner.error(STRUCTURE, at, `\`rule\` must not be nil, found at rule ${i}`);
  }
  const prefix = `invalid policy ${resource.name}.${resource.namespace}: `;
  for (const issue of inner.list) {
    if (issue.severity === "error") out.error(issue.family, issue.path, prefix + issue.message);
    else out.warn(issue.family, issue.path, issue.message);
  }
}

function validateCustom(out: Issues, spec: JsonObject, hasRules: boolean): void {
  if (!hasRules) {
    out.error(STRUCTURE, ["spec", "action"], "CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request");
  } else if (stringAt(objectAt(spec.provider)?.name) === "") {
    out.error(STRUCTURE, ["spec", "provider"], "`provider.name` must not be empty");
  }
  for (const [i, rule] of listAt(spec.rules).entries()) {
    for (const [j, from] of listAt(objectAt(rule)?.from).entries()) {
      const source = objectAt(objectAt(from)?.source);
      for (const field of CUSTOM_UNSUPPORTED_SOURCES) {
        if (!source || !hasItems(source[field])) continue;
        const name = `From.${capitalize(field)}`;
        out.error(STRUCTURE, ["spec", "rules", i, "from", j, "source", field], `${name} is currently not supported with CUSTOM action`);
      }
    }
    for (const [j, when] of listAt(objectAt(rule)?.when).entries()) {
      const at = ["spec", "rules", i, "when", j];
      if (!isObject(when)) {
        out.error(STRUCTURE, at, "when field cannot be nil");
        continue;
      }
      const key = stringAt(when.key);
      if (CUSTOM_UNSUPPORTED_KEYS.has(key) || key.startsWith("request.auth.")) {
        out.error(STRUCTURE, [...at, "key"], `${key} is currently not supported with CUSTOM action`);
      }
    }
  }
}

function validateRule(out: Issues, rule: JsonObject, at: FieldPath, i: number, action: string): void {
  const from = validateSources(out, rule, at, i);
  const to = validateOperations(out, rule, at, i);
  validateConditions(out, rule, at);
  // A DENY rule made only of HTTP attributes cannot match TCP traffic, so Envoy denies all TCP instead.
  if (action === "DENY" && ((from.exists && !to.exists && !from.tcp) || (to.exists && !to.tcp))) {
    out.warn(STRUCTURE, at, "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port");
  }
}

interface RulePart {
  readonly exists: boolean;
  readonly tcp: boolean;
}

function validateSources(out: Issues, rule: JsonObject, at: FieldPath, i: number): RulePart {
  let exists = false;
  let tcp = false;
  for (const [j, from] of listAt(rule.from).entries()) {
    const fAt = [...at, "from", j];
    if (!isObject(from)) {
      out.error(STRUCTURE, fAt, `\`from\` must not be nil, found at rule ${i}`);
      continue;
    }
    const source = objectAt(from.source);
    if (!source) {
      out.error(STRUCTURE, fAt, `\`from.source\` must not be nil, found at rule ${i}`);
      continue;
    }
    exists = true;
    const sAt = [...fAt, "source"];
    const values = (field: string) => stringsAt(source[field]).map(([, v]) => v);
    const count = (fields: readonly string[]) => fields.reduce((n, f) => n + values(f).length, 0);
    if (count(["principals", "notPrincipals", "namespaces", "notNamespaces"]) > 0 && count(["serviceAccounts", "notServiceAccounts"]) > 0) {
      out.error(VALUE, [...sAt, values("serviceAccounts").length > 0 ? "serviceAccounts" : "notServiceAccounts"],
        `cannot set serviceAccounts with namespaces or principals, found at rule ${i}`);
    }
    if (count(SOURCE_FIELDS) === 0) {
      out.error(STRUCTURE, sAt, `\`from.source\` must not be empty, found at rule ${i}`);
    }
    for (const field of ["ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks"]) {
      for (const err of checkIps(values(field))) out.error(VALUE, [...sAt, field], err);
    }
    for (const field of SOURCE_FIELDS) {
      const name = capitalize(field);
      const err = field.endsWith("erviceAccounts") ? checkServiceAccounts(name, values(field))
        : field.endsWith("rustDomains") ? checkTrustDomains(name, values(field))
        : checkEmptyValues(name, values(field));
      if (err) out.error(VALUE, [...sAt, field], err);
    }
    if (TCP_SOURCE_FIELDS.some((f) => hasItems(source[f]))) tcp = true;
  }
  return { exists, tcp };
}

function validateOperations(out: Issues, rule: JsonObject, at: FieldPath, i: number): RulePart {
  let exists = false;
  let tcp = false;
  for (const [j, to] of listAt(rule.to).entries()) {
    const tAt = [...at, "to", j];
    if (!isObject(to)) {
      out.error(STRUCTURE, tAt, `\`to\` must not be nil, found at rule ${i}`);
      continue;
    }
    const operation = objectAt(to.operation);
    if (!operation) {
      out.error(STRUCTURE, tAt, `\`to.operation\` must not be nil, found at rule ${i}`);
      continue;
    }
    exists = true;
    const oAt = [...tAt, "operation"];
    const values = (field: string) => stringsAt(operation[field]).map(([, v]) => v);
    if (OPERATION_FIELDS.every((f) => values(f).length === 0)) {
      out.error(STRUCTURE, oAt, `\`to.operation\` must not be empty, found at rule ${i}`);
    }
    for (const field of ["ports", "notPorts"]) for (const err of checkPorts(values(field))) out.error(VALUE, [...oAt, field], err);
    for (const field of OPERATION_FIELDS) {
      const err = checkEmptyValues(capitalize(field), values(field));
      if (err) out.error(VALUE, [...oAt, field], err);
    }
    for (const field of ["paths", "notPaths"]) {
      const err = checkPathTemplates(capitalize(field), values(field));
      if (err) out.error(VALUE, [...oAt, field], err);
    }
    if (hasItems(operation.ports) || hasItems(operation.notPorts)) tcp = true;
  }
  return { exists, tcp };
}

function validateConditions(out: Issues, rule: JsonObject, at: FieldPath): void {
  for (const [j, condition] of listAt(rule.when).entries()) {
    const cAt = [...at, "when", j];
    const when = objectAt(condition) ?? {};
    const key = stringAt(when.key);
    if (key === "") {
      out.error(STRUCTURE, cAt, "`key` must not be empty");
      continue;
    }
    const values = stringsAt(when.values).map(([, v]) => v);
    const notValues = stringsAt(when.notValues).map(([, v]) => v);
    if (values.length === 0 && notValues.length === 0) {
      out.error(STRUCTURE, cAt, `at least one of \`values\` or \`notValues\` must be set for key ${key}`);
      continue;
    }
    const valueErr = checkAttribute(key, values);
    if (valueErr) out.error(VALUE, [...cAt, "values"], `invalid \`value\` for \`key\` ${key}: ${valueErr}`);
    const notValueErr = checkAttribute(key, notValues);
    if (notValueErr) out.error(VALUE, [...cAt, "notValues"], `invalid \`notValue\` for \`key\` ${key}: ${notValueErr}`);
  }
}

/** Istio names fields by their Go names in messages (`NotPrincipals`). */
function capitalize(field: string): string {
  return field.charAt(0).toUpperCase() + field.slice(1);
}
