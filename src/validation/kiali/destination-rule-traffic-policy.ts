import type { ConfigSet } from "../../mesh/config-set.ts";
import { hostsMatch } from "../../mesh/hosts.ts";
import { isObject, readArray, readString } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";
import { formatKialiHost, parseKialiHost } from "./kiali-host.ts";
import { destinationRuleTlsMode, MESH_WIDE_HOST } from "./mtls-modes.ts";
import { presentPath } from "./present-path.ts";

const RULE = "kiali.DestinationRuleTrafficPolicyChecker";

/**
 * KIA0204 (`destinationrules/traffic_policy_checker.go`): a DR with no TLS settings (neither
 * `trafficPolicy.tls` nor any port-level `tls`) for a host that a mesh-wide (`*.local`) or
 * namespace-wide (`*.<ns>...`) ISTIO_MUTUAL DR also covers. Istio applies the most specific DR whole, so
 * this one turns mTLS off for its host.
 */
export const destinationRuleTrafficPolicy: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const drs = set.ofKind("DestinationRule.networking.istio.io");
    const wideMtls = drs.filter((dr) => formatKialiHost(parseKialiHost(readString(dr.spec.host) ?? "", dr.namespace)).startsWith("*") && isIstioMutual(dr));
    const findings: Finding[] = [];
    for (const dr of drs) {
      if (hasTlsSettings(dr) || !isOverridden(dr, wideMtls, drs)) continue;
      findings.push(kialiFinding("MG4204", RULE, dr, presentPath(dr.body, ["spec", "trafficPolicy"])));
    }
    return findings;
  },
};

function isIstioMutual(dr: Resource): boolean {
  return destinationRuleTlsMode(dr) === "ISTIO_MUTUAL";
}

/** `sameHostDestinationRules` is not empty: some wide ISTIO_MUTUAL DR reaches this DR's host. */
function isOverridden(dr: Resource, wideMtls: readonly Resource[], all: readonly Resource[]): boolean {
  const host = parseKialiHost(readString(dr.spec.host) ?? "", dr.namespace);
  // Kiali parses the wide DR's host in this DR's namespace. It lets `*.local` reach every host; only
  // hosts `*.local` really matches are taken here, so a DR for `api.example.com` is not reported.
  const reached = wideMtls.some((m) => {
    const wide = parseKialiHost(readString(m.spec.host) ?? "", dr.namespace);
    if (wide.service === MESH_WIDE_HOST) return hostsMatch(MESH_WIDE_HOST, formatKialiHost(host));
    return wide.complete && host.complete && wide.cluster === host.cluster && wide.namespace === host.namespace;
  });
  if (reached) return true;
  const nsWide = `*.${host.namespace}.${host.cluster}`;
  return all.some((o) => o !== dr && isIstioMutual(o) && (o.spec.host === nsWide || o.spec.host === formatKialiHost(host)));
}

function hasTlsSettings(dr: Resource): boolean {
  const policy = dr.spec.trafficPolicy;
  if (!isObject(policy)) return false;
  return isObject(policy.tls) || readArray(policy.portLevelSettings).some((p) => isObject(p) && isObject(p.tls));
}
