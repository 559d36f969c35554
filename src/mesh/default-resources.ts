import type { FieldPath } from "./field-path.ts";
import type { JsonObject } from "./json.ts";
import type { MeshConfig } from "./mesh-config.ts";
import type { Resource } from "./resource.ts";

const ORIGIN = "(istio default)";

function synthetic(kind: string, namespace: string, name: string, body: JsonObject): Resource {
  const metadata = body.metadata as JsonObject;
  return {
    apiVersion: "v1",
    group: "",
    version: "v1",
    kind,
    key: kind,
    name,
    namespace,
    labels: (metadata.labels as Record<string, string> | undefined) ?? {},
    annotations: {},
    body,
    spec: (body.spec as JsonObject | undefined) ?? {},
    source: { file: ORIGIN, document: 0, position: { line: 1, column: 1 } },
    locate: (_path: FieldPath) => ({ line: 1, column: 1 }),
    synthetic: true,
  };
}

/**
 * The ingress gateway Pod and Service that `istioctl analyze` adds when the ingress controller is on
 * (`pkg/config/analysis/local/defaults.go`). The Pod's proxy has no image, so it is not "in the mesh".
 */
export function defaultResources(mesh: MeshConfig): Resource[] {
  if (mesh.ingressControllerMode === "OFF") return [];
  const ns = mesh.rootNamespace;
  const labels = { istio: mesh.ingressSelector };
  const pod = synthetic("Pod", ns, `${mesh.ingressService}-dummypod`, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `${mesh.ingressService}-dummypod`, namespace: ns, labels },
    spec: { containers: [{ name: "istio-proxy" }] },
  });
  const ports = [80, 443, 31400, 15443].map((p) => ({ name: `tcp-${p}`, port: p, targetPort: p, protocol: "TCP" }));
  const service = synthetic("Service", ns, mesh.ingressService, {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: mesh.ingressService, namespace: ns },
    spec: { selector: labels, ports },
  });
  return [pod, service];
}
