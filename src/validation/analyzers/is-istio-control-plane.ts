import type { Resource } from "../../mesh/resource.ts";

/**
 * `util.IsIstioControlPlane` (analyzers/util/config.go): a resource labelled `istio` (any value) or
 * `release: istio` belongs to Istio's own installation, which several analyzers leave alone.
 */
export function isIstioControlPlane(resource: Resource): boolean {
  return resource.labels.istio !== undefined || resource.labels.release === "istio";
}
