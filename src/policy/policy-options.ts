import type { Finding } from "../review/finding.ts";
import type { PolicyOptions } from "../review/check-config.ts";
import { builtinPolicies } from "./builtin-policies.ts";
import { CONFIG_FILE } from "./is-mesh-path.ts";
import { DEFAULT_CONFIG, readMeshgateConfig } from "./read-meshgate-config.ts";

export type ConfigEdit = "added" | "edited" | "deleted";

export interface PolicySource {
  /** How the config file is named in findings, e.g. `.meshgate.yaml (at main)`. */
  readonly file: string;
  /** The `.meshgate.yaml` that judges the change (the base's); undefined: the defaults. */
  readonly text: string | undefined;
  /**
   * When the change itself adds, edits or deletes `.meshgate.yaml` (true: one of them): flagged, since
   * a change cannot judge itself.
   */
  readonly editedByChange?: boolean | ConfigEdit;
  /** Where the head's `.meshgate.yaml` is, for that finding (default: `.meshgate.yaml`). */
  readonly editedFile?: string;
  /** YYYY-MM-DD, for exemption expiry. */
  readonly today: string;
}

/** The built-in policies tuned by a `.meshgate.yaml`, and the findings reading it gave. */
export function policyOptions(source: PolicySource): { policy: PolicyOptions; findings: Finding[] } {
  const read = source.text === undefined ? { config: DEFAULT_CONFIG, findings: [] } : readMeshgateConfig(source.file, source.text);
  const how = source.editedByChange === true ? "edited" : source.editedByChange;
  const edited: Finding[] = how
    ? [{ code: "MG5101", rule: "meshgate.Config", severity: "warning", message: `This change ${how === "added" ? "adds" : how === "deleted" ? "deletes" : "edits"} .meshgate.yaml, the rules that judge it: it is reviewed with the base's rules, and the ${how === "deleted" ? "deletion" : "edit"} needs review by their owners.`, resource: null, file: source.editedFile ?? CONFIG_FILE, line: 1, column: 1 }]
    : [];
  return { policy: { policies: builtinPolicies(), config: read.config, today: source.today }, findings: [...edited, ...read.findings] };
}
