import type { ConfigSet } from "../../mesh/config-set.ts";
import { isObject, readArray, readStringMap } from "../../mesh/json.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";

const RULE = "kiali.DestinationRuleSubsetLabelsChecker";

/**
 * KIA0209 (`destinationrules/no_dest_checker.go`): a subset without `labels` selects every endpoint of
 * the host, which is rarely what a named subset means. Kiali lowers it to `unknown` (info) when another
 * subset of the DR has labels, i.e. the DR does split the host.
 *
 * Kiali runs this only for a host found in the registry, reporting KIA0202 otherwise; meshgate leaves
 * the unknown host to IST0174 and still reports the subset.
 */
export const destinationRuleSubsetLabels: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const findings: Finding[] = [];
    for (const dr of set.ofKind("DestinationRule.networking.istio.io")) {
      const subsets = readArray(dr.spec.subsets);
      const labelled = subsets.map((s) => isObject(s) && Object.keys(readStringMap(s.labels)).length > 0);
      const anyLabelled = labelled.includes(true);
      for (const [i, s] of subsets.entries()) {
        if (!isObject(s) || labelled[i]) continue;
        findings.push(kialiFinding("MG4209", RULE, dr, ["spec", "subsets", i], anyLabelled ? "info" : undefined));
      }
    }
    return findings;
  },
};
