import { describe, expect, it } from "vitest";
import { buildConfigSet } from "../../src/mesh/config-set.ts";
import { DEFAULT_MESH_CONFIG } from "../../src/mesh/mesh-config.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { diffMtls, simulateMtls } from "../../src/simulation/simulate-mtls.ts";

// Expected modes are worked out from semantics.md §b (Istio's ComposePeerAuthentication): start PERMISSIVE,
// apply mesh (root namespace, no selector) → namespace → workload, UNSET inherits, port-level only from
// the workload policy, selector policies in the root namespace ignored.
const set = (text: string) => buildConfigSet(parseDocuments({ path: "m.yaml", content: text }).resources, DEFAULT_MESH_CONFIG);
const pa = (ns: string, name: string, spec: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}---\n`;
const pod = (ns: string, name: string, labels: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {${labels}}}\nspec:\n  containers: [{name: app, image: app}, {name: istio-proxy, image: proxyv2}]\n---\n`;
const pods = pod("shop", "web", "app: web") + pod("shop", "db", "app: db") + pod("legacy", "old", "app: old");
const modes = (text: string) => Object.fromEntries(simulateMtls(set(text)).workloads.map((w) => [`${w.namespace}/${w.workload}`, [w.mode, w.ports]]));

describe("simulateMtls", () => {
  it("is PERMISSIVE when no policy applies", () => {
    expect(modes(pods)).toEqual({ "shop/web": ["PERMISSIVE", {}], "shop/db": ["PERMISSIVE", {}], "legacy/old": ["PERMISSIVE", {}] });
  });

  it("applies mesh, then namespace, then workload and port-level policies", () => {
    const text =
      pa("istio-system", "default", "  mtls: {mode: STRICT}\n") +
      pa("legacy", "default", "  mtls: {mode: PERMISSIVE}\n") +
      pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: DISABLE}\n  portLevelMtls:\n    '5432': {mode: STRICT}\n") +
      pods;
    expect(modes(text)).toEqual({ "shop/web": ["STRICT", {}], "shop/db": ["DISABLE", { "5432": "STRICT" }], "legacy/old": ["PERMISSIVE", {}] });
  });

  it("lets an UNSET namespace policy inherit, and ignores selector policies in the root namespace", () => {
    const text =
      pa("istio-system", "default", "  mtls: {mode: STRICT}\n") +
      pa("istio-system", "web-off", "  selector: {matchLabels: {app: web}}\n  mtls: {mode: DISABLE}\n") +
      pa("shop", "default", "  mtls: {mode: UNSET}\n") +
      pods;
    expect(modes(text)["shop/web"]).toEqual(["STRICT", {}]);
  });

  it("finds client TLS modes that break against the server's", () => {
    const svc = "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\nspec:\n  selector: {app: db}\n  ports: [{port: 5432}]\n---\n";
    const dr = (mode: string) => `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: db, namespace: shop}\nspec:\n  host: db\n  trafficPolicy:\n    tls: {mode: ${mode}}\n`;
    const strict = pa("istio-system", "default", "  mtls: {mode: STRICT}\n");
    const [plain] = simulateMtls(set(strict + pods + svc + dr("DISABLE"))).conflicts;
    expect(plain).toMatchObject({ clientMode: "DISABLE", serverMode: "STRICT", workload: "shop/db", line: 38 });
    const off = pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: DISABLE}\n");
    expect(simulateMtls(set(off + pods + svc + dr("ISTIO_MUTUAL"))).conflicts.map((c) => [c.clientMode, c.serverMode])).toEqual([["ISTIO_MUTUAL", "DISABLE"]]);
    expect(simulateMtls(set(strict + pods + svc + dr("ISTIO_MUTUAL"))).conflicts).toEqual([]);
  });
});

describe("diffMtls", () => {
  it("flags STRICT → PERMISSIVE as a weakening, per scope", () => {
    const before = simulateMtls(set(pa("istio-system", "default", "  mtls: {mode: STRICT}\n") + pods));
    const after = simulateMtls(set(pa("istio-system", "default", "  mtls: {mode: STRICT}\n") + pa("shop", "default", "  mtls: {mode: PERMISSIVE}\n") + pods));
    expect(diffMtls(before, after).map((c) => [c.scope, c.before, c.after, c.weakening])).toEqual([
      ["namespace shop", "STRICT", "PERMISSIVE", true],
      ["workload shop/web", "STRICT", "PERMISSIVE", true],
      ["workload shop/db", "STRICT", "PERMISSIVE", true],
    ]);
  });
});
