import type { Resource } from "../../mesh/resource.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { validateWorkloadSelector } from "./labels.ts";
import { objectAt } from "./read-spec.ts";
import type { Issues } from "./webhook-issues.ts";

/** `ValidatePeerAuthentication`. Modes are enforced by the CRD enum only, not here. */
export function validatePeerAuthentication(out: Issues, resource: Resource): void {
  const spec = resource.spec;
  const family = WEBHOOK_FAMILIES.peerAuthentication;
  const selector = objectAt(spec.selector);
  const portLevel = objectAt(spec.portLevelMtls);
  const ports = Object.keys(portLevel ?? {});
  // Ports name workload ports, so a mesh- or namespace-wide policy (no selector labels) cannot have them.
  const emptySelector = Object.keys(objectAt(selector?.matchLabels) ?? {}).length === 0;
  if (emptySelector && ports.length > 0) {
    out.error(family, ["spec", "portLevelMtls"], "mesh/namespace peer authentication cannot have port level mTLS");
  }
  // An empty map decodes to a present, empty map (unlike an empty list).
  if (portLevel && ports.length === 0) {
    out.error(family, ["spec", "portLevelMtls"], "port level mTLS, if defined, must have at least one element");
  }
  for (const port of ports) {
    // Keys that are not numbers fail decoding (the schema reports them); Istio checks the range of the others.
    if (!/^\d+$/.test(port)) continue;
    const n = Number(port);
    if (n <= 0 || n > 65535) out.error(family, ["spec", "portLevelMtls", port], "port must be in range 1..65535");
  }
  validateWorkloadSelector(out, spec.selector, ["spec", "selector"]);
}
