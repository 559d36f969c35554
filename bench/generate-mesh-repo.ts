import { stringify } from "yaml";
import type { JsonObject } from "../src/mesh/json.ts";
import { createRandom, type Random } from "./create-random.ts";

/**
 * Synthetic GitOps mesh repos for the benchmark (issue 2 §6): valid Istio config, so the whole engine runs
 * (not its error paths), and realistic in shape: a few resources per file, one folder per app, VirtualServices
 * that route to Services and DestinationRule subsets that exist, subsets that select the Deployments' pod
 * labels, Gateways that select Istio's ingress gateway, policies that name ServiceAccounts that exist.
 */
export interface MeshRepoOptions {
  /** Total number of Kubernetes resources (YAML documents) in the repo. */
  readonly resources: number;
  readonly seed?: number;
}

export interface RepoFile {
  readonly path: string;
  readonly content: string;
}

export interface MeshRepo {
  readonly files: RepoFile[];
  /** Resources per kind, as generated. */
  readonly kinds: Readonly<Record<string, number>>;
  readonly namespaces: number;
  readonly services: number;
}

export const MIN_REPO_RESOURCES = 20;

const ROOT_NAMESPACE = "istio-system";
const INGRESS_SELECTOR = { istio: "ingressgateway" };
const NETWORKING = "networking.istio.io/v1";
const SECURITY = "security.istio.io/v1";
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

const NAMESPACE_WORDS = [
  "payments", "checkout", "catalog", "inventory", "shipping", "accounts", "search", "reviews", "pricing", "orders",
  "billing", "notifications", "identity", "recommendations", "media", "analytics", "loyalty", "fraud", "support", "partners",
];
const SERVICE_WORDS = [
  "api", "web", "worker", "ledger", "cart", "profile", "session", "index", "ranker", "store", "quote", "tax", "mailer",
  "sms", "push", "auth", "token", "feed", "images", "thumbnails", "events", "export", "import", "audit", "rules",
  "scoring", "cache", "sync", "scheduler", "reports",
];
const VENDORS = ["stripe", "sendgrid", "twilio", "github", "slack", "segment", "datadog", "sentry", "okta", "paypal", "adyen", "algolia", "mapbox", "pagerduty"];
const CANARY_WEIGHTS = [5, 10, 20, 25, 50];
const TIMEOUTS = ["2s", "3s", "5s", "10s", "15s"];

interface ServicePlan {
  readonly name: string;
  readonly namespace: string;
  readonly canary: boolean;
  readonly grpc: boolean;
  readonly frontend: boolean;
  readonly canaryWeight: number;
  /** ServiceAccounts allowed to call it (its AuthorizationPolicy's principals). */
  readonly callers: readonly ServicePlan[];
}

type EgressKind = "http" | "tls";

/** Collects documents per file, in order, and counts them. */
class RepoWriter {
  private readonly files = new Map<string, JsonObject[]>();
  readonly kinds: Record<string, number> = {};
  count = 0;

  add(path: string, ...docs: JsonObject[]): void {
    const list = this.files.get(path) ?? [];
    list.push(...docs);
    this.files.set(path, list);
    for (const doc of docs) {
      const kind = String(doc.kind);
      this.kinds[kind] = (this.kinds[kind] ?? 0) + 1;
    }
    this.count += docs.length;
  }

