import { describe, expect, it } from "vitest";
import { buildConfigSet } from "../../src/mesh/config-set.ts";
import { DEFAULT_MESH_CONFIG, readMeshConfig } from "../../src/mesh/mesh-config.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import { diffMtls, simulateMtls } from "../../src/simulation/simulate-mtls.ts";

// Expected modes are worked out from semantics.md §b (Istio's ComposePeerAuthentication): start PERMISSIVE,
// apply mesh (root namespace, no selector) → namespace → workload, UNSET inherits, port-level only from
// the workload policy, selector policies in the root namespace ignored.
const set = (text: string, mesh = DEFAULT_MESH_CONFIG) => buildConfigSet(parseDocuments({ path: "m.yaml", content: text }).resources, mesh);
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

// Client/server pairings, worked out from semantics.md §b: the DR that applies (client namespace, then
// the Service's, then the root namespace; most specific host; exportTo), its tls merged per port and
// subset (a portLevelSettings entry replaces the policy, a subset's tls overrides), and the conflict table
// (ISTIO_MUTUAL fails against DISABLE or no sidecar; DISABLE/SIMPLE/MUTUAL fail against STRICT; no tls:
// auto mTLS follows the server, off it sends plaintext). PA portLevelMtls keys are workload ports, DR
// portLevelSettings are Service ports.
const podWith = (ns: string, name: string, labels: string, sidecar = true) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {${labels}}}\nspec:\n  containers: [{name: app, image: app}${sidecar ? ", {name: istio-proxy, image: proxyv2}" : ""}]\n---\n`;
const service = (ns: string, name: string, ports: string, extra = "") =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {app: ${name}}\n  ports: ${ports}\n${extra}---\n`;
const destinationRule = (ns: string, name: string, spec: string) => `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}---\n`;
// db's Service port 80 forwards to the workload's 8080; 5432 to 5432.
const dbService = service("shop", "db", "[{name: http, port: 80, targetPort: 8080}, {name: tcp, port: 5432}]");
const db = podWith("shop", "db", "app: db");
const conflictsOf = (text: string, mesh = DEFAULT_MESH_CONFIG) =>
  simulateMtls(set(text, mesh)).conflicts.map((c) => ({ workload: c.workload, port: c.port, targetPort: c.targetPort, client: c.clientMode, server: c.serverMode, cause: c.cause, clients: c.clients, subset: c.subset, rule: `${c.rule.kind} ${c.rule.namespace}/${c.rule.name}` }));
const outcomes = (text: string, mesh = DEFAULT_MESH_CONFIG) =>
  simulateMtls(set(text, mesh)).channels.map((c) => `${c.clients.join("+")} → ${c.workload}:${c.port ?? "*"}${c.subset ? `/${c.subset}` : ""} ${c.clientMode} ${c.outcome}`);

