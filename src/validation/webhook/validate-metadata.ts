import type { Resource } from "../../mesh/resource.ts";
import { formatGo } from "../analyzers/format-go.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { stringAt } from "./read-spec.ts";
import type { Issues } from "./webhook-issues.ts";

const DRY_RUN = "istio.io/dry-run";
const ALWAYS_REJECT = "internal.istio.io/webhook-always-reject";
// These internal annotations would let a user borrow another namespace's privileges.
const INTERNAL_ONLY = ["internal.istio.io/parent-namespace", "internal.istio.io/parents"];
const GO_BOOLS = new Set(["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"]);

/**
 * `validateMetadata`, which wraps every kind's validator: it returns false (stop) after an error, as
 * Istio does not run the kind's own rules then.
 */
export function validateMetadata(out: Issues, resource: Resource): boolean {
  const family = WEBHOOK_FAMILIES.metadata;
  const at = (annotation: string) => ["metadata", "annotations", annotation];
  const dryRun = resource.annotations[DRY_RUN];
  const id = `${resource.namespace}/${resource.name}`;
  if (dryRun !== undefined) {
    if (resource.kind !== "AuthorizationPolicy") {
      out.error(family, at(DRY_RUN), `${id} has unsupported annotation ${DRY_RUN}, please remove the annotation`);
      return false;
    }
    const action = stringAt(resource.spec.action) || "ALLOW";
    if (action !== "ALLOW" && action !== "DENY") {
      out.error(family, at(DRY_RUN), `the annotation ${DRY_RUN} currently only supports action ALLOW/DENY, found action ${action} in ${id}`);
      return false;
    }
    if (!GO_BOOLS.has(dryRun)) {
      out.error(family, at(DRY_RUN),
        `${id} has annotation ${DRY_RUN} with invalid value (${dryRun}): strconv.ParseBool: parsing ${formatGo("%q", [dryRun])}: invalid syntax`);
      return false;
    }
  }
  for (const annotation of [ALWAYS_REJECT, ...INTERNAL_ONLY]) {
    if (resource.annotations[annotation] === undefined) continue;
    const why = annotation === ALWAYS_REJECT ? "rejecting" : "this may not be set by users";
    out.error(family, at(annotation), `${formatGo("%q", [annotation])} annotation found, ${why}`);
    return false;
  }
  return true;
}
