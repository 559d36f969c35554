import type { ConfigSet } from "../../mesh/config-set.ts";
import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, readArray } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";
import { mtlsVerdicts } from "./mtls-status.ts";
import { selectorLabels } from "./selector-labels.ts";

const RULE = "kiali.MtlsEnabledChecker";
const SOURCE_FIELDS = ["principals", "notPrincipals", "namespaces", "notNamespaces"] as const;
const MTLS_KEYS: ReadonlySet<unknown> = new Set(["source.namespace", "source.principal", "connection.sni"]);

/**
 * KIA0105 (`authorization/mtls_enabled_checker.go`): an AuthorizationPolicy matches on the peer's
 * identity (`from.source` principals or namespaces, or a `when` on `source.namespace`,
 * `source.principal` or `connection.sni`), which only mTLS provides, while Kiali's mTLS verdict for the
 * selected workloads is "not enabled" (from PeerAuthentications, `*.local`/namespace-wide DRs and
 * autoMtls). Such rules never match plain-text callers.
 */
export const authorizationMtls: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const isMtlsEnabledFor = mtlsVerdicts(set);
    const findings: Finding[] = [];
    for (const ap of set.ofKind("AuthorizationPolicy.security.istio.io")) {
      const paths = identityFields(ap);
      if (paths.length === 0 || isMtlsEnabledFor(ap.namespace, selectorLabels(ap))) continue;
      for (const path of paths) findings.push(kialiFinding("MG4105", RULE, ap, path));
    }
    return findings;
  },
};

function identityFields(ap: Resource): FieldPath[] {
  const paths: FieldPath[] = [];
  for (const [r, rule] of readArray(ap.spec.rules).entries()) {
    if (!isObject(rule)) continue;
    for (const [f, from] of readArray(rule.from).entries()) {
      const source = isObject(from) ? from.source : undefined;
      if (!isObject(source)) continue;
      for (const field of SOURCE_FIELDS) {
        if (readArray(source[field]).length > 0) paths.push(["spec", "rules", r, "from", f, "source", field]);
      }
    }
    for (const [w, condition] of readArray(rule.when).entries()) {
      if (isObject(condition) && MTLS_KEYS.has(condition.key)) paths.push(["spec", "rules", r, "when", w, "key"]);
    }
  }
  return paths;
}