describe("simulateMtls port-level modes", () => {
  it("applies a workload's port-level modes over a namespace STRICT, an UNSET port inheriting", () => {
    // Namespace STRICT; db's policy has no mtls (inherits STRICT) and port modes 8080 PERMISSIVE, 9090 UNSET.
    const text =
      pa("shop", "default", "  mtls: {mode: STRICT}\n") +
      pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  portLevelMtls:\n    8080: {mode: PERMISSIVE}\n    9090: {mode: UNSET}\n") +
      pods;
    expect(modes(text)["shop/db"]).toEqual(["STRICT", { "8080": "PERMISSIVE", "9090": "STRICT" }]);
    expect(modes(text)["shop/web"]).toEqual(["STRICT", {}]);
  });

  it("judges a port-level DR DISABLE against the workload port its Service port forwards to", () => {
    // PA: db PERMISSIVE, workload port 8080 STRICT. DR: Service port 80 (→ 8080) DISABLE. Port 80 sends
    // plaintext to a STRICT port: fails. Port 5432 has no tls: auto mTLS to PERMISSIVE, fine.
    const strict8080 = pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: PERMISSIVE}\n  portLevelMtls:\n    8080: {mode: STRICT}\n");
    const dr = destinationRule("shop", "db", "  host: db\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 80}\n      tls: {mode: DISABLE}\n");
    expect(conflictsOf(strict8080 + db + dbService + dr)).toEqual([
      { workload: "shop/db", port: 80, targetPort: 8080, client: "DISABLE", server: "STRICT", cause: "destination-rule", clients: ["shop", "*"], subset: undefined, rule: "DestinationRule shop/db" },
    ]);
    const [conflict] = simulateMtls(set(strict8080 + db + dbService + dr)).conflicts;
    expect(conflict?.line).toBe(lineOf(strict8080 + db + dbService + dr, "tls: {mode: DISABLE}"));
    expect(conflict?.message).toBe("clients send plaintext to shop/db port 80 (target port 8080), which requires Istio mTLS (STRICT): connections fail");
    // 8080 is not a Service port, so a DR entry for it configures no cluster: nothing breaks.
    expect(conflictsOf(strict8080 + db + dbService + dr.replace("number: 80}", "number: 8080}"))).toEqual([]);
  });

  it("lets plaintext reach a PERMISSIVE port, as a client-side weakening rather than a conflict", () => {
    // PA: db STRICT, port 8080 PERMISSIVE. DR port 80 (→ 8080) DISABLE: plaintext accepted, no conflict.
    const permissive8080 = pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: STRICT}\n  portLevelMtls:\n    8080: {mode: PERMISSIVE}\n");
    const dr = destinationRule("shop", "db", "  host: db\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 80}\n      tls: {mode: DISABLE}\n");
    const before = permissive8080 + db + dbService;
    expect(conflictsOf(before + dr)).toEqual([]);
    expect(outcomes(before + dr)).toEqual(["shop+* → shop/db:80 DISABLE plaintext", "shop+* → shop/db:5432 auto mTLS"]);
    // Before the DR, auto mTLS sent mTLS on both ports; the change makes port 80 plaintext.
    const changes = diffMtls(simulateMtls(set(before)), simulateMtls(set(before + dr)));
    expect(changes.map((c) => [c.level, c.weakening, c.channel?.before, c.channel?.after, c.channel?.port])).toEqual([["clients", true, "mTLS", "plaintext", 80]]);
  });

  it("drops the DR-level tls on a port whose portLevelSettings entry has none", () => {
    // DR: ISTIO_MUTUAL, but port 80's entry only tunes the connection pool, so it replaces the policy and
    // port 80 has no tls: auto mTLS, which sends plaintext to a DISABLE workload. Port 5432 keeps
    // ISTIO_MUTUAL, which a DISABLE workload cannot terminate.
    const off = pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: DISABLE}\n");
    const dr = destinationRule("shop", "db", "  host: db\n  trafficPolicy:\n    tls: {mode: ISTIO_MUTUAL}\n    portLevelSettings:\n    - port: {number: 80}\n      connectionPool: {tcp: {maxConnections: 10}}\n");
    expect(conflictsOf(off + db + dbService + dr).map((c) => [c.port, c.client, c.server])).toEqual([[5432, "ISTIO_MUTUAL", "DISABLE"]]);
    expect(outcomes(off + db + dbService + dr)).toEqual(["shop+* → shop/db:80 auto plaintext", "shop+* → shop/db:5432 ISTIO_MUTUAL fails"]);
  });
});

