import { isObject, type JsonObject, type JsonValue } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";

/** Metadata that is the cluster's bookkeeping, not the author's intent. */
const VOLATILE_METADATA = ["resourceVersion", "uid", "generation", "creationTimestamp", "managedFields", "selfLink"];
/** GitOps agents and kubectl write these; a change in them is not a change of the config. */
const VOLATILE_ANNOTATIONS = ["kubectl.kubernetes.io/last-applied-configuration", "argocd.argoproj.io/tracking-id"];

/**
 * The part of a resource a semantic diff compares: `metadata` (labels, annotations, minus bookkeeping)
 * and everything but `apiVersion`, `kind` and `status`. apiVersion is left out because Istio serves the
 * same schema under v1alpha3, v1beta1 and v1: moving between them changes nothing in the cluster.
 * Defaults the API server would fill in are applied to both sides, so spelling a default out is no change.
 */
export function normalizeResource(resource: Resource): JsonObject {
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = resource.body;
  const meta: JsonObject = isObject(metadata) ? { ...metadata } : {};
  for (const key of VOLATILE_METADATA) delete meta[key];
  if (isObject(meta.annotations)) {
    const annotations = { ...meta.annotations };
    for (const key of VOLATILE_ANNOTATIONS) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete meta.annotations;
    else meta.annotations = annotations;
  }
  if (isObject(meta.labels) && Object.keys(meta.labels).length === 0) delete meta.labels;
  delete meta.namespace;
  delete meta.name;
  const out: JsonObject = { ...rest };
  if (Object.keys(meta).length > 0) out.metadata = meta;
  if (resource.key === "VirtualService.networking.istio.io" && isObject(out.spec)) out.spec = withRouteDefaults(out.spec);
  return out;
}

/**
 * Istio's route defaults: a route with a single destination gets weight 100 whether or not it says so
 * (`weight: 100` or no weight on a lone destination is the same config).
 */
function withRouteDefaults(spec: JsonObject): JsonObject {
  const fix = (rules: JsonValue | undefined): JsonValue | undefined => {
    if (!Array.isArray(rules)) return rules;
    return rules.map((rule) => {
      if (!isObject(rule) || !Array.isArray(rule.route) || rule.route.length !== 1) return rule;
      const [only] = rule.route;
      if (!isObject(only) || only.weight !== 100) return rule;
      const { weight: _w, ...dest } = only;
      return { ...rule, route: [dest] };
    });
  };
  const out: JsonObject = { ...spec };
  for (const key of ["http", "tcp", "tls"]) {
    const fixed = fix(out[key]);
    if (fixed !== undefined) out[key] = fixed;
  }
  return out;
}
