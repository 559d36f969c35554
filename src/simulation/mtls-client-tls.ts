import type { FieldPath } from "../mesh/field-path.ts";
import { isObject, type JsonObject, type JsonValue, readArray, readString } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";
import type { AppliedRule, SubsetAt } from "./mtls-destination-rules.ts";

/**
 * What a client's DestinationRule says about TLS for one cluster (a service port, optionally a subset).
 * `mode` undefined: the merged policy has no `tls`, so auto mTLS (or plaintext) decides. `at` is the
 * field that decided: the `tls` (its `mode` when written), or the port-level entry that dropped it.
 */
export interface ClientTls {
  readonly mode?: string;
  readonly at?: { readonly owner: Resource; readonly path: FieldPath };
}

/**
 * Istio's `MergeSubsetTrafficPolicy` (pilot/pkg/networking/util): the DR-level policy with its
 * `portLevelSettings` entry for the port applied (an entry *replaces* the policy, so an entry without
 * `tls` drops the DR's `tls`), then the subset's policy, itself port-resolved the same way, whose `tls`
 * overrides when set or when it came from a port-level entry. A `tls` block without `mode` is DISABLE,
 * the proto enum's zero value. `port` is the Service port; undefined: a port no entry names.
 */
export function clientTls(rule: AppliedRule, port: number | undefined, subset?: SubsetAt): ClientTls {
  let tls: ClientTls = {};
  if (rule.policy) tls = portResolved(rule.policy.owner, rule.policy.policy, rule.policy.path, port).tls;
  if (subset?.policy) {
    const sub = portResolved(subset.owner, subset.policy, [...subset.path, "trafficPolicy"], port);
    if (sub.portLevel || sub.tls.mode !== undefined) tls = sub.tls;
  }
  return tls;
}

function portResolved(owner: Resource, policy: JsonObject, path: FieldPath, port: number | undefined): { tls: ClientTls; portLevel: boolean } {
  if (port !== undefined) {
    const settings = readArray(policy.portLevelSettings);
    const i = settings.findIndex((p) => isObject(p) && isObject(p.port) && p.port.number === port);
    const entry = settings[i];
    if (isObject(entry)) {
      const at: FieldPath = [...path, "portLevelSettings", i];
      return { tls: tlsAt(owner, entry.tls, at) ?? { at: { owner, path: at } }, portLevel: true };
    }
  }
  return { tls: tlsAt(owner, policy.tls, path) ?? {}, portLevel: false };
}

function tlsAt(owner: Resource, tls: JsonValue | undefined, parent: FieldPath): ClientTls | undefined {
  if (!isObject(tls)) return undefined;
  const mode = readString(tls.mode);
  return { mode: mode ?? "DISABLE", at: { owner, path: mode ? [...parent, "tls", "mode"] : [...parent, "tls"] } };
}
