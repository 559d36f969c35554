import { describe, expect, it } from "vitest";
import { buildConfigSet } from "../../src/mesh/config-set.ts";
import { defaultResources } from "../../src/mesh/default-resources.ts";
import { DEFAULT_MESH_CONFIG } from "../../src/mesh/mesh-config.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import {
  endpointLabels,
  firstSelectorKey,
  formatSelector,
  groupByNamespace,
  hasWorkloadInventory,
  indexByLabels,
  indexNamespaces,
  listWorkloads,
  namespaceInAmbientMode,
  selectorMatches,
  workloadInAmbientMode,
  workloadInMesh,
} from "../../src/mesh/workloads.ts";

function setOf(yaml: string, withDefaults = true) {
  const { resources } = parseDocuments({ path: "in.yaml", content: yaml });
  return buildConfigSet([...resources, ...(withDefaults ? defaultResources(DEFAULT_MESH_CONFIG) : [])], DEFAULT_MESH_CONFIG);
}

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web, version: v1}
      annotations: {sidecar.istio.io/inject: "true"}
    spec:
      containers: [{name: web, image: web:1}]
`;

describe("listWorkloads", () => {
  it("turns a Deployment's pod template into a workload named after it", () => {
    const workloads = listWorkloads(setOf(DEPLOYMENT, false));
    expect(workloads).toHaveLength(1);
    expect(workloads[0]).toMatchObject({ namespace: "shop", name: "web", labels: { app: "web", version: "v1" }, fromTemplate: true });
    expect(workloads[0]?.containers).toEqual([{ name: "web", image: "web:1" }]);
  });

  it("drops a template whose pods are given, so a workload is not counted twice", () => {
    const pod = `---\napiVersion: v1\nkind: Pod\nmetadata: {name: web-1, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: web}]}\n`;
    const names = listWorkloads(setOf(DEPLOYMENT + pod, false)).map((w) => w.name);
    expect(names).toEqual(["web-1"]);
  });

  it("keeps one Pod per namespace/name, preferring the given one over Istio's synthetic ingress Pod", () => {
    const given = `apiVersion: v1\nkind: Pod\nmetadata: {name: istio-ingressgateway-dummypod, namespace: istio-system, labels: {istio: custom}}\n`;
    const workloads = listWorkloads(setOf(given));
    expect(workloads).toHaveLength(1);
    expect(workloads[0]?.labels).toEqual({ istio: "custom" });
    expect(workloads[0]?.resource.synthetic).toBeUndefined();
  });

  it("reads init containers too (native sidecars)", () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers: [{name: app, image: a}]\n  initContainers: [{name: istio-proxy, image: proxyv2}]\n  nodeName: n1\n`;
    const [w] = listWorkloads(setOf(pod, false));
    expect(w?.containers.map((c) => c.name)).toEqual(["app", "istio-proxy"]);
    expect(w?.nodeName).toBe("n1");
  });
});

describe("selectors", () => {
  it("matches when every selector pair is among the labels; empty matches all", () => {
    expect(selectorMatches({ app: "a" }, { app: "a", v: "1" })).toBe(true);
    expect(selectorMatches({ app: "a", v: "2" }, { app: "a", v: "1" })).toBe(false);
    expect(selectorMatches({ region: "" }, {})).toBe(false);
    expect(selectorMatches({}, {})).toBe(true);
  });

  it("prints like Kubernetes' SelectorFromSet(...).String(), sorted by key", () => {
    expect(formatSelector({ version: "v1", app: "httpbin" })).toBe("app=httpbin,version=v1");
    expect(formatSelector({})).toBe("");
    expect(firstSelectorKey({ version: "v1", app: "httpbin" })).toBe("app");
    expect(firstSelectorKey({})).toBeUndefined();
  });
});

describe("indexByLabels", () => {
  const items = [
    { name: "a", labels: { app: "web", v: "1" } },
    { name: "b", labels: { app: "web", v: "2" } },
    { name: "c", labels: { app: "api", v: "1" } },
  ];
  const index = indexByLabels(items, (i) => i.labels);

  it("returns what selectorMatches would, in the items' order", () => {
    for (const selector of [{}, { app: "web" }, { v: "1" }, { app: "web", v: "1" }, { app: "none" }, { app: "web", v: "3" }]) {
      const expected = items.filter((i) => selectorMatches(selector, i.labels));
      expect(index.matching(selector)).toEqual(expected);
      expect(index.matchesAny(selector)).toBe(expected.length > 0);
    }
  });

  it("groups by namespace in order", () => {
    const grouped = groupByNamespace([{ namespace: "a", n: 1 }, { namespace: "b", n: 2 }, { namespace: "a", n: 3 }]);
    expect([...grouped].map(([ns, list]) => [ns, list.map((x) => x.n)])).toEqual([["a", [1, 3]], ["b", [2]]]);
  });
});

