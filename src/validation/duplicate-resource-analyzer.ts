import type { Resource } from "../mesh/resource.ts";
import { formatOrigin } from "../mesh/resource.ts";
import { type Finding, findingAt } from "../review/finding.ts";
import type { Analyzer } from "./analyzer.ts";

/**
 * The same object (kind, namespace, name) defined twice in one set: whichever the GitOps agent applies
 * last silently wins, so the other definition is dead config that reviewers still read.
 */
export const duplicateResourceAnalyzer: Analyzer = {
  name: "meshgate.DuplicateResource",
  analyze(set) {
    const first = new Map<string, Resource>();
    const findings: Finding[] = [];
    for (const r of set.resources) {
      if (r.synthetic) continue;
      const id = `${r.key}\u0000${r.namespace}\u0000${r.name}`;
      const earlier = first.get(id);
      if (!earlier) {
        first.set(id, r);
        continue;
      }
      const where = `${earlier.source.file}:${earlier.source.position.line}`;
      findings.push(
        findingAt(r, ["metadata", "name"], {
          code: "MG1013",
          rule: this.name,
          severity: "warning",
          message: `${formatOrigin(r)} is also defined at ${where}; only one of them can be applied (the last one wins).`,
        }),
      );
    }
    return findings;
  },
};