  toFiles(): RepoFile[] {
    return [...this.files].map(([path, docs]) => ({
      path,
      content: docs.map((doc) => stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n"),
    }));
  }
}

/** Generates a repo of exactly `options.resources` resources; the same seed always gives the same bytes. */
export function generateMeshRepo(options: MeshRepoOptions): MeshRepo {
  const total = options.resources;
  if (!Number.isInteger(total) || total < MIN_REPO_RESOURCES) {
    throw new RangeError(`resources must be an integer of at least ${MIN_REPO_RESOURCES}, got ${total}`);
  }
  const rng = createRandom(options.seed ?? 1);
  const repo = new RepoWriter();
  const egressHosts = new Set<string>();
  repo.add("platform/istio-system.yaml", namespaceDoc(ROOT_NAMESPACE, false), peerAuthenticationDoc(ROOT_NAMESPACE));

  const namespaces: string[] = [];
  let services = 0;
  let previous: readonly ServicePlan[] = [];
  for (;;) {
    const name = namespaceName(namespaces.length);
    const planned = planNamespace(rng, name, previous, total - repo.count);
    if (planned === undefined) break;
    writeNamespace(repo, rng, name, planned, egressHosts, total);
    namespaces.push(name);
    services += planned.length;
    previous = planned;
  }
  // What is left is smaller than a namespace: TLS ServiceEntries (one resource each) fill it exactly.
  for (let i = 0; repo.count < total; i++) {
    const ns = namespaces[i % namespaces.length] ?? ROOT_NAMESPACE;
    writeEgress(repo, rng, ns, "tls", egressHosts);
  }
  return { files: repo.toFiles(), kinds: repo.kinds, namespaces: namespaces.length + 1, services };
}

function namespaceName(index: number): string {
  const word = NAMESPACE_WORDS[index % NAMESPACE_WORDS.length] as string;
  const round = Math.floor(index / NAMESPACE_WORDS.length);
  return round === 0 ? word : `${word}-${round + 1}`;
}

/** Namespace + PeerAuthentication + Gateway + the frontend's 7 resources + its ingress VirtualService. */
const MIN_NAMESPACE_RESOURCES = 3 + 7 + 1;

function serviceSize(svc: Pick<ServicePlan, "canary" | "frontend">): number {
  // ServiceAccount, Service, Deployment(s), DestinationRule, VirtualService, AuthorizationPolicy (+ ingress VS).
  return 5 + (svc.canary ? 2 : 1) + (svc.frontend ? 1 : 0);
}

/** Plans the services of one namespace within `budget` resources, or nothing if a namespace does not fit. */
function planNamespace(rng: Random, ns: string, previous: readonly ServicePlan[], budget: number): ServicePlan[] | undefined {
  if (budget < MIN_NAMESPACE_RESOURCES) return undefined;
  const words = shuffle(rng, SERVICE_WORDS);
  const wanted = rng.int(5, 14);
  const planned: ServicePlan[] = [];
  let used = 3;
  for (let i = 0; i < wanted; i++) {
    const frontend = i === 0 || (i === 1 && rng.chance(0.3));
    const canary = i === 0 || rng.chance(0.6);
    const size = serviceSize({ canary, frontend });
    if (used + size > budget) break;
    planned.push({
      name: words[i % words.length] as string,
      namespace: ns,
      canary,
      grpc: rng.chance(0.3),
      frontend,
      canaryWeight: rng.pick(CANARY_WEIGHTS),
      callers: frontend ? [] : pickCallers(rng, planned, previous),
    });
    used += size;
  }
  return planned;
}

/** One or two earlier services of the namespace, sometimes one of the previous namespace: the call graph is acyclic. */
function pickCallers(rng: Random, earlier: readonly ServicePlan[], previous: readonly ServicePlan[]): ServicePlan[] {
  const callers = new Set<ServicePlan>([rng.pick(earlier)]);
  if (earlier.length > 1 && rng.chance(0.4)) callers.add(rng.pick(earlier));
  if (previous.length > 0 && rng.chance(0.2)) callers.add(rng.pick(previous));
  return [...callers];
}

function shuffle<T>(rng: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function writeNamespace(
  repo: RepoWriter, rng: Random, ns: string, services: readonly ServicePlan[], egressHosts: Set<string>, total: number,
): void {
  repo.add(`namespaces/${ns}.yaml`, namespaceDoc(ns, true), peerAuthenticationDoc(ns));
  for (const svc of services) {
    const dir = `apps/${ns}/${svc.name}`;
    const deployments = svc.canary ? [deploymentDoc(svc, "v1", rng), deploymentDoc(svc, "v2", rng)] : [deploymentDoc(svc, "v1", rng)];
    repo.add(`${dir}/workload.yaml`, serviceAccountDoc(svc), serviceDoc(svc), ...deployments);
    repo.add(`${dir}/mesh.yaml`, destinationRuleDoc(svc), virtualServiceDoc(svc, rng), authorizationPolicyDoc(svc));
  }
  const frontends = services.filter((svc) => svc.frontend);
  repo.add(`apps/${ns}/ingress.yaml`, gatewayDoc(ns, frontends), ...frontends.map(ingressVirtualServiceDoc));
  const egress = rng.int(1, 3);
  for (let i = 0; i < egress; i++) {
    const kind: EgressKind = rng.chance(0.5) ? "http" : "tls";
    if (repo.count + (kind === "http" ? 3 : 1) > total) break;
    writeEgress(repo, rng, ns, kind, egressHosts);
  }
}

function writeEgress(repo: RepoWriter, rng: Random, ns: string, kind: EgressKind, taken: Set<string>): void {
  const vendor = rng.pick(VENDORS);
  let host = `api-${ns}.${vendor}.example.com`;
  for (let k = 2; taken.has(host); k++) host = `api-${ns}-${k}.${vendor}.example.com`;
  taken.add(host);
  const name = host.split(".", 1)[0] + `-${vendor}`;
  const path = `apps/${ns}/egress/${name}.yaml`;
  if (kind === "tls") {
    repo.add(path, serviceEntryDoc(ns, name, host, [{ number: 443, name: "tls", protocol: "TLS" }]));
    return;
  }
  // TLS origination: the app speaks HTTP on 80, the sidecar upgrades it to TLS on 443 (Istio's egress-tls-origination task).
  const ports = [{ number: 80, name: "http", protocol: "HTTP", targetPort: 443 }, { number: 443, name: "https", protocol: "HTTPS" }];
  repo.add(path, serviceEntryDoc(ns, name, host, ports), egressDestinationRuleDoc(ns, name, host), egressVirtualServiceDoc(ns, name, host, rng));
}

const fqdn = (svc: ServicePlan): string => `${svc.name}.${svc.namespace}.svc.cluster.local`;
const externalHost = (svc: ServicePlan): string => `${svc.name}.${svc.namespace}.example.com`;
const meta = (name: string, namespace: string, extra: JsonObject = {}): JsonObject => ({ name, namespace, ...extra });

function namespaceDoc(name: string, injected: boolean): JsonObject {
  const labels: JsonObject = injected ? { "istio-injection": "enabled", team: name } : { "kubernetes.io/metadata.name": name };
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } };
}