describe("simulateMtls Service ports", () => {
  const strict8080 = pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: PERMISSIVE}\n  portLevelMtls:\n    8080: {mode: STRICT}\n");
  const dr = (port: number) => destinationRule("shop", "db", `  host: db\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: ${port}}\n      tls: {mode: DISABLE}\n`);

  it("resolves a named targetPort through the workload's container ports", () => {
    // Service port 80 → targetPort "http" → the Deployment's container port named http, 8080 (STRICT).
    const deployment =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db, namespace: shop}\nspec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n" +
      "    spec: {containers: [{name: db, image: db, ports: [{name: http, containerPort: 8080}]}]}\n---\n";
    const svc = service("shop", "db", "[{port: 80, targetPort: http}]");
    expect(conflictsOf(strict8080 + deployment + svc + dr(80)).map((c) => [c.port, c.targetPort, c.server])).toEqual([[80, 8080, "STRICT"]]);
  });

  it("takes a Service without ports to forward each named port to the same workload port", () => {
    // No ports listed: assumed port = targetPort for the ports the DR and PA name (8080), plus the rest.
    const svc = "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\nspec:\n  selector: {app: db}\n---\n";
    expect(outcomes(strict8080 + db + svc + dr(8080))).toEqual(["shop+* → shop/db:8080 DISABLE fails", "shop+* → shop/db:* auto mTLS"]);
  });

  it("gives clients picked by a DR's workloadSelector their own scope", () => {
    // Only shop's app=web proxies apply the selector DR; the generic rule for the host in shop has no
    // selector-less DR, so other clients there fall back to auto mTLS, as everyone else does.
    const strict = pa("istio-system", "default", "  mtls: {mode: STRICT}\n");
    const selected = destinationRule("shop", "web-to-db", "  host: db\n  workloadSelector: {matchLabels: {app: web}}\n  trafficPolicy: {tls: {mode: DISABLE}}\n");
    const [c] = simulateMtls(set(strict + db + service("shop", "db", "[{port: 5432}]") + selected)).conflicts;
    expect(c?.clients).toEqual(["shop|app=web"]);
    expect(c?.message).toBe("clients in shop (app=web) send plaintext to shop/db port 5432, which requires Istio mTLS (STRICT): connections fail");
  });
});

describe("simulateMtls subsets", () => {
  const v1 = podWith("shop", "db-v1", "app: db, version: v1");
  const v2 = podWith("shop", "db-v2", "app: db, version: v2");
  const strict = pa("istio-system", "default", "  mtls: {mode: STRICT}\n");
  const svc = service("shop", "db", "[{port: 5432}]");

  it("applies a subset's tls only to the subset's workloads", () => {
    // v1's subset turns TLS off: the v1 cluster sends plaintext to STRICT db-v1. v2 and the Service's own
    // cluster have no tls: auto mTLS, fine.
    const dr = destinationRule("shop", "db", "  host: db\n  subsets:\n  - name: v1\n    labels: {version: v1}\n    trafficPolicy: {tls: {mode: DISABLE}}\n  - name: v2\n    labels: {version: v2}\n");
    expect(conflictsOf(strict + v1 + v2 + svc + dr)).toEqual([
      { workload: "shop/db-v1", port: 5432, targetPort: 5432, client: "DISABLE", server: "STRICT", cause: "destination-rule", clients: ["shop", "*"], subset: "v1", rule: "DestinationRule shop/db" },
    ]);
  });

  it("lets a subset's port-level entry without tls drop both the DR's and the subset's tls", () => {
    // DR-level DISABLE breaks the Service's own cluster on STRICT pods; the v2 subset's entry for 5432
    // replaces the policy for that port, so the v2 cluster falls back to auto mTLS and works.
    const dr = destinationRule(
      "shop",
      "db",
      "  host: db\n  trafficPolicy: {tls: {mode: DISABLE}}\n  subsets:\n  - name: v2\n    labels: {version: v2}\n    trafficPolicy:\n      portLevelSettings: [{port: {number: 5432}, loadBalancer: {simple: ROUND_ROBIN}}]\n",
    );
    expect(outcomes(strict + v1 + v2 + svc + dr)).toEqual([
      "shop+* → shop/db-v1:5432 DISABLE fails",
      "shop+* → shop/db-v2:5432 DISABLE fails",
      "shop+* → shop/db-v2:5432/v2 auto mTLS",
    ]);
    // One conflict per workload, both at the DR-level tls (not a subset's).
    expect(conflictsOf(strict + v1 + v2 + svc + dr).map((c) => [c.workload, c.subset])).toEqual([["shop/db-v1", undefined], ["shop/db-v2", undefined]]);
  });
});

