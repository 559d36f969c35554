import { describe, expect, it } from "vitest";
import { buildConfigSet } from "../../src/mesh/config-set.ts";
import {
  formatFullName,
  fullNameFromFqdn,
  hostSubsetOf,
  hostsForNamespace,
  hostsMatch,
  normalizeGatewayHosts,
  resourceNameFromHost,
  scopedFqdn,
  shortOrFullName,
  splitNamespacedHost,
  toFqdn,
} from "../../src/mesh/hosts.ts";
import { DEFAULT_MESH_CONFIG } from "../../src/mesh/mesh-config.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { buildServiceRegistry } from "../../src/mesh/service-registry.ts";

describe("toFqdn", () => {
  it("qualifies short names only", () => {
    expect(toFqdn("reviews", "default")).toBe("reviews.default.svc.cluster.local");
    expect(toFqdn("reviews", "")).toBe("reviews..svc.cluster.local");
    expect(toFqdn("reviews.default", "other")).toBe("reviews.default");
    expect(toFqdn("*", "default")).toBe("*");
    expect(toFqdn("*.example.com", "default")).toBe("*.example.com");
    expect(toFqdn("reviews", "default", "corp.local")).toBe("reviews.default.svc.corp.local");
  });
});

describe("fullNameFromFqdn / resourceNameFromHost", () => {
  it("reads name and namespace from a Kubernetes FQDN, greedily like Go", () => {
    expect(fullNameFromFqdn("reviews.prod.svc.cluster.local")).toEqual({ namespace: "prod", name: "reviews" });
    expect(fullNameFromFqdn("a.b.c.svc.cluster.local")).toEqual({ namespace: "c", name: "a.b" });
    expect(fullNameFromFqdn("reviews.prod")).toBeUndefined();
  });
  it("keeps any other host as-is in the default namespace", () => {
    expect(resourceNameFromHost("default", "reviews")).toEqual({ namespace: "default", name: "reviews" });
    expect(resourceNameFromHost("default", "reviews.prod.svc.cluster.local")).toEqual({ namespace: "prod", name: "reviews" });
    expect(resourceNameFromHost("default", "api.example.com")).toEqual({ namespace: "default", name: "api.example.com" });
  });
});

describe("hostsMatch / hostSubsetOf", () => {
  const cases: [string, string, boolean][] = [
    ["foo.com", "foo.com", true],
    ["foo.com", "bar.com", false],
    ["*.com", "foo.com", true],
    ["bar.com", "*.com", true],
    ["*.foo.com", "foo.com", false],
    ["*", "foo.com", true],
    ["*", "*.com", true],
    ["*.a.com", "*.com", true],
  ];
  it.each(cases)("%s matches %s: %s", (a, b, want) => {
    expect(hostsMatch(a, b)).toBe(want);
    expect(hostsMatch(b, a)).toBe(want);
  });
  it("subset is one-directional", () => {
    expect(hostSubsetOf("foo.com", "*.com")).toBe(true);
    expect(hostSubsetOf("*.com", "foo.com")).toBe(false);
    expect(hostSubsetOf("*.a.com", "*.com")).toBe(true);
    expect(hostSubsetOf("*.com", "*.a.com")).toBe(false);
    expect(hostSubsetOf("a.com", "a.com")).toBe(true);
  });
});

describe("gateway host namespaces", () => {
  it("normalizes ./, */ and */* like sanitizeServerHostNamespace", () => {
    expect(normalizeGatewayHosts(["./a.com", "*/b.com", "ns/c.com", "d.com"], "gw-ns")).toEqual(["gw-ns/a.com", "b.com", "ns/c.com", "d.com"]);
    expect(normalizeGatewayHosts(["a.com", "*/*"], "gw-ns")).toEqual(["*"]);
  });
  it("keeps the hosts visible from a namespace like NamesForNamespace", () => {
    expect(hostsForNamespace(["ns1/foo.com", "ns2/bar.com"], "ns1")).toEqual(["foo.com"]);
    expect(hostsForNamespace(["ns1/foo.com", "*/bar.com"], "ns3")).toEqual(["bar.com"]);
    expect(hostsForNamespace(["foo.com", "ns2/bar.com"], "ns2")).toEqual(["foo.com", "bar.com"]);
  });
  it("splits [namespace/]host entries", () => {
    expect(splitNamespacedHost("ns/a.com")).toEqual({ namespace: "ns", host: "a.com" });
    expect(splitNamespacedHost("a.com")).toEqual({ namespace: "*", host: "a.com" });
  });
});

