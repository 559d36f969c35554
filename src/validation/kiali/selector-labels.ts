import { isObject, readStringMap } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";

/** `spec.selector.matchLabels` of a security policy (PeerAuthentication, RequestAuthentication, AuthorizationPolicy). */
export function selectorLabels(policy: Resource): Record<string, string> {
  const selector = policy.spec.selector;
  return isObject(selector) ? readStringMap(selector.matchLabels) : {};
}
