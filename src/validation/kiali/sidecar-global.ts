import type { ConfigSet } from "../../mesh/config-set.ts";
import { isObject, readStringMap } from "../../mesh/json.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";

const RULE = "kiali.SidecarGlobalChecker";

/**
 * KIA1006 (`sidecars/global_checker.go`): a Sidecar in the root namespace is the mesh-wide default only
 * without a selector; with `workloadSelector.labels` it silently stops being the default.
 */
export const sidecarGlobal: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const root = set.meshConfig.rootNamespace;
    const findings: Finding[] = [];
    for (const sc of set.ofKind("Sidecar.networking.istio.io")) {
      if (sc.namespace !== root) continue;
      const selector = sc.spec.workloadSelector;
      if (!isObject(selector) || Object.keys(readStringMap(selector.labels)).length === 0) continue;
      findings.push(kialiFinding("MG4606", RULE, sc, ["spec", "workloadSelector"]));
    }
    return findings;
  },
};