describe("simulateMtls auto mTLS", () => {
  const strict = pa("istio-system", "default", "  mtls: {mode: STRICT}\n");
  const svc = service("shop", "db", "[{port: 5432}]");
  const off = readMeshConfig({ enableAutoMtls: false });

  it("sends mTLS to sidecars when on, and plaintext that STRICT refuses when off", () => {
    // On (Istio's default), no DR: mTLS to the STRICT sidecar, nothing breaks.
    expect(conflictsOf(strict + db + svc)).toEqual([]);
    expect(outcomes(strict + db + svc)).toEqual(["* → shop/db:5432 auto mTLS"]);
    // Off: the client sends plaintext; the mesh-wide STRICT policy is what refuses it.
    expect(conflictsOf(strict + db + svc, off)).toEqual([
      { workload: "shop/db", port: 5432, targetPort: 5432, client: "none", server: "STRICT", cause: "auto-mtls-off", clients: ["*"], subset: undefined, rule: "PeerAuthentication istio-system/default" },
    ]);
    // Off, but a DR asks for ISTIO_MUTUAL: works.
    const istio = destinationRule("shop", "db", "  host: db\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n");
    expect(conflictsOf(strict + db + svc + istio, off)).toEqual([]);
  });

  it("follows a DISABLE workload or a workload without sidecar, which explicit ISTIO_MUTUAL breaks", () => {
    const disabled = pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: DISABLE}\n");
    expect(outcomes(disabled + db + svc)).toEqual(["* → shop/db:5432 auto plaintext"]);
    const istio = destinationRule("shop", "db", "  host: db\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n");
    expect(conflictsOf(disabled + db + svc + istio).map((c) => [c.client, c.server])).toEqual([["ISTIO_MUTUAL", "DISABLE"]]);
    const bare = podWith("shop", "db", "app: db", false);
    expect(outcomes(bare + svc)).toEqual(["* → shop/db:5432 auto plaintext"]);
    expect(conflictsOf(bare + svc + istio).map((c) => [c.client, c.server])).toEqual([["ISTIO_MUTUAL", "no sidecar"]]);
  });

  it("breaks SIMPLE TLS to STRICT, and plaintext to a STRICT workload in a DISABLE namespace", () => {
    const simple = destinationRule("shop", "db", "  host: db\n  trafficPolicy: {tls: {mode: SIMPLE}}\n");
    expect(conflictsOf(strict + db + svc + simple).map((c) => [c.client, c.server, c.cause])).toEqual([["SIMPLE", "STRICT", "destination-rule"]]);
    // The Service's inferred mode is its namespace's, DISABLE, so auto mTLS stays off for it and the
    // client sends plaintext to db, which its own policy makes STRICT.
    const nsOff = pa("shop", "default", "  mtls: {mode: DISABLE}\n") + pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: STRICT}\n");
    expect(conflictsOf(nsOff + db + svc).map((c) => [c.client, c.server, c.cause, c.rule])).toEqual([["none", "STRICT", "namespace-disable", "PeerAuthentication shop/db"]]);
  });
});

