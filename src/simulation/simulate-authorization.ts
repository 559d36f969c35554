import type { ConfigSet } from "../mesh/config-set.ts";
import { isObject, type JsonObject, type JsonValue, readArray, readString, readStringMap } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";
import { listWorkloads, selectorMatches, type Workload } from "../mesh/workloads.ts";
import { matchAuthzValue, sampleForPattern } from "./match-authz-value.ts";

/** A caller and a request, concrete enough to evaluate every policy against. */
export interface AccessProbe {
  readonly caller: string;
  readonly principal?: string;
  readonly namespace?: string;
  readonly method: string;
  readonly path: string;
}

export type AccessVerdict = "allow" | "deny";

export interface WorkloadAccess {
  readonly namespace: string;
  readonly workload: string;
  /** No ALLOW policy applies: everything not denied is allowed. */
  readonly allowByDefault: boolean;
  readonly verdicts: ReadonlyMap<string, { probe: AccessProbe; verdict: AccessVerdict; policy?: string }>;
}

const AP = "AuthorizationPolicy.security.istio.io";
const ANY_CALLER: AccessProbe = { caller: "a caller without mTLS identity", method: "GET", path: "/" };

function strings(value: JsonValue | undefined): string[] {
  return readArray(value).filter((v): v is string => typeof v === "string");
}

/** `cluster.local/ns/shop/sa/frontend` → `frontend (shop)`. */
function callerName(principal: string): string {
  const m = /^[^/]+\/ns\/([^/]+)\/sa\/(.+)$/.exec(principal);
  return m ? `${m[2]} (${m[1]})` : principal;
}

function policiesFor(set: ConfigSet, w: Workload): Resource[] {
  const root = set.meshConfig.rootNamespace;
  return set.ofKind(AP).filter((p) => {
    if (p.namespace !== w.namespace && p.namespace !== root) return false;
    if (Array.isArray(p.spec.targetRefs) || isObject(p.spec.targetRef)) return false; // waypoints/gateways only
    if (p.body.metadata && isObject(p.body.metadata) && readStringMap((p.body.metadata as JsonObject).annotations)["istio.io/dry-run"] === "true") return false;
    const selector = isObject(p.spec.selector) ? readStringMap(p.spec.selector.matchLabels) : {};
    return selectorMatches(selector, w.labels);
  });
}

function fieldMatches(spec: JsonObject, field: string, value: string | undefined): boolean {
  const pos = strings(spec[field]);
  const neg = strings(spec[`not${field[0]?.toUpperCase()}${field.slice(1)}`]);
  if (pos.length > 0 && !pos.some((p) => matchAuthzValue(p, value))) return false;
  return !neg.some((p) => matchAuthzValue(p, value));
}

function sourceMatches(source: JsonObject, probe: AccessProbe): boolean {
  return fieldMatches(source, "principals", probe.principal) && fieldMatches(source, "namespaces", probe.namespace);
}

function operationMatches(op: JsonObject, probe: AccessProbe): boolean {
  return fieldMatches(op, "methods", probe.method) && fieldMatches(op, "paths", probe.path);
}

/** A rule matches when one source, one operation and all conditions match (conditions assumed to hold). */
function ruleMatches(rule: JsonValue, probe: AccessProbe): boolean {
  if (!isObject(rule)) return false;
  const from = readArray(rule.from).filter(isObject).map((f) => (isObject(f.source) ? f.source : {}));
  const to = readArray(rule.to).filter(isObject).map((t) => (isObject(t.operation) ? t.operation : {}));
  return (from.length === 0 || from.some((s) => sourceMatches(s, probe))) && (to.length === 0 || to.some((o) => operationMatches(o, probe)));
}

/** `rules` absent: never matches (ALLOW without rules is allow-nothing). */
function policyMatches(policy: Resource, probe: AccessProbe): boolean {
  return readArray(policy.spec.rules).some((r) => ruleMatches(r, probe));
}

function actionOf(p: Resource): string {
  return readString(p.spec.action) ?? "ALLOW";
}

/** CUSTOM → DENY → "no ALLOW means allow" → ALLOW → deny ([api] L25-37). CUSTOM counts as deny-capable. */
function evaluate(policies: readonly Resource[], probe: AccessProbe): { verdict: AccessVerdict; policy?: string } {
  for (const action of ["CUSTOM", "DENY"]) {
    const hit = policies.find((p) => actionOf(p) === action && policyMatches(p, probe));
    if (hit) return { verdict: "deny", policy: `${hit.namespace}/${hit.name}` };
  }
  const allows = policies.filter((p) => actionOf(p) === "ALLOW");
  if (allows.length === 0) return { verdict: "allow" };
  const hit = allows.find((p) => policyMatches(p, probe));
  return hit ? { verdict: "allow", policy: `${hit.namespace}/${hit.name}` } : { verdict: "deny" };
}

