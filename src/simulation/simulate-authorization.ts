import type { ConfigSet } from "../mesh/config-set.ts";
import type { Resource } from "../mesh/resource.ts";
import { listWorkloads, selectorMatches, type Workload } from "../mesh/workloads.ts";
import { type AccessDescription, type AccessVerdict, type Decision, describeAccessChanges } from "./authz-describe-changes.ts";
import { type AccessProbe, authzPolicyMatches } from "./authz-match.ts";
import { authzProbes, type Phrase, prose, type WorkloadProbes } from "./authz-probes.ts";
import { type AuthzPolicy, readAuthzPolicy } from "./authz-rules.ts";

export type { AccessProbe } from "./authz-match.ts";
export type { AccessVerdict } from "./authz-describe-changes.ts";
export type { Phrase, Words } from "./authz-probes.ts";

export interface ProbeVerdict extends Decision {
  readonly probe: AccessProbe;
  readonly cell: readonly number[];
  /** The policy that decided (`namespace/name`), if one did. */
  readonly policy?: string;
}

export interface WorkloadAccess {
  readonly namespace: string;
  readonly workload: string;
  /** No ALLOW policy applies: everything not denied is allowed. */
  readonly allowByDefault: boolean;
  readonly probes: WorkloadProbes;
  /** By cell (`probes.cells[i].join(",")`). */
  readonly verdicts: ReadonlyMap<string, ProbeVerdict>;
}

/** The requests both sides are asked, built per workload from the policies either side applies to it. */
export interface ProbeSpace {
  forWorkload(namespace: string, name: string): WorkloadProbes;
}

const AP = "AuthorizationPolicy.security.istio.io";

/** Resources never change once parsed, so each policy is read once however many workloads it covers. */
const READ = new WeakMap<Resource, { policy: AuthzPolicy; fingerprint: string }>();

function read(p: Resource): { policy: AuthzPolicy; fingerprint: string } {
  let out = READ.get(p);
  if (!out) READ.set(p, (out = { policy: readAuthzPolicy(p), fingerprint: `${p.namespace}/${p.name}:${JSON.stringify(p.spec)}` }));
  return out;
}

/**
 * The enforcing policies of a workload: from its namespace and the root namespace ([api] `selector`:
 * a root-namespace selector matches in every namespace), by selector (none: every workload). Policies
 * attached by `targetRef(s)` (gateways, waypoints) are not sidecar policies. AUDIT and dry-run policies
 * never change an answer ([api] L25-37, `istio.io/dry-run`), so they are left out here.
 */
function policiesFor(set: ConfigSet, w: Workload): Resource[] {
  const root = set.meshConfig.rootNamespace;
  return set.ofKind(AP).filter((p) => {
    if (p.namespace !== w.namespace && p.namespace !== root) return false;
    const { policy } = read(p);
    return !policy.targeted && !policy.dryRun && policy.action !== "AUDIT" && selectorMatches(policy.selector, w.labels);
  });
}

/**
 * CUSTOM → DENY → "no ALLOW policy: allow" → a matching ALLOW → deny ([api] L25-37). "A request is
 * allowed if and only if all the actions return allow": a request the native actions deny is denied
 * whatever the extension says, and one they allow is up to the extension when a CUSTOM policy matches.
 */
function evaluate(policies: readonly AuthzPolicy[], probe: AccessProbe): Omit<ProbeVerdict, "probe" | "cell"> {
  const deny = policies.find((p) => p.action === "DENY" && authzPolicyMatches(p, probe));
  if (deny) return { verdict: "deny", policy: deny.id };
  const allows = policies.filter((p) => p.action === "ALLOW");
  const allow = allows.find((p) => authzPolicyMatches(p, probe));
  if (allows.length > 0 && !allow) return { verdict: "deny" };
  const custom = policies.filter((p) => p.action === "CUSTOM" && authzPolicyMatches(p, probe));
  if (custom.length > 0) {
    const provider = [...new Set(custom.map((p) => p.provider ?? "(no provider named)"))].join(", ");
    return { verdict: "external", provider, policy: custom[0]?.id ?? "" };
  }
  return allow ? { verdict: "allow", policy: allow.id } : { verdict: "allow" };
}

const BY_ID = new WeakMap<ConfigSet, Map<string, Workload>>();

function workloadById(set: ConfigSet, id: string): Workload | undefined {
  let byId = BY_ID.get(set);
  if (!byId) BY_ID.set(set, (byId = new Map(listWorkloads(set).filter((w) => !w.resource.synthetic).map((w) => [`${w.namespace}/${w.name}`, w]))));
  return byId.get(id);
}

/**
 * The probe space of a change: for each workload, samples of every value its policies on either side
 * name (see authzProbes), built on first use so a review pays only for the workloads it simulates.
 */
export function collectProbes(sets: readonly ConfigSet[]): ProbeSpace {
  const cache = new Map<string, WorkloadProbes>();
  return {
    forWorkload(namespace, name) {
      const id = `${namespace}/${name}`;
      let probes = cache.get(id);
      if (!probes) {
        const policies = sets.flatMap((set) => {
          const w = workloadById(set, id);
          return w ? policiesFor(set, w).map((p) => read(p).policy) : [];
        });
        cache.set(id, (probes = authzProbes(policies)));
      }
      return probes;
    },
  };
}