describe("simulateMtls DestinationRule selection", () => {
  const strict = pa("istio-system", "default", "  mtls: {mode: STRICT}\n");
  const disabled = pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: DISABLE}\n");
  const svc = service("shop", "db", "[{port: 5432}]");

  it("takes the exact host over a wildcard, and the longer wildcard over a shorter", () => {
    // The namespace-wide ISTIO_MUTUAL DR alone breaks the DISABLE db; an exact-host DR without tls shadows
    // it (no merging across hosts), leaving auto mTLS, which follows DISABLE.
    const wide = destinationRule("shop", "all", '  host: "*.shop.svc.cluster.local"\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n');
    expect(conflictsOf(disabled + db + svc + wide).map((c) => c.rule)).toEqual(["DestinationRule shop/all"]);
    const exact = destinationRule("shop", "db", "  host: db\n  trafficPolicy: {loadBalancer: {simple: LEAST_REQUEST}}\n");
    expect(conflictsOf(disabled + db + svc + wide + exact)).toEqual([]);
    // In the root namespace: `*.shop.svc.cluster.local` ISTIO_MUTUAL is longer than `*.local` DISABLE,
    // so STRICT db gets mTLS; swapping the modes makes the longer one send plaintext.
    const root = (a: string, b: string) =>
      destinationRule("istio-system", "mesh", `  host: "*.local"\n  trafficPolicy: {tls: {mode: ${a}}}\n`) +
      destinationRule("istio-system", "shop", `  host: "*.shop.svc.cluster.local"\n  trafficPolicy: {tls: {mode: ${b}}}\n`);
    expect(conflictsOf(strict + db + svc + root("DISABLE", "ISTIO_MUTUAL"))).toEqual([]);
    expect(conflictsOf(strict + db + svc + root("ISTIO_MUTUAL", "DISABLE")).map((c) => [c.rule, c.clients])).toEqual([["DestinationRule istio-system/shop", ["istio-system", "*"]]]);
  });

  it("looks in the client's namespace, then the Service's, then the root namespace", () => {
    // front's own DR (DISABLE) wins for front's clients; everyone else uses shop's ISTIO_MUTUAL one, which
    // in turn beats the root namespace's DISABLE catch-all.
    const text =
      strict + db + svc +
      destinationRule("front", "db", "  host: db.shop.svc.cluster.local\n  trafficPolicy: {tls: {mode: DISABLE}}\n") +
      destinationRule("shop", "db", "  host: db\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n") +
      destinationRule("istio-system", "all", '  host: "*.local"\n  trafficPolicy: {tls: {mode: DISABLE}}\n');
    expect(conflictsOf(text).map((c) => [c.rule, c.clients])).toEqual([["DestinationRule front/db", ["front"]]]);
    expect(simulateMtls(set(text)).conflicts[0]?.message).toBe("clients in front send plaintext to shop/db port 5432, which requires Istio mTLS (STRICT): connections fail");
  });

  it("keeps a DR exported only to its namespace away from other clients", () => {
    // exportTo ["."]: only shop's clients send plaintext; the others have no DR and use auto mTLS.
    const local = destinationRule("shop", "db", '  host: db\n  exportTo: ["."]\n  trafficPolicy: {tls: {mode: DISABLE}}\n');
    const [c] = simulateMtls(set(strict + db + svc + local)).conflicts;
    expect([c?.clients, c?.unaffectedClients]).toEqual([["shop"], undefined]);
    // Exported to front as well: front's clients are affected too, the rest still are not.
    const both = local.replace('["."]', '[".", "front"]');
    expect(conflictsOf(strict + db + svc + both).map((x) => x.clients)).toEqual([["shop", "front"]]);
  });
});

describe("diffMtls per namespace and workload", () => {
  it("shows a mesh-wide weakening in every namespace and workload that follows the mesh", () => {
    // Mesh STRICT → PERMISSIVE. shop has no policy of its own (follows the mesh); legacy has its own
    // PERMISSIVE (unchanged); the Namespace `empty` has no workload but still follows the mesh.
    const ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: empty}\n---\n";
    const rest = pa("legacy", "default", "  mtls: {mode: PERMISSIVE}\n") + pods + ns;
    const before = simulateMtls(set(pa("istio-system", "default", "  mtls: {mode: STRICT}\n") + rest));
    const after = simulateMtls(set(pa("istio-system", "default", "  mtls: {mode: PERMISSIVE}\n") + rest));
    expect(diffMtls(before, after).map((c) => [c.scope, c.before, c.after, c.weakening])).toEqual([
      ["mesh", "STRICT", "PERMISSIVE", true],
      ["namespace shop", "STRICT", "PERMISSIVE", true],
      ["namespace empty", "STRICT", "PERMISSIVE", true],
      ["workload shop/web", "STRICT", "PERMISSIVE", true],
      ["workload shop/db", "STRICT", "PERMISSIVE", true],
    ]);
  });

  it("reports a port-level weakening at its port, and a new conflict once", () => {
    const svc = service("shop", "db", "[{port: 5432}]");
    const before = simulateMtls(set(pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: STRICT}\n") + db + svc));
    const head = pa("shop", "db", "  selector: {matchLabels: {app: db}}\n  mtls: {mode: STRICT}\n  portLevelMtls:\n    5432: {mode: DISABLE}\n") + db + svc;
    const istio = destinationRule("shop", "db", "  host: db\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n");
    const changes = diffMtls(before, simulateMtls(set(head + istio)));
    expect(changes.map((c) => [c.level ?? "conflict", c.port, c.before, c.after, c.weakening])).toEqual([
      ["port", "5432", "STRICT", "DISABLE", true],
      ["conflict", undefined, undefined, undefined, false],
    ]);
  });
});

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split("\n").length;
}