/** STRICT mTLS, mesh-wide in the root namespace and again per namespace (as teams commonly pin it). */
function peerAuthenticationDoc(ns: string): JsonObject {
  return { apiVersion: SECURITY, kind: "PeerAuthentication", metadata: meta("default", ns), spec: { mtls: { mode: "STRICT" } } };
}

function serviceAccountDoc(svc: ServicePlan): JsonObject {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(svc.name, svc.namespace, { labels: { app: svc.name } }) };
}

function serviceDoc(svc: ServicePlan): JsonObject {
  const ports: JsonObject[] = [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }];
  if (svc.grpc) ports.push({ name: "grpc", port: 9090, targetPort: 9090, protocol: "TCP" });
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(svc.name, svc.namespace, { labels: { app: svc.name } }),
    spec: { selector: { app: svc.name }, ports },
  };
}

function deploymentDoc(svc: ServicePlan, version: string, rng: Random): JsonObject {
  const labels = { app: svc.name, version };
  const ports: JsonObject[] = [{ name: "http", containerPort: 8080 }];
  if (svc.grpc) ports.push({ name: "grpc", containerPort: 9090 });
  const tag = `1.${rng.int(0, 40)}.${rng.int(0, 9)}`;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(`${svc.name}-${version}`, svc.namespace, { labels }),
    spec: {
      replicas: version === "v1" ? rng.int(2, 6) : 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: svc.name,
          containers: [{
            name: svc.name,
            image: `registry.example.com/${svc.namespace}/${svc.name}:${tag}`,
            ports,
            env: [{ name: "LOG_LEVEL", value: "info" }, { name: "SERVICE_VERSION", value: version }],
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 5 },
          }],
        },
      },
    },
  };
}

function destinationRuleDoc(svc: ServicePlan): JsonObject {
  const subsets: JsonObject[] = [{ name: "v1", labels: { version: "v1" } }];
  if (svc.canary) subsets.push({ name: "v2", labels: { version: "v2" }, trafficPolicy: { loadBalancer: { simple: "ROUND_ROBIN" } } });
  return {
    apiVersion: NETWORKING,
    kind: "DestinationRule",
    metadata: meta(svc.name, svc.namespace),
    spec: {
      host: fqdn(svc),
      trafficPolicy: {
        tls: { mode: "ISTIO_MUTUAL" },
        loadBalancer: { simple: "LEAST_REQUEST" },
        connectionPool: {
          tcp: { maxConnections: 100, connectTimeout: "3s" },
          http: { http1MaxPendingRequests: 100, maxRequestsPerConnection: 10 },
        },
        outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 },
      },
      subsets,
    },
  };
}

function destination(svc: ServicePlan, subset: string, weight?: number): JsonObject {
  const dest: JsonObject = { destination: { host: fqdn(svc), subset, port: { number: 80 } } };
  if (weight !== undefined) dest.weight = weight;
  return dest;
}

/** The canary split: stable v1 and v2 by weight, or v1 alone. */
function weightedRoute(svc: ServicePlan): JsonObject[] {
  return svc.canary
    ? [destination(svc, "v1", 100 - svc.canaryWeight), destination(svc, "v2", svc.canaryWeight)]
    : [destination(svc, "v1")];
}

