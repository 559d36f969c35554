import type { ConfigSet } from "../../../mesh/config-set.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { ISTIO_ANNOTATIONS } from "./istio-annotations.ts";
import { validateAnnotationValue } from "./validate-annotation-value.ts";

const RULE = "annotations.K8sAnalyzer";
/** The kinds Istio checks, with the name it compares against an annotation's resource types. */
const CHECKED_KINDS = [
  ["Namespace", "Namespace"],
  ["Service", "Service"],
  ["Pod", "Pod"],
  ["Deployment.apps", "Deployment"],
] as const;
const SIDECAR_INJECT = "sidecar.istio.io/inject";
/** The one non-Istio annotation Istio documents, and so checks (`istioAnnotation`). */
const INGRESS_CLASS = "kubernetes.io/ingress.class";
const DEPRECATION_EXTRA: Readonly<Record<string, string>> = { [SIDECAR_INJECT]: ' in favor of the "sidecar.istio.io/inject" label' };

/**
 * `annotations.K8sAnalyzer` (analyzers/annotations/annotations.go): every annotation in Istio's domain
 * (`*istio.io/…`, plus `kubernetes.io/ingress.class`) on a Namespace, Service, Pod or Deployment's own
 * metadata must be one Istio knows (IST0108), belong on that kind (IST0107) and hold a valid value
 * (IST0125); a deprecated one is reported too (IST0135), except the `sidecar.istio.io/inject`
 * annotation next to the label of that name. Each finding is on the annotation. Pod templates are not
 * looked at: Istio reads only the resource's own annotations.
 */
export const k8sAnnotationsAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const out: Finding[] = [];
    for (const [key, kind] of CHECKED_KINDS) {
      for (const resource of set.ofKind(key)) {
        if (!resource.synthetic) out.push(...checkAnnotations(resource, kind));
      }
    }
    return out;
  },
};

function checkAnnotations(resource: Resource, kind: string): Finding[] {
  const out: Finding[] = [];
  for (const [name, value] of Object.entries(resource.annotations)) {
    if (!inIstioDomain(name)) continue;
    const path = ["metadata", "annotations", name];
    const info = ISTIO_ANNOTATIONS.get(name);
    if (!info) {
      out.push(istioFinding("IST0108", RULE, resource, path, name));
      continue;
    }
    if (info.deprecated && !(name === SIDECAR_INJECT && resource.labels[SIDECAR_INJECT] !== undefined)) {
      out.push(istioFinding("IST0135", RULE, resource, path, name, DEPRECATION_EXTRA[name] ?? ""));
    }
    if (info.resources.includes("Any")) continue;
    if (!info.resources.includes(kind)) {
      out.push(istioFinding("IST0107", RULE, resource, path, name, info.resources.join(", ")));
      continue;
    }
    const problem = validateAnnotationValue(name, value);
    if (problem !== undefined) out.push(istioFinding("IST0125", RULE, resource, path, name, problem));
  }
  return out;
}

/** `istioAnnotation`: the part before the first `/` ends with `istio.io`. */
function inIstioDomain(name: string): boolean {
  return name === INGRESS_CLASS || name.split("/")[0]?.endsWith("istio.io") === true;
}
