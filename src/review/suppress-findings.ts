import type { ConfigSet } from "../mesh/config-set.ts";
import type { Resource } from "../mesh/resource.ts";
import type { Finding } from "./finding.ts";

const SUPPRESS = "galley.istio.io/analyze-suppress";

/**
 * Drops findings a resource asks to suppress with `galley.istio.io/analyze-suppress: "IST0101,MG2001"`
 * (or `*`), as `istioctl analyze` does: the annotation silences the analysis and validation messages of
 * the resource that carries it, and nothing else.
 * - Parse findings have no resource and are never suppressed.
 * - Policy findings (MG5xxx) never are: the annotation is istioctl's, and a PR could add it to the very
 *   resource a policy judges; a policy's exemptions live in `.meshgate.yaml`, read from the base branch.
 * - A finding belongs to one resource, matched by kind key (group included) as Istio keys its config:
 *   an annotated Gateway API `Gateway ns/foo` does not silence Istio's `Gateway ns/foo`.
 */
export function suppressFindings(findings: readonly Finding[], set: ConfigSet): Finding[] {
  const annotated = new Map<string, Resource[]>();
  for (const r of set.resources) {
    if (r.annotations[SUPPRESS] === undefined) continue;
    const id = refId(r);
    annotated.set(id, [...(annotated.get(id) ?? []), r]);
  }
  if (annotated.size === 0) return [...findings];
  const sameRef = new Map<string, Resource[]>();
  for (const r of set.resources) {
    const id = refId(r);
    if (annotated.has(id)) sameRef.set(id, [...(sameRef.get(id) ?? []), r]);
  }
  return findings.filter((f) => {
    if (!f.resource || isPolicyFinding(f)) return true;
    const owner = ownerOf(f, sameRef.get(refId(f.resource)) ?? []);
    const value = owner?.annotations[SUPPRESS];
    if (value === undefined) return true;
    const codes = new Set(value.split(",").map((c) => c.trim()));
    return !(codes.has("*") || codes.has(f.code));
  });
}

/** Policies report MG5xxx (README's code table); analyzers, schema and webhook rules never do. */
function isPolicyFinding(finding: Finding): boolean {
  return finding.code.startsWith("MG5");
}

function refId(ref: { readonly kind: string; readonly namespace: string; readonly name: string }): string {
  return `${ref.kind}\u0000${ref.namespace}\u0000${ref.name}`;
}

/**
 * The resource a finding is about. A finding names only kind, namespace and name, and two resources
 * can share them (`Gateway` is Istio's and the Gateway API's; an object defined twice). Every finding
 * on a resource is positioned inside that resource's document, so among those in the finding's file
 * the owner is the last one starting at or before it; a lone candidate elsewhere owns it too.
 */
function ownerOf(finding: Finding, candidates: readonly Resource[]): Resource | undefined {
  if (candidates.length === 1 && candidates[0]?.source.file !== finding.file) return candidates[0];
  let owner: Resource | undefined;
  for (const r of candidates) {
    if (r.source.file !== finding.file || before(finding, r.source.position)) continue;
    if (!owner || !before(r.source.position, owner.source.position)) owner = r;
  }
  return owner;
}

function before(a: { readonly line: number; readonly column: number }, b: { readonly line: number; readonly column: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}
