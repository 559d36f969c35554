import type { ConfigSet } from "../../../mesh/config-set.ts";
import type { FieldPath } from "../../../mesh/field-path.ts";
import { isObject, readArray } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";

const RULE = "deprecation.DeprecationAnalyzer";

/**
 * `deprecation.DeprecationAnalyzer` (analyzers/deprecation/deprecation.go, Go type `FieldAnalyzer`):
 * IST0002 for a VirtualService using `fault.delay.percent` and a Sidecar setting
 * `outboundTrafficPolicy.egressProxy`. Istio reports these without a line, so several deprecated
 * `percent` fields in one VirtualService print as one message; we point at the first.
 * Its third check, CustomResourceDefinitions of the removed `rbac.istio.io` kinds, needs CRD objects,
 * which meshgate does not read.
 */
export const deprecationAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const out: Finding[] = [];
    for (const vs of set.ofKind("VirtualService.networking.istio.io")) {
      const path = firstDelayPercent(vs);
      if (path) out.push(istioFinding("IST0002", RULE, vs, path, "HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage"));
    }
    for (const sc of set.ofKind("Sidecar.networking.istio.io")) {
      const policy = sc.spec.outboundTrafficPolicy;
      // Go checks `EgressProxy != nil`: any value that decodes to a message, `{}` included.
      if (isObject(policy) && isObject(policy.egressProxy)) {
        out.push(istioFinding("IST0002", RULE, sc, ["spec", "outboundTrafficPolicy", "egressProxy"], "OutboundTrafficPolicy.EgressProxy ignored"));
      }
    }
    return out;
  },
};

function firstDelayPercent(vs: Resource): FieldPath | undefined {
  for (const [i, rule] of readArray(vs.spec.http).entries()) {
    const fault = isObject(rule) ? rule.fault : undefined;
    const delay = isObject(fault) ? fault.delay : undefined;
    if (isObject(delay) && typeof delay.percent === "number" && delay.percent > 0) return ["spec", "http", i, "fault", "delay", "percent"];
  }
  return undefined;
}