function virtualServiceDoc(svc: ServicePlan, rng: Random): JsonObject {
  const timeout = rng.pick(TIMEOUTS);
  const http: JsonObject[] = [];
  if (svc.canary) {
    // Testers opt into the canary with a header; everyone else gets the weighted split.
    http.push({ name: "canary-opt-in", match: [{ headers: { "x-canary": { exact: "always" } } }], route: [destination(svc, "v2")], timeout });
  }
  if (rng.chance(0.3)) {
    http.push({ name: "admin", match: [{ uri: { prefix: "/admin/" }, method: { exact: "POST" } }], route: [destination(svc, "v1")], timeout: "30s" });
  }
  http.push({
    name: "default",
    route: weightedRoute(svc),
    timeout,
    retries: { attempts: 3, perTryTimeout: "1s", retryOn: "5xx,connect-failure,reset" },
  });
  return { apiVersion: NETWORKING, kind: "VirtualService", metadata: meta(svc.name, svc.namespace), spec: { hosts: [svc.name], http } };
}

function authorizationPolicyDoc(svc: ServicePlan): JsonObject {
  const rule: JsonObject = svc.frontend
    ? { from: [{ source: { namespaces: [ROOT_NAMESPACE] } }], to: [{ operation: { methods: ["GET", "POST", "PUT", "DELETE"] } }] }
    : {
        from: [{ source: { principals: svc.callers.map((c) => `cluster.local/ns/${c.namespace}/sa/${c.name}`) } }],
        to: [{ operation: { methods: ["GET", "POST"], paths: ["/api/*", "/admin/*"] } }],
      };
  return {
    apiVersion: SECURITY,
    kind: "AuthorizationPolicy",
    metadata: meta(`${svc.name}-allow`, svc.namespace),
    spec: { selector: { matchLabels: { app: svc.name } }, action: "ALLOW", rules: [rule] },
  };
}

const gatewayName = (ns: string): string => `${ns}-ingress`;

function gatewayDoc(ns: string, frontends: readonly ServicePlan[]): JsonObject {
  const hosts = frontends.map(externalHost);
  return {
    apiVersion: NETWORKING,
    kind: "Gateway",
    metadata: meta(gatewayName(ns), ns),
    spec: {
      selector: INGRESS_SELECTOR,
      servers: [
        { port: { number: 80, name: "http", protocol: "HTTP" }, hosts, tls: { httpsRedirect: true } },
        {
          port: { number: 443, name: "https", protocol: "HTTPS" },
          hosts,
          tls: { mode: "SIMPLE", credentialName: `${gatewayName(ns)}-cert`, minProtocolVersion: "TLSV1_2" },
        },
      ],
    },
  };
}

function ingressVirtualServiceDoc(svc: ServicePlan): JsonObject {
  return {
    apiVersion: NETWORKING,
    kind: "VirtualService",
    metadata: meta(`${svc.name}-ingress`, svc.namespace),
    spec: {
      hosts: [externalHost(svc)],
      gateways: [`${svc.namespace}/${gatewayName(svc.namespace)}`],
      http: [
        { name: "api", match: [{ uri: { prefix: "/api/" } }], route: weightedRoute(svc), timeout: "15s" },
        { name: "web", route: weightedRoute(svc), timeout: "30s" },
      ],
    },
  };
}

function serviceEntryDoc(ns: string, name: string, host: string, ports: JsonObject[]): JsonObject {
  return {
    apiVersion: NETWORKING,
    kind: "ServiceEntry",
    metadata: meta(name, ns),
    spec: { hosts: [host], exportTo: ["."], location: "MESH_EXTERNAL", resolution: "DNS", ports },
  };
}

function egressDestinationRuleDoc(ns: string, name: string, host: string): JsonObject {
  return {
    apiVersion: NETWORKING,
    kind: "DestinationRule",
    metadata: meta(name, ns),
    spec: {
      host,
      exportTo: ["."],
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 50 } },
        portLevelSettings: [{ port: { number: 80 }, tls: { mode: "SIMPLE", sni: host, caCertificates: CA_BUNDLE } }],
      },
    },
  };
}

function egressVirtualServiceDoc(ns: string, name: string, host: string, rng: Random): JsonObject {
  return {
    apiVersion: NETWORKING,
    kind: "VirtualService",
    metadata: meta(name, ns),
    spec: {
      hosts: [host],
      exportTo: ["."],
      http: [{
        timeout: rng.pick(["10s", "20s", "30s"]),
        retries: { attempts: 2, perTryTimeout: "5s", retryOn: "connect-failure,reset" },
        route: [{ destination: { host, port: { number: 80 } } }],
      }],
    },
  };
}
