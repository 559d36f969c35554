import { isObject } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { checkSubsetName } from "./destinations.ts";
import { checkWildcardDomain } from "./dns-names.ts";
import { validateExportTo } from "./export-to.ts";
import { validateLabels, validateWorkloadSelector } from "./labels.ts";
import { isSet, listAt, stringAt } from "./read-spec.ts";
import { validateTrafficPolicy } from "./validate-traffic-policy.ts";
import type { Issues } from "./webhook-issues.ts";

/** `ValidateDestinationRule`. */
export function validateDestinationRule(out: Issues, resource: Resource): void {
  const spec = resource.spec;
  const hostErr = checkWildcardDomain(stringAt(spec.host));
  if (hostErr) out.error(WEBHOOK_FAMILIES.host, ["spec", "host"], hostErr);
  validateTrafficPolicy(out, spec.trafficPolicy, ["spec", "trafficPolicy"], resource.namespace);
  const names = new Set<string>();
  for (const [i, subset] of listAt(spec.subsets).entries()) {
    const at = ["spec", "subsets", i];
    if (!isObject(subset)) {
      out.error(WEBHOOK_FAMILIES.selector, at, "subset may not be null");
      continue;
    }
    const name = stringAt(subset.name);
    if (names.has(name)) out.error(WEBHOOK_FAMILIES.selector, [...at, "name"], `duplicate subset names: ${name}`);
    names.add(name);
    const nameErr = checkSubsetName(name);
    if (nameErr) out.error(WEBHOOK_FAMILIES.selector, [...at, "name"], nameErr);
    validateLabels(out, subset.labels, [...at, "labels"]);
    validateTrafficPolicy(out, subset.trafficPolicy, [...at, "trafficPolicy"], resource.namespace);
  }
  validateExportTo(out, resource.namespace, spec.exportTo, ["spec", "exportTo"], {
    isServiceEntry: false,
    isDestinationRuleWithSelector: isSet(spec.workloadSelector),
  });
  validateWorkloadSelector(out, spec.workloadSelector, ["spec", "workloadSelector"]);
}
