import type { ConfigSet } from "../../mesh/config-set.ts";
import { hostsMatch } from "../../mesh/hosts.ts";
import { isObject, readArray, readStringMap } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import { formatSelector } from "../../mesh/workloads.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";

const RULE = "kiali.GatewayMultiMatchChecker";

interface ServerHost {
  readonly gateway: Resource;
  readonly server: number;
  readonly index: number;
  /** As written, `ns/` prefix included. */
  readonly raw: string;
  /** Lower-cased host without its namespace prefix. */
  readonly name: string;
  /** The `ns/` prefix (`.` resolved to the Gateway's namespace), `*` when there is none. */
  readonly target: string;
}

/**
 * KIA0301 (`gateways/multi_match_checker.go`): two Gateway servers with the same workload selector and
 * port number claim overlapping hosts, so the gateway workload cannot tell which server a request is
 * for. Hosts compare case-insensitively, only when their `ns/` prefixes can meet, `*` overlapping all
 * and `*.x` every host ending in `.x`.
 *
 * istioctl's IST0145 (gateway.ConflictingGatewayAnalyzer) reports two *different* Gateways with the same
 * selector, port and matching raw hosts; those pairs are left to it. What remains is what only Kiali
 * sees: repeated hosts across servers of one Gateway, `ns/`-qualified hosts, and case differences.
 * Hosts of one server are not compared with each other.
 */
export const gatewayMultiMatch: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const groups = new Map<string, ServerHost[]>();
    for (const gw of set.ofKind("Gateway.networking.istio.io")) {
      const selector = formatSelector(readStringMap(gw.spec.selector));
      for (const [s, server] of readArray(gw.spec.servers).entries()) {
        if (!isObject(server)) continue;
        const port = isObject(server.port) && typeof server.port.number === "number" ? server.port.number : 0;
        const key = `${selector}~${port}`;
        const hosts = readArray(server.hosts).flatMap((h, i) => (typeof h === "string" ? [serverHost(gw, s, i, h)] : []));
        groups.set(key, [...(groups.get(key) ?? []), ...hosts]);
      }
    }
    const flagged = new Set<ServerHost>();
    for (const hosts of groups.values()) {
      for (const [i, a] of hosts.entries()) {
        for (const b of hosts.slice(i + 1)) {
          if (sameServer(a, b) || !kialiHostsMatch(a, b) || reportedByIstio(a, b)) continue;
          flagged.add(a).add(b);
        }
      }
    }
    return [...flagged].map((h) => kialiFinding("MG4301", RULE, h.gateway, ["spec", "servers", h.server, "hosts", h.index]));
  },
};

function serverHost(gateway: Resource, server: number, index: number, raw: string): ServerHost {
  const slash = raw.indexOf("/");
  const prefix = slash < 0 ? "*" : raw.slice(0, slash);
  return {
    gateway,
    server,
    index,
    raw,
    name: (slash < 0 ? raw : raw.slice(slash + 1)).toLowerCase(),
    target: prefix === "." ? gateway.namespace : prefix,
  };
}

function sameGateway(a: ServerHost, b: ServerHost): boolean {
  return a.gateway.namespace === b.gateway.namespace && a.gateway.name === b.gateway.name;
}

function sameServer(a: ServerHost, b: ServerHost): boolean {
  return sameGateway(a, b) && a.server === b.server;
}

function kialiHostsMatch(a: ServerHost, b: ServerHost): boolean {
  if (a.target !== b.target && a.target !== "*" && b.target !== "*") return false;
  if (a.name === "*" || b.name === "*" || a.name === b.name) return true;
  const aWild = a.name.startsWith("*");
  const bWild = b.name.startsWith("*");
  // Two different wildcards never match each other in Kiali; one wildcard covers its suffix.
  if (aWild === bWild) return false;
  return aWild ? b.name.endsWith(a.name.slice(1)) : a.name.endsWith(b.name.slice(1));
}

/** IST0145's condition for this pair (the group already shares selector and port). */
function reportedByIstio(a: ServerHost, b: ServerHost): boolean {
  return !sameGateway(a, b) && hostsMatch(a.raw, b.raw);
}