describe("names", () => {
  it("splits short or full names and prints them like resource.FullName", () => {
    expect(shortOrFullName("default", "gw")).toEqual({ namespace: "default", name: "gw" });
    expect(shortOrFullName("default", "istio-system/gw")).toEqual({ namespace: "istio-system", name: "gw" });
    expect(formatFullName({ namespace: "", name: "gw" })).toBe("gw");
    expect(formatFullName({ namespace: "a", name: "gw" })).toBe("a/gw");
    expect(scopedFqdn("*", "default", "reviews")).toBe("*/reviews.default.svc.cluster.local");
  });
});

describe("buildServiceRegistry", () => {
  const yaml = `apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: default
spec:
  ports: [{port: 9080, name: http}]
---
apiVersion: v1
kind: Service
metadata:
  name: private
  namespace: team
  annotations:
    networking.istio.io/exportTo: ".,ops"
spec:
  ports: [{port: 80, name: http}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: partner
  namespace: team
spec:
  exportTo: [other, "*"]
  hosts: [a.partner.com, b.partner.com]
  ports: [{number: 443, name: tls, protocol: TLS}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: wild
  namespace: team
spec:
  exportTo: ["."]
  hosts: ["*.wild.com"]
`;
  const registry = (mesh = DEFAULT_MESH_CONFIG, options = {}) =>
    buildServiceRegistry(buildConfigSet(parseDocuments({ path: "r.yaml", content: yaml }).resources, mesh), options);

  it("keys Services by scoped FQDN, honouring the exportTo annotation", () => {
    const r = registry();
    expect([...r.byScopedHost.keys()]).toEqual(expect.arrayContaining([
      "*/reviews.default.svc.cluster.local",
      "team/private.team.svc.cluster.local",
      "ops/private.team.svc.cluster.local",
    ]));
    expect(r.lookup("default", [], "reviews")?.ports).toEqual([{ number: 9080, name: "http", protocol: "" }]);
    expect(r.lookup("team", [], "private")?.resource.name).toBe("private"); // short names qualify with the source namespace
    expect(r.lookup("team", [], "private.team.svc.cluster.local")?.resource.name).toBe("private");
    expect(r.lookup("default", [], "private.team.svc.cluster.local")).toBeUndefined();
    expect(r.lookup("default", ["ops"], "private.team.svc.cluster.local")?.resource.name).toBe("private");
  });

  it("stops at `*` in a ServiceEntry's exportTo and keeps exporting later hosts to all, like Istio", () => {
    const keys = [...registry().byScopedHost.keys()];
    expect(keys).toEqual(expect.arrayContaining(["other/a.partner.com", "*/a.partner.com", "*/b.partner.com"]));
    expect(keys).not.toContain("other/b.partner.com");
  });

  it("matches wildcard ServiceEntry hosts visible from the source namespace", () => {
    expect(registry().lookup("team", [], "api.wild.com")?.resource.name).toBe("wild");
    expect(registry().lookup("default", [], "api.wild.com")).toBeUndefined();
  });

  it("applies MeshConfig clusterDomain and, on request, defaultServiceExportTo", () => {
    const mesh = { ...DEFAULT_MESH_CONFIG, raw: { clusterDomain: "corp.local", defaultServiceExportTo: ["."] } };
    const r = registry(mesh, { meshDefaults: true });
    expect(r.byScopedHost.has("default/reviews.default.svc.corp.local")).toBe(true);
    expect(r.lookup("other", [], "reviews.default.svc.corp.local")).toBeUndefined();
  });
});
