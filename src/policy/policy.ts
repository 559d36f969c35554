import type { JsonObject } from "../mesh/json.ts";
import type { Severity } from "../review/finding.ts";

/** A check of one policy: a CEL expression over `object`, `oldObject`, `params` (true passes), or a built-in. */
export type PolicyRule =
  | { readonly kind: "cel"; readonly expression: string; readonly message: string; readonly path: readonly string[] }
  | { readonly kind: "builtin"; readonly name: string };

/** A policy as `policies/<id>/policy.yaml` declares it. */
export interface Policy {
  readonly id: string;
  readonly code: string;
  readonly title: string;
  readonly severity: Severity;
  /** Why the rule exists: shown with every violation. */
  readonly description: string;
  /** Kind names it applies to (`VirtualService`, `PeerAuthentication`, ...). */
  readonly kinds: readonly string[];
  /** Parameter defaults; `.meshgate.yaml` may override them. */
  readonly parameters: JsonObject;
  /**
   * Each parameter's JSON Schema (type, bounds, enum, its `description` and `default`): the default is
   * checked against it when the policy is read, and `.meshgate.yaml` overrides are validated with it.
   */
  readonly parameterSchemas: Readonly<Record<string, JsonObject>>;
  readonly rules: readonly PolicyRule[];
}