/** Who may call each workload with which method and path, under Istio's evaluation order. */
export function simulateAuthorization(set: ConfigSet, space: ProbeSpace, only?: ReadonlySet<string>): WorkloadAccess[] {
  return listWorkloads(set)
    .filter((w) => !w.resource.synthetic && (!only || only.has(`${w.namespace}/${w.name}`)))
    .map((w) => {
      const policies = policiesFor(set, w).map((p) => read(p).policy);
      const probes = space.forWorkload(w.namespace, w.name);
      const verdicts = new Map(
        probes.cells.map((cell, i) => {
          const probe = probes.probes[i] as AccessProbe;
          return [cell.join(","), { probe, cell, ...evaluate(policies, probe) }];
        }),
      );
      return { namespace: w.namespace, workload: w.name, allowByDefault: !policies.some((p) => p.action === "ALLOW"), probes, verdicts };
    });
}

function policyFingerprints(set: ConfigSet): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of listWorkloads(set)) {
    if (!w.resource.synthetic) out.set(`${w.namespace}/${w.name}`, policiesFor(set, w).map((p) => read(p).fingerprint).join("|"));
  }
  return out;
}

/**
 * Workloads whose applicable (enforcing) AuthorizationPolicies differ between two sets: the only ones
 * whose access can change, since both sides are asked the same probes. Simulating just these keeps a
 * review's cost with the change (all workloads × all callers grows with the square of the repo).
 */
export function workloadsWithChangedPolicies(base: ConfigSet, head: ConfigSet): Set<string> {
  const before = policyFingerprints(base);
  const out = new Set<string>();
  for (const [id, fingerprint] of policyFingerprints(head)) {
    const old = before.get(id);
    if (old !== undefined && old !== fingerprint) out.add(id);
  }
  return out;
}

/** A set of requests to one workload whose answer changed the same way: the sentence in parts, and plain. */
export interface AccessChange extends Omit<AccessDescription, "cube"> {
  /** `namespace/name`. */
  readonly workload: string;
  /** One request the change applies to. */
  readonly probe: AccessProbe;
  readonly before: AccessVerdict;
  readonly after: AccessVerdict;
  /** The external authorizer deciding before / after, when a side is `external`. */
  readonly beforeProvider?: string;
  readonly afterProvider?: string;
  /** Plain text: "`frontend` in `shop` can no longer POST `/api/orders` on `shop/orders`" (backticks only quote). */
  readonly sentence: string;
}

function sameDecision(a: Decision, b: Decision): boolean {
  return a.verdict === b.verdict && a.provider === b.provider;
}

/** Denials first: they break callers. Then what the external authorizer now decides, then what opens. */
const RANK: Record<AccessVerdict, number> = { deny: 0, external: 1, allow: 2 };

function plain(words: Phrase): string {
  return words.map((w) => (w.code ? `\`${w.text}\`` : w.text)).join("");
}

interface Transition {
  readonly before: Decision;
  readonly after: Decision;
  readonly cells: (readonly number[])[];
}

/** The workload's changed cells, grouped by how their answer changed. */
function transitions(b: WorkloadAccess, w: WorkloadAccess): Transition[] {
  const groups = new Map<string, Transition>();
  for (const [key, v] of w.verdicts) {
    const old = b.verdicts.get(key);
    if (!old || sameDecision(old, v)) continue;
    const id = `${old.verdict}\u0000${old.provider ?? ""}\u0000${v.verdict}\u0000${v.provider ?? ""}`;
    const group = groups.get(id) ?? { before: old, after: v, cells: [] };
    group.cells.push(v.cell);
    groups.set(id, group);
  }
  return [...groups.values()].sort((x, y) => RANK[x.after.verdict] - RANK[y.after.verdict]);
}

/**
 * Newly allowed, newly denied and newly externally decided access, in words, per workload. Both sides
 * must be simulated with the same ProbeSpace, so each workload's requests line up cell by cell.
 */
export function diffAuthorization(base: readonly WorkloadAccess[], head: readonly WorkloadAccess[]): AccessChange[] {
  const before = new Map(base.map((w) => [`${w.namespace}/${w.workload}`, w]));
  const changes: AccessChange[] = [];
  for (const w of head) {
    const id = `${w.namespace}/${w.workload}`;
    const b = before.get(id);
    if (!b) continue;
    // Past MAX_PROBES some named values went unasked (see authzProbes): each sentence says so.
    const note = w.probes.capped ? [prose(" (simulated on a sample of the values the policies name)")] : [];
    for (const g of transitions(b, w)) {
      for (const { cube, ...parts } of describeAccessChanges(w.probes.dimensions, id, g.before, g.after, g.cells)) {
        const words = [...parts.words, ...note];
        changes.push({
          ...parts,
          workload: id,
          probe: w.verdicts.get(cube.map((s) => s[0] ?? 0).join(","))?.probe ?? { caller: plain(parts.who) },
          before: g.before.verdict,
          after: g.after.verdict,
          ...(g.before.provider !== undefined ? { beforeProvider: g.before.provider } : {}),
          ...(g.after.provider !== undefined ? { afterProvider: g.after.provider } : {}),
          words,
          sentence: plain(words),
        });
      }
    }
  }
  return changes;
}
