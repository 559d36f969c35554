import type { ConfigSet } from "../../mesh/config-set.ts";

/** Set by Kubernetes on every Namespace since 1.21; selectors often use it. */
const NAME_LABEL = "kubernetes.io/metadata.name";

/**
 * The labels of namespace `name`: those of its Namespace resource when the set has one, plus the label
 * Kubernetes always adds, so a `kubernetes.io/metadata.name` selector works without the inventory.
 */
export function namespaceLabels(set: ConfigSet, name: string): Record<string, string> {
  const ns = set.get("Namespace", "", name);
  return { ...(ns?.labels ?? {}), [NAME_LABEL]: name };
}