describe("mesh membership", () => {
  const nsYaml = `
apiVersion: v1
kind: Namespace
metadata: {name: injected, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: amb, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: v1
kind: Namespace
metadata: {name: amb-rev, labels: {istio.io/dataplane-mode: ambient, istio.io/rev: canary}}
`;

  it("follows util.PodInMesh: proxy image, then inject label, then annotation, then namespace label", () => {
    const set = setOf(`${nsYaml}
---
apiVersion: v1
kind: Pod
metadata: {name: proxied, namespace: other}
spec: {containers: [{name: istio-proxy, image: proxyv2}]}
---
apiVersion: v1
kind: Pod
metadata: {name: ns-injected, namespace: injected}
---
apiVersion: v1
kind: Pod
metadata: {name: opted-out, namespace: injected, labels: {sidecar.istio.io/inject: "false"}}
---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: other}
`);
    const namespaces = indexNamespaces(set);
    const inMesh = Object.fromEntries(listWorkloads(set).map((w) => [w.name, workloadInMesh(w, namespaces)]));
    // Istio's dummy ingress pod has an istio-proxy container without image: not in the mesh.
    expect(inMesh).toEqual({ proxied: true, "ns-injected": true, "opted-out": false, plain: false, "istio-ingressgateway-dummypod": false });
  });

  it("treats a namespace as ambient unless sidecar injection is also on", () => {
    const namespaces = indexNamespaces(setOf(nsYaml));
    expect(namespaceInAmbientMode(namespaces.get("amb"))).toBe(true);
    expect(namespaceInAmbientMode(namespaces.get("amb-rev"))).toBe(false);
    expect(namespaceInAmbientMode(namespaces.get("injected"))).toBe(false);
    expect(namespaceInAmbientMode(undefined)).toBe(false);
  });

  it("counts a Pod as ambient only by the CNI's annotation, a template by its namespace", () => {
    const set = setOf(`${nsYaml}
---
apiVersion: v1
kind: Pod
metadata: {name: unmarked, namespace: amb}
---
apiVersion: v1
kind: Pod
metadata: {name: marked, namespace: other, annotations: {ambient.istio.io/redirection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tmpl, namespace: amb}
spec: {selector: {matchLabels: {app: tmpl}}, template: {metadata: {labels: {app: tmpl}}}}
`);
    const namespaces = indexNamespaces(set);
    const ambient = Object.fromEntries(listWorkloads(set).map((w) => [w.name, workloadInAmbientMode(w, namespaces)]));
    expect(ambient).toMatchObject({ unmarked: false, marked: true, tmpl: true });
  });
});

describe("endpointLabels", () => {
  it("adds the node's non-empty locality and its name, as Istio's AugmentLabels", () => {
    const set = setOf(`apiVersion: v1
kind: Node
metadata:
  name: n1
  labels: {topology.kubernetes.io/region: eu, topology.kubernetes.io/zone: "", other: x}
---
apiVersion: v1
kind: Pod
metadata: {name: on-node, namespace: a, labels: {app: a}}
spec: {nodeName: n1}
---
apiVersion: v1
kind: Pod
metadata: {name: unknown-node, namespace: a, labels: {app: b}}
spec: {nodeName: n2}
`, false);
    const [onNode, unknownNode] = listWorkloads(set);
    expect(onNode && endpointLabels(set, onNode)).toEqual({ app: "a", "topology.kubernetes.io/region": "eu", "kubernetes.io/hostname": "n1" });
    expect(unknownNode && endpointLabels(set, unknownNode)).toEqual({ app: "b" });
  });
});

describe("hasWorkloadInventory", () => {
  it("ignores Istio's synthetic ingress Pod and counts pod-templated controllers", () => {
    expect(hasWorkloadInventory(setOf("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"))).toBe(false);
    expect(hasWorkloadInventory(setOf(DEPLOYMENT))).toBe(true);
  });
});
