import type { ConfigSet } from "../mesh/config-set.ts";
import type { Finding } from "../review/finding.ts";

/**
 * A cross-resource check over the whole configuration set. `name` is the `rule` of its findings: the
 * `istioctl analyze --list-analyzers` name where Istio has the check, e.g. `gateway.SecretAnalyzer`.
 */
export interface Analyzer {
  readonly name: string;
  analyze(set: ConfigSet): Finding[];
}
