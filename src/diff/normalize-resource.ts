import { isObject, type JsonObject, type JsonValue } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";
import { applyDefaults } from "./apply-defaults.ts";

/** Metadata that is the cluster's bookkeeping, not the author's intent. */
const VOLATILE_METADATA = ["resourceVersion", "uid", "generation", "creationTimestamp", "managedFields", "selfLink"];
/** GitOps agents and kubectl write these; a change in them is not a change of the config. */
const VOLATILE_ANNOTATIONS = ["kubectl.kubernetes.io/last-applied-configuration", "argocd.argoproj.io/tracking-id"];

export interface NormalizeOptions {
  /** Fill in what a left-out field means (default true); false: only what the author wrote. */
  readonly defaults?: boolean;
}

/**
 * The part of a resource a semantic diff compares: `metadata` (labels, annotations, minus bookkeeping)
 * and everything but `apiVersion`, `kind` and `status`. apiVersion is left out because Istio serves the
 * same schema under v1alpha3, v1beta1 and v1: moving between them changes nothing in the cluster.
 * Defaults (the CRDs', Istio's documented ones, route weights) are filled in on both sides, so spelling
 * a default out is no change, and changing a value from its default shows as `default → new`.
 */
export function normalizeResource(resource: Resource, options: NormalizeOptions = {}): JsonObject {
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
  if (options.defaults !== false && isObject(out.spec)) {
    out.spec = applyDefaults(resource.key, out.spec);
    if (resource.key === "VirtualService.networking.istio.io") out.spec = withRouteWeights(out.spec);
  }
  return out;
}

/**
 * VirtualService route weights (virtual_service.proto, `weight`): a lone destination receives all
 * traffic, so no weight there is 100; among several, a left-out weight is proto3's 0 ("if weight is
 * `0`, the destination will not receive any traffic").
 */
function withRouteWeights(spec: JsonObject): JsonObject {
  const fix = (rules: JsonValue | undefined): JsonValue | undefined => {
    if (!Array.isArray(rules)) return rules;
    return rules.map((rule) => {
      if (!isObject(rule) || !Array.isArray(rule.route)) return rule;
      const implied = rule.route.length === 1 ? 100 : 0;
      return { ...rule, route: rule.route.map((d) => (isObject(d) && (d.weight === undefined || d.weight === null) ? { ...d, weight: implied } : d)) };
    });
  };
  const out: JsonObject = { ...spec };
  for (const key of ["http", "tcp", "tls"]) {
    const fixed = fix(out[key]);
    if (fixed !== undefined) out[key] = fixed;
  }
  return out;
}
