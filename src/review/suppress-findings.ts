import type { ConfigSet } from "../mesh/config-set.ts";
import type { Finding } from "./finding.ts";

const SUPPRESS = "galley.istio.io/analyze-suppress";

/**
 * Drops findings a resource asks to suppress with `galley.istio.io/analyze-suppress: "IST0101,MG2001"`
 * (or `*`), as `istioctl analyze` does. Parse findings have no resource and are never suppressed.
 */
export function suppressFindings(findings: readonly Finding[], set: ConfigSet): Finding[] {
  const bySuppressed = new Map<string, ReadonlySet<string>>();
  for (const r of set.resources) {
    const value = r.annotations[SUPPRESS];
    if (value === undefined) continue;
    bySuppressed.set(`${r.kind}\u0000${r.namespace}\u0000${r.name}`, new Set(value.split(",").map((c) => c.trim())));
  }
  if (bySuppressed.size === 0) return [...findings];
  return findings.filter((f) => {
    if (!f.resource) return true;
    const codes = bySuppressed.get(`${f.resource.kind}\u0000${f.resource.namespace}\u0000${f.resource.name}`);
    return !codes || !(codes.has("*") || codes.has(f.code));
  });
}
