import type { Finding } from "../review/finding.ts";
import type { PolicyOptions } from "../review/check-config.ts";
import { builtinPolicies } from "./builtin-policies.ts";
import { DEFAULT_CONFIG, readMeshgateConfig } from "./read-meshgate-config.ts";

export interface PolicySource {
  /** How the config file is named in findings, e.g. `.meshgate.yaml (at main)`. */
  readonly file: string;
  /** The `.meshgate.yaml` that judges the change (the base's); undefined: the defaults. */
  readonly text: string | undefined;
  /** True when the change itself edits `.meshgate.yaml`: flagged, since it cannot judge itself. */
  readonly editedByChange?: boolean;
  /** YYYY-MM-DD, for exemption expiry. */
  readonly today: string;
}

/** The built-in policies tuned by a `.meshgate.yaml`, and the findings reading it gave. */
export function policyOptions(source: PolicySource): { policy: PolicyOptions; findings: Finding[] } {
  const read = source.text === undefined ? { config: DEFAULT_CONFIG, findings: [] } : readMeshgateConfig(source.file, source.text);
  const edited: Finding[] = source.editedByChange
    ? [{ code: "MG5101", rule: "meshgate.Config", severity: "warning", message: "This change edits .meshgate.yaml, the rules that judge it: it is reviewed with the base's rules, and the edit needs review by their owners.", resource: null, file: ".meshgate.yaml", line: 1, column: 1 }]
    : [];
  return { policy: { policies: builtinPolicies(), config: read.config, today: source.today }, findings: [...edited, ...read.findings] };
}
