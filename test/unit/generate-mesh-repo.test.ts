import { describe, expect, it } from "vitest";
import { generateMeshRepo } from "../../bench/generate-mesh-repo.ts";
import { isObject, readArray, readString, readStringMap, type JsonValue } from "../../src/mesh/json.ts";
import { parseDocuments } from "../../src/mesh/parse-documents.ts";
import type { Resource } from "../../src/mesh/resource.ts";
import { checkConfig } from "../../src/review/check-config.ts";

const repo = generateMeshRepo({ resources: 1000, seed: 7 });
const parsed = repo.files.map((file) => parseDocuments(file));
const resources = parsed.flatMap((p) => p.resources);
const ofKind = (kind: string): Resource[] => resources.filter((r) => r.kind === kind);
const id = (ns: string, name: string): string => `${ns}/${name}`;

/** Every `destination` object anywhere under a VirtualService's routes. */
function destinationsOf(vs: Resource): { host: string; subset?: string }[] {
  return readArray(vs.spec.http).flatMap((rule) =>
    readArray(isObject(rule) ? rule.route : undefined).flatMap((route: JsonValue) => {
      const dest = isObject(route) && isObject(route.destination) ? route.destination : undefined;
      const host = readString(dest?.host);
      const subset = readString(dest?.subset);
      return host === undefined ? [] : [subset === undefined ? { host } : { host, subset }];
    }),
  );
}

function podTemplateLabels(deployment: Resource): Record<string, string> {
  const template = deployment.spec.template;
  return readStringMap(isObject(template) && isObject(template.metadata) ? template.metadata.labels : undefined);
}

const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe("generateMeshRepo", () => {
  it("gives the same bytes for the same seed, and a different repo for another seed", () => {
    expect(generateMeshRepo({ resources: 1000, seed: 7 }).files).toEqual(repo.files);
    expect(generateMeshRepo({ resources: 1000, seed: 8 }).files).not.toEqual(repo.files);
  });

  it("holds exactly the requested number of resources, a few per file, and they parse without findings", () => {
    expect(parsed.flatMap((p) => p.findings)).toEqual([]);
    expect(resources).toHaveLength(1000);
    expect(resources.length / repo.files.length).toBeGreaterThan(2);
    for (const kind of ["VirtualService", "DestinationRule", "PeerAuthentication", "AuthorizationPolicy", "Gateway", "ServiceEntry", "Deployment", "Service"]) {
      expect(ofKind(kind).length, kind).toBeGreaterThan(0);
    }
    const odd = generateMeshRepo({ resources: 537, seed: 3 }).files.flatMap((file) => parseDocuments(file).resources);
    expect(odd).toHaveLength(537);
  });

  it("routes only to hosts and subsets that exist, and subsets select the Deployments' pods", () => {
    const services = new Map(ofKind("Service").map((s) => [`${s.name}.${s.namespace}.svc.cluster.local`, s]));
    const entryHosts = new Set(ofKind("ServiceEntry").flatMap((se) => readArray(se.spec.hosts).map(String)));
    const subsets = new Map(ofKind("DestinationRule").map((dr) => [String(dr.spec.host), readArray(dr.spec.subsets)]));
    const pods = ofKind("Deployment").map((d) => ({ ns: d.namespace, labels: podTemplateLabels(d) }));
    let checked = 0;
    for (const vs of ofKind("VirtualService")) {
      for (const { host, subset } of destinationsOf(vs)) {
        const service = services.get(host);
        expect(service !== undefined || entryHosts.has(host), `${vs.name} -> ${host}`).toBe(true);
        if (subset === undefined || service === undefined) continue;
        const def = (subsets.get(host) ?? []).find((s) => isObject(s) && s.name === subset);
        expect(def, `${host} subset ${subset}`).toBeDefined();
        const selector = { ...readStringMap(service.spec.selector), ...readStringMap(isObject(def) ? def.labels : undefined) };
        expect(pods.some((p) => p.ns === service.namespace && selects(selector, p.labels)), `${host}/${subset} selects pods`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("binds ingress routes to Gateways that select the ingress gateway and serve their hosts", () => {
    const gateways = new Map(ofKind("Gateway").map((g) => [id(g.namespace, g.name), g]));
    for (const gw of gateways.values()) expect(gw.spec.selector).toEqual({ istio: "ingressgateway" });
    const bound = ofKind("VirtualService").filter((vs) => vs.spec.gateways !== undefined);
    expect(bound.length).toBeGreaterThan(0);
    for (const vs of bound) {
      const gw = gateways.get(String(readArray(vs.spec.gateways)[0]));
      const served = readArray(gw?.spec.servers).flatMap((s) => (isObject(s) ? readArray(s.hosts) : []));
      expect(readArray(vs.spec.hosts).every((h) => served.includes(h)), vs.name).toBe(true);
    }
  });

  it("authorizes only principals whose ServiceAccounts exist", () => {
    const accounts = new Set(ofKind("ServiceAccount").map((sa) => `cluster.local/ns/${sa.namespace}/sa/${sa.name}`));
    const principals = ofKind("AuthorizationPolicy").flatMap((ap) => JSON.stringify(ap.spec).match(/cluster\.local\/ns\/[^"]+/g) ?? []);
    expect(principals.length).toBeGreaterThan(0);
    for (const p of principals) expect(accounts.has(p), p).toBe(true);
  });

  it("passes the whole engine with no error findings", () => {
    const errors = checkConfig(repo.files).findings.filter((f) => f.severity === "error");
    expect(errors).toEqual([]);
  });
});
