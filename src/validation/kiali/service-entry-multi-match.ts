import type { ConfigSet } from "../../mesh/config-set.ts";
import { isObject, readArray, readString } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import type { Finding } from "../../review/finding.ts";
import type { Analyzer } from "../analyzer.ts";
import { kialiFinding } from "./kiali-codes.ts";

const RULE = "kiali.ServiceEntryMultiMatchChecker";

interface PortEntry {
  readonly se: Resource;
  readonly portIndex: number;
  readonly protocol: string;
}

/**
 * KIA1211 (`serviceentries/multi_match_checker.go`): two or more ServiceEntry ports declare the same
 * host and port number, whatever their namespaces and exportTo. When the protocols differ Kiali reports
 * KIA1212 instead, which is `istioctl analyze`'s IST0177 (ConflictingServiceEntryProtocol), so that
 * case is left to it.
 */
export const serviceEntryMultiMatch: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const index = new Map<string, PortEntry[]>();
    for (const se of set.ofKind("ServiceEntry.networking.istio.io")) {
      const hosts = readArray(se.spec.hosts).filter((h): h is string => typeof h === "string");
      for (const [portIndex, port] of readArray(se.spec.ports).entries()) {
        if (!isObject(port) || typeof port.number !== "number") continue;
        const protocol = (readString(port.protocol) ?? "").toUpperCase();
        for (const host of hosts) {
          const key = `${host.toLowerCase()}:${port.number}`;
          index.set(key, [...(index.get(key) ?? []), { se, portIndex, protocol }]);
        }
      }
    }
    const findings: Finding[] = [];
    for (const entries of index.values()) {
      // Two hosts or ports of one ServiceEntry are not "more than one ServiceEntry".
      if (new Set(entries.map((e) => `${e.se.namespace}/${e.se.name}`)).size < 2 || new Set(entries.map((e) => e.protocol)).size > 1) continue;
      for (const e of entries) findings.push(kialiFinding("MG4811", RULE, e.se, ["spec", "ports", e.portIndex]));
    }
    return findings;
  },
};
