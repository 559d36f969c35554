import type { ConfigSet } from "../../../mesh/config-set.ts";
import type { FieldPath } from "../../../mesh/field-path.ts";
import { formatFullName } from "../../../mesh/hosts.ts";
import { isObject, readArray } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";

const RULE = "authn.BlockedCIDRsAnalyzer";
const ENV = "BLOCKED_CIDRS_IN_JWKS_URIS";
/** How many RequestAuthentication names Istio lists before "and N more". */
const MAX_NAMES = 5;

/**
 * `authn.BlockedCIDRsAnalyzer` (analyzers/authn/blockedcidrs.go): when RequestAuthentications exist, an
 * istiod Deployment (labelled `app: istiod`) should set `BLOCKED_CIDRS_IN_JWKS_URIS`, or istiod will
 * fetch JWKS from any address a policy names (IST0175, on the Deployment). It needs the istiod
 * Deployment in the repository, as `istioctl analyze` on files does (Deployments are kept there).
 */
export const blockedCidrsAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const policies = set.ofKind("RequestAuthentication.security.istio.io").map(formatFullName);
    if (policies.length === 0) return [];
    const names = policies.length <= MAX_NAMES ? policies.join(", ") : `${policies.slice(0, MAX_NAMES).join(", ")}, and ${policies.length - MAX_NAMES} more`;
    const out: Finding[] = [];
    for (const deployment of set.ofKind("Deployment.apps")) {
      if (deployment.labels.app !== "istiod" || setsBlockedCidrs(deployment)) continue;
      out.push(istioFinding("IST0175", RULE, deployment, containersPath(deployment), policies.length, names));
    }
    return out;
  },
};

function podSpecOf(deployment: Resource): Record<string, unknown> {
  const template = deployment.spec.template;
  return isObject(template) && isObject(template.spec) ? template.spec : {};
}

function setsBlockedCidrs(deployment: Resource): boolean {
  return readArray(podSpecOf(deployment).containers).some(
    (c) => isObject(c) && readArray(c.env).some((e) => isObject(e) && e.name === ENV && typeof e.value === "string" && e.value !== ""),
  );
}

/** Where the variable belongs: the `discovery` container's `env` (else the first container's). */
function containersPath(deployment: Resource): FieldPath {
  const containers = readArray(podSpecOf(deployment).containers);
  const index = Math.max(0, containers.findIndex((c) => isObject(c) && c.name === "discovery"));
  return ["spec", "template", "spec", "containers", index, "env"];
}
