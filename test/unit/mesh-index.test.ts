import { describe, expect, it } from "vitest";
import { indexFile, indexKey, type MeshIndex, relatedPaths, relationsOfFiles, rootNamespaceOf } from "../../src/app/mesh-index.ts";

const file = (path: string, content: string) => ({ path, content });
const repo = {
  "ns/shop.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: { istio-injection: enabled }\n",
  "shop/cart/workload.yaml": `apiVersion: v1
kind: Service
metadata: { name: cart, namespace: shop }
spec: { selector: { app: cart }, ports: [{ port: 80, name: http }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: cart-v1, namespace: shop }
spec:
  selector: { matchLabels: { app: cart, version: v1 } }
  template: { metadata: { labels: { app: cart, version: v1 } }, spec: { containers: [{ name: c, image: i }] } }
`,
  "shop/cart/mesh.yaml": "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: cart, namespace: shop }\nspec: { host: cart, subsets: [{ name: v1, labels: { version: v1 } }] }\n",
  "shop/web/mesh.yaml": "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: web, namespace: shop }\nspec:\n  hosts: [web]\n  gateways: [shop/public]\n  http: [{ route: [{ destination: { host: cart.shop.svc.cluster.local } }] }]\n",
  "shop/gateway.yaml": "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: { name: public, namespace: shop }\nspec: { selector: { istio: ingressgateway }, servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ['*'] }] }\n",
  "shop/policy.yaml": "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: default, namespace: shop }\nspec: { mtls: { mode: STRICT } }\n",
  "shop/other/workload.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: other, namespace: shop }\nspec:\n  selector: { matchLabels: { app: other } }\n  template: { metadata: { labels: { app: other } }, spec: { containers: [{ name: c, image: i }] } }\n",
  "platform/root.yaml": "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: default, namespace: istio-system }\nspec: { mtls: { mode: STRICT } }\n",
  "ops/other-ns.yaml": "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: db, namespace: ops }\nspec: { host: db }\n",
};
const index: MeshIndex = { commit: "c", key: "test", files: Object.fromEntries(Object.entries(repo).map(([p, c]) => [p, indexFile(file(p, c))])) };
const related = (path: string) => relatedPaths(index, relationsOfFiles([file(path, repo[path as keyof typeof repo])]), new Set([path]), "istio-system");

describe("the mesh index", () => {
  it("relates a DestinationRule to its Service and workloads, the routes to its host, its namespace and namespace-wide policy", () => {
    expect(related("shop/cart/mesh.yaml")).toEqual(["ns/shop.yaml", "platform/root.yaml", "shop/cart/workload.yaml", "shop/policy.yaml", "shop/web/mesh.yaml"]);
  });

  it("relates a VirtualService to its gateway and destinations, not to unrelated workloads of the namespace", () => {
    const r = related("shop/web/mesh.yaml");
    expect(r).toEqual(expect.arrayContaining(["shop/gateway.yaml", "shop/cart/mesh.yaml", "shop/cart/workload.yaml"]));
    expect(r).not.toContain("shop/other/workload.yaml");
    expect(r).not.toContain("ops/other-ns.yaml");
  });

  it("relates a namespace-wide policy to every workload of its namespace", () => {
    expect(related("shop/policy.yaml")).toEqual(expect.arrayContaining(["shop/cart/workload.yaml", "shop/other/workload.yaml"]));
    expect(related("shop/policy.yaml")).not.toContain("ops/other-ns.yaml");
  });

  it("keeps an unparseable file out of the index rather than failing", () => {
    expect(indexFile(file("bad.yaml", "kind: [unclosed\n"))).toEqual({ provides: [], needs: [] });
  });

  it("finds the root namespace in the repo's istio ConfigMap and relates that file and the root's policies to every change", () => {
    const meshConfig = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: istio, namespace: istio-system }\ndata:\n  mesh: |\n    rootNamespace: mesh-root\n";
    const rootPolicy = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: default, namespace: mesh-root }\nspec: { mtls: { mode: STRICT } }\n";
    const files = { ...repo, "platform/mesh-config.yaml": meshConfig, "platform/mesh-root.yaml": rootPolicy };
    const withConfig: MeshIndex = { commit: "c", key: "test", files: Object.fromEntries(Object.entries(files).map(([p, c]) => [p, indexFile(file(p, c))])) };
    const change = relationsOfFiles([file("ops/other-ns.yaml", repo["ops/other-ns.yaml"])]);
    expect(rootNamespaceOf(withConfig, change)).toBe("mesh-root");
    expect(rootNamespaceOf(index, change)).toBe("istio-system");
    const r = relatedPaths(withConfig, change, new Set(["ops/other-ns.yaml"]), rootNamespaceOf(withConfig, change));
    expect(r).toEqual(["platform/mesh-config.yaml", "platform/mesh-root.yaml"]);
  });

  it("keys an index by its format and mesh paths, so a stored one built otherwise is rebuilt", () => {
    expect(indexKey(["**/*.yaml"])).toBe(indexKey(["**/*.yaml"]));
    expect(indexKey(["mesh/**"])).not.toBe(indexKey(["**/*.yaml"]));
  });
});
