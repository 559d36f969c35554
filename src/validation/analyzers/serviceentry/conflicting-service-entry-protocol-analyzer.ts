import type { ConfigSet } from "../../../mesh/config-set.ts";
import { EXPORT_TO_ALL, EXPORT_TO_LOCAL, formatFullName, isExportToAll } from "../../../mesh/hosts.ts";
import { isObject, readArray, readString } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";

const RULE = "serviceentry.ConflictingServiceEntryProtocolAnalyzer";

interface PortUse {
  readonly protocol: string;
  readonly se: Resource;
  /** Index of the port in `spec.ports`. */
  readonly index: number;
}

interface ScopedHostPort {
  readonly scope: string;
  readonly host: string;
  readonly port: number;
  readonly uses: PortUse[];
}

/**
 * `serviceentry.ConflictingServiceEntryProtocolAnalyzer` (analyzers/serviceentry/conflictingserviceentries.go):
 * ServiceEntries visible in the same scope (an `exportTo` namespace, or `*` which every scope sees) that
 * give the same literal host and port number different protocols (IST0177). Each ServiceEntry is
 * reported once, for the first conflict it is part of.
 */
export const conflictingServiceEntryProtocolAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const index = indexPorts(set.ofKind("ServiceEntry.networking.istio.io"));
    const reported = new Set<string>();
    const out: Finding[] = [];
    for (const key of index.values()) {
      const uses = key.scope === EXPORT_TO_ALL ? key.uses : [...key.uses, ...(index.get(keyOf(EXPORT_TO_ALL, key.host, key.port))?.uses ?? [])];
      const protocols = [...new Set(uses.map((u) => u.protocol.toUpperCase()))].sort();
      if (protocols.length < 2) continue;
      const names = [...new Set(uses.map((u) => formatFullName(u.se)))].sort();
      for (const use of uses) {
        const id = formatFullName(use.se);
        if (reported.has(id)) continue;
        reported.add(id);
        const port = readArray(use.se.spec.ports)[use.index];
        const field = isObject(port) && typeof port.protocol === "string" ? "protocol" : "number";
        out.push(istioFinding("IST0177", RULE, use.se, ["spec", "ports", use.index, field],
          names.join(", "), key.host, key.port, protocols.join(", ")));
      }
    }
    return out;
  },
};

function indexPorts(entries: readonly Resource[]): Map<string, ScopedHostPort> {
  const index = new Map<string, ScopedHostPort>();
  for (const se of entries) {
    const hosts = readArray(se.spec.hosts).filter((h): h is string => typeof h === "string");
    const ports = readArray(se.spec.ports).map((p) => (isObject(p) ? p : {}));
    for (const scope of exportScopes(se)) {
      for (const host of hosts) {
        for (const [i, port] of ports.entries()) {
          const number = typeof port.number === "number" ? port.number : 0;
          const key = keyOf(scope, host, number);
          let entry = index.get(key);
          if (!entry) index.set(key, (entry = { scope, host, port: number, uses: [] }));
          entry.uses.push({ protocol: readString(port.protocol) ?? "", se, index: i });
        }
      }
    }
  }
  return index;
}

/** `exportToScopes`: `*` when exported to all, else each namespace (`.` being the entry's own). */
function exportScopes(se: Resource): Set<string> {
  const exportTo = readArray(se.spec.exportTo).filter((e): e is string => typeof e === "string");
  if (isExportToAll(exportTo)) return new Set([EXPORT_TO_ALL]);
  return new Set(exportTo.map((e) => (e === EXPORT_TO_LOCAL ? se.namespace : e)));
}

function keyOf(scope: string, host: string, port: number): string {
  return `${scope}\u0000${host}\u0000${port}`;
}
