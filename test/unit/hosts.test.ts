import { describe, expect, it } from "vitest";
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
