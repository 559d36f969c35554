import type { FieldPath } from "../../mesh/field-path.ts";
import type { JsonObject, JsonValue } from "../../mesh/json.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { validateWorkloadSelector } from "./labels.ts";
import { hasItems, isSet, listAt, objectAt, stringAt } from "./read-spec.ts";
import type { Issues } from "./webhook-issues.ts";

// What a policy may attach to: Service, ServiceEntry, Gateway API Gateway and GatewayClass (group "" is core).
const ALLOWED_TARGETS = [
  { group: "core", version: "v1", kind: "Service" },
  { group: "networking.istio.io", version: "v1", kind: "ServiceEntry" },
  { group: "gateway.networking.k8s.io", version: "v1", kind: "Gateway" },
  { group: "gateway.networking.k8s.io", version: "v1", kind: "GatewayClass" },
] as const;
const ALLOWED_TEXT = `[${ALLOWED_TARGETS.map((t) => `${t.group}/${t.version}/${t.kind}`).join(" ")}]`;

/**
 * The attachment rules shared by RequestAuthentication and AuthorizationPolicy: at most one of
 * `selector`, `targetRef` and `targetRefs`; the selector's labels; what each targetRef may name.
 */
export function validatePolicyTarget(out: Issues, spec: JsonObject): void {
  const set = [isSet(spec.selector), isSet(spec.targetRef), hasItems(spec.targetRefs)].filter(Boolean).length;
  if (set > 1) out.error(WEBHOOK_FAMILIES.policyTarget, ["spec"], "only one of targetRefs or workloadSelector can be set");
  validateWorkloadSelector(out, spec.selector, ["spec", "selector"]);
  validateTargetRef(out, spec.targetRef, ["spec", "targetRef"]);
  for (const [i, ref] of listAt(spec.targetRefs).entries()) validateTargetRef(out, ref, ["spec", "targetRefs", i]);
}

/** `validatePolicyTargetReference`. */
function validateTargetRef(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const ref = objectAt(value);
  if (!ref) return;
  const family = WEBHOOK_FAMILIES.policyTarget;
  if (stringAt(ref.name) === "") out.error(family, path, "targetRef name must be set");
  if (stringAt(ref.namespace) !== "") {
    out.error(family, [...path, "namespace"], "targetRef namespace must not be set; cross namespace referencing is not supported");
  }
  const group = stringAt(ref.group);
  const kind = stringAt(ref.kind);
  const canonicalGroup = group === "" ? "core" : group;
  if (!ALLOWED_TARGETS.some((t) => t.kind === kind && t.group === canonicalGroup)) {
    out.error(family, [...path, "kind"], `targetRef must be to one of ${ALLOWED_TEXT} but was ${group}/${kind}`);
  }
}