/** Probes from every principal, namespace, method and path the policies of both sides mention. */
export function collectProbes(sets: readonly ConfigSet[]): AccessProbe[] {
  const callers = new Map<string, Pick<AccessProbe, "caller" | "principal" | "namespace">>([[ANY_CALLER.caller, { caller: ANY_CALLER.caller }]]);
  const methods = new Set<string>(["GET"]);
  const paths = new Set<string>(["/"]);
  for (const set of sets) {
    for (const p of set.ofKind(AP)) {
      for (const rule of readArray(p.spec.rules).filter(isObject)) {
        for (const f of readArray(rule.from).filter(isObject)) {
          const s = isObject(f.source) ? f.source : {};
          for (const pr of [...strings(s.principals), ...strings(s.notPrincipals)]) {
            const principal = sampleForPattern(pr);
            const ns = /\/ns\/([^/]+)\//.exec(principal)?.[1];
            callers.set(principal, { caller: callerName(principal), principal, ...(ns ? { namespace: ns } : {}) });
          }
          for (const n of [...strings(s.namespaces), ...strings(s.notNamespaces)]) {
            const ns = sampleForPattern(n);
            const principal = `cluster.local/ns/${ns}/sa/default`;
            if (!callers.has(principal)) callers.set(principal, { caller: `workloads in namespace ${ns}`, principal, namespace: ns });
          }
        }
        for (const t of readArray(rule.to).filter(isObject)) {
          const o = isObject(t.operation) ? t.operation : {};
          for (const m of [...strings(o.methods), ...strings(o.notMethods)]) methods.add(sampleForPattern(m));
          for (const pa of [...strings(o.paths), ...strings(o.notPaths)]) paths.add(sampleForPattern(pa));
        }
      }
    }
  }
  const probes: AccessProbe[] = [];
  for (const c of callers.values()) for (const method of methods) for (const path of paths) probes.push({ ...c, method, path });
  return probes;
}

function probeKey(p: AccessProbe): string {
  return `${p.caller}\u0000${p.method}\u0000${p.path}`;
}

/** Who may call each workload with which method and path, under Istio's evaluation order. */
export function simulateAuthorization(set: ConfigSet, probes: readonly AccessProbe[], only?: ReadonlySet<string>): WorkloadAccess[] {
  return listWorkloads(set)
    .filter((w) => !w.resource.synthetic && (!only || only.has(`${w.namespace}/${w.name}`)))
    .map((w) => {
      const policies = policiesFor(set, w);
      const verdicts = new Map(probes.map((probe) => [probeKey(probe), { probe, ...evaluate(policies, probe) }]));
      return { namespace: w.namespace, workload: w.name, allowByDefault: !policies.some((p) => actionOf(p) === "ALLOW"), verdicts };
    });
}

function policyFingerprints(set: ConfigSet): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of listWorkloads(set)) {
    if (!w.resource.synthetic) out.set(`${w.namespace}/${w.name}`, policiesFor(set, w).map((p) => `${p.namespace}/${p.name}:${JSON.stringify(p.spec)}`).join("|"));
  }
  return out;
}

/**
 * Workloads whose applicable AuthorizationPolicies differ between two sets: the only ones whose access
 * can change, since both sides are asked the same probes. Simulating just these keeps a review's cost
 * with the change (all workloads × all callers grows with the square of the repo).
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

export interface AccessChange {
  readonly workload: string;
  readonly probe: AccessProbe;
  readonly before: AccessVerdict;
  readonly after: AccessVerdict;
  /** "`frontend (shop)` can no longer POST `/api/orders` on `shop/orders`". */
  readonly sentence: string;
}

/** Newly allowed and newly denied access, in words. */
export function diffAuthorization(base: readonly WorkloadAccess[], head: readonly WorkloadAccess[]): AccessChange[] {
  const before = new Map(base.map((w) => [`${w.namespace}/${w.workload}`, w]));
  const changes: AccessChange[] = [];
  for (const w of head) {
    const id = `${w.namespace}/${w.workload}`;
    const b = before.get(id);
    if (!b) continue;
    for (const [key, v] of w.verdicts) {
      const old = b.verdicts.get(key);
      if (!old || old.verdict === v.verdict) continue;
      const { caller, method, path } = v.probe;
      const sentence =
        v.verdict === "deny"
          ? `\`${caller}\` can no longer ${method} \`${path}\` on \`${id}\``
          : `\`${caller}\` can now ${method} \`${path}\` on \`${id}\``;
      changes.push({ workload: id, probe: v.probe, before: old.verdict, after: v.verdict, sentence });
    }
  }
  return changes;
}
