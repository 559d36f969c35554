import type { ConfigSet } from "../../../mesh/config-set.ts";
import type { FieldPath } from "../../../mesh/field-path.ts";
import { isObject, type JsonObject, readArray, readString } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { isIstioControlPlane } from "../is-istio-control-plane.ts";
import { istioFinding } from "../messages.ts";

const RULE = "applicationUID.Analyzer";
/** The UID the sidecar proxy runs as; iptables lets its traffic bypass the proxy. */
const PROXY_UID = 1337;
/** Containers that may run as the proxy's UID (`util.IstioProxyName`, `util.IstioOperator`). */
const PROXY_CONTAINERS: ReadonlySet<string> = new Set(["istio-proxy", "istio-operator"]);

/**
 * `applicationUID.Analyzer` (analyzers/deployment/pod.go): a Pod, or a Deployment's pod template, whose
 * pod-level `securityContext.runAsUser` or a (non-proxy) container's is 1337 would have its traffic
 * skip the sidecar (IST0144, on the Pod or Deployment). Istio's control plane is skipped. Istio emits
 * the same text once per offending field and then drops the duplicates, so one finding per resource,
 * on the first such field. Only `containers` count (not init containers), as in Istio.
 */
export const applicationUidAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const out: Finding[] = [];
    for (const pod of set.ofKind("Pod")) out.push(...check(pod, pod.spec, ["spec"]));
    for (const deployment of set.ofKind("Deployment.apps")) {
      const template = deployment.spec.template;
      const spec = isObject(template) && isObject(template.spec) ? template.spec : {};
      out.push(...check(deployment, spec, ["spec", "template", "spec"]));
    }
    return out;
  },
};

function check(resource: Resource, podSpec: JsonObject, at: FieldPath): Finding[] {
  if (resource.synthetic || isIstioControlPlane(resource)) return [];
  const field = firstProxyUid(podSpec, at);
  return field ? [istioFinding("IST0144", RULE, resource, field)] : [];
}

/** The path of the first `runAsUser: 1337`: the pod's own, then each application container's. */
function firstProxyUid(podSpec: JsonObject, at: FieldPath): FieldPath | undefined {
  if (runsAsProxy(podSpec)) return [...at, "securityContext", "runAsUser"];
  const containers = readArray(podSpec.containers);
  for (const [i, container] of containers.entries()) {
    if (!isObject(container) || PROXY_CONTAINERS.has(readString(container.name) ?? "")) continue;
    if (runsAsProxy(container)) return [...at, "containers", i, "securityContext", "runAsUser"];
  }
  return undefined;
}

function runsAsProxy(holder: JsonObject): boolean {
  const context = holder.securityContext;
  return isObject(context) && context.runAsUser === PROXY_UID;
}
