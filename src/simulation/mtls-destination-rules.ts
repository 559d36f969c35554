import type { ConfigSet } from "../mesh/config-set.ts";
import type { FieldPath } from "../mesh/field-path.ts";
import { EXPORT_TO_ALL, EXPORT_TO_LOCAL, hostsMatch, isWildcardHost, toFqdn } from "../mesh/hosts.ts";
import { isObject, type JsonObject, readArray, readString, readStringMap } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";
import { formatSelector, selectorMatches } from "../mesh/workloads.ts";

/**
 * A group of client sidecars that see the same DestinationRules: the proxies of one namespace (those a
 * DR's `workloadSelector` picks get a scope of their own), or `*`, every namespace holding no
 * DestinationRule and named in no `exportTo` — they all resolve the same way.
 */
export interface ClientScope {
  readonly namespace: string;
  readonly selector?: Readonly<Record<string, string>>;
}

/** A trafficPolicy and where it is, for pointing at the field that decides. */
export interface PolicyAt {
  readonly owner: Resource;
  readonly policy: JsonObject;
  readonly path: FieldPath;
}

export interface SubsetAt {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly owner: Resource;
  /** `spec.subsets[i]`, so `[...path, "trafficPolicy"]` is its policy. */
  readonly path: FieldPath;
  readonly policy?: JsonObject;
}

/**
 * The DestinationRule a client uses for a host, after Istio merges the rules of one namespace for the
 * same host (`mergeDestinationRule`): the first top-level trafficPolicy, subsets by name, first wins.
 */
export interface AppliedRule {
  readonly rules: readonly Resource[];
  readonly policy?: PolicyAt;
  readonly subsets: readonly SubsetAt[];
}

export interface DestinationRuleIndex {
  /**
   * The scopes whose lookup of `fqdn` may differ from `*`'s, `*` last: namespaces with a rule of their
   * own for the host (and their workloadSelector scopes), and namespaces a candidate rule is exported
   * to by name. Every other namespace resolves as `*` does.
   */
  scopesFor(fqdn: string, serviceNamespace: string): ClientScope[];
  /** The rule clients of `scope` apply to `fqdn`, a Service of `serviceNamespace`; undefined: none. */
  resolve(scope: ClientScope, fqdn: string, serviceNamespace: string): AppliedRule | undefined;
}

export const OTHER_NAMESPACES = "*";

const DR = "DestinationRule.networking.istio.io";

interface Entry {
  readonly rule: Resource;
  readonly exportTo: ReadonlySet<string>;
  readonly selector?: Readonly<Record<string, string>>;
}

/** DRs of one pool by their resolved host, exact and wildcard apart (as `consolidatedDestRules`). */
interface HostTable {
  readonly exact: Map<string, Entry[]>;
  readonly wildcard: Map<string, Entry[]>;
}

/**
 * Indexes the DestinationRules of a set the way `PushContext.SetDestinationRules` does: per namespace
 * the rules its own proxies see first (no exportTo, `*`, `.` or the namespace itself), the rules it
 * exports to others (all but the private-only ones), and the root namespace's private rules. Lookup
 * follows `PushContext.destinationRule`: the client's namespace, then the Service's namespace, then the
 * root namespace, each time the most specific host (`MostSpecificHostMatch`: exact beats wildcard, a
 * longer wildcard beats a shorter) and stopping at the first namespace that has one. Istio orders
 * rules by creation time; git has none, so the order of the set stands in for it.
 */
export function indexDestinationRules(set: ConfigSet): DestinationRuleIndex {
  const root = set.meshConfig.rootNamespace;
  const defaultPrivate = readArray(set.meshConfig.raw.defaultDestinationRuleExportTo).includes(EXPORT_TO_LOCAL);
  const local = new Map<string, HostTable>();
  const exported = new Map<string, HostTable>();
  const rootLocal = emptyTable();
  // Selector scopes per namespace, for the namespaces a host's own rules make relevant.
  const selectorScopes = new Map<string, ClientScope[]>();
  for (const rule of set.ofKind(DR)) {
    const host = readString(rule.spec.host);
    if (!host) continue;
    const fqdn = toFqdn(host, rule.namespace);
    const ws = rule.spec.workloadSelector;
    const selector = isObject(ws) ? readStringMap(ws.matchLabels) : undefined;
    // A DR with a workloadSelector is never exported (Istio treats it as exportTo ".").
    const exportTo = new Set(selector ? [EXPORT_TO_LOCAL] : readArray(rule.spec.exportTo).filter((e): e is string => typeof e === "string"));
    const entry: Entry = { rule, exportTo, ...(selector ? { selector } : {}) };
    const ns = rule.namespace;
    if (selector) selectorScopes.set(ns, [...(selectorScopes.get(ns) ?? []), { namespace: ns, selector }]);
    if (exportTo.size === 0 || exportTo.has(EXPORT_TO_ALL) || exportTo.has(EXPORT_TO_LOCAL) || exportTo.has(ns)) add(tableOf(local, ns), fqdn, entry);
    const privateOnly = exportTo.size === 0 ? defaultPrivate : exportTo.size === 1 && (exportTo.has(EXPORT_TO_LOCAL) || exportTo.has(ns));
    if (!privateOnly) add(tableOf(exported, ns), fqdn, entry);
    else if (ns === root) add(rootLocal, fqdn, entry);
  }

  // Which namespaces hold a local rule for a host, so a Service's relevant scopes are found without
  // asking every namespace.
  const localExact = new Map<string, string[]>();
  const localWildcards: [string, string][] = [];
  for (const [ns, table] of local) {
    for (const h of table.exact.keys()) localExact.set(h, [...(localExact.get(h) ?? []), ns]);
    for (const h of table.wildcard.keys()) localWildcards.push([ns, h]);
  }

  const fromExported = (owner: string, fqdn: string, client: string): AppliedRule | undefined => {
    const table = exported.get(owner);
    const hit = table ? mostSpecific(table, fqdn) : undefined;
    if (!hit) return undefined;
    // The host is picked first; a rule for it not exported to the client hides the less specific ones.
    const visible = hit.filter((e) => e.exportTo.size === 0 || e.exportTo.has(EXPORT_TO_ALL) || (client !== OTHER_NAMESPACES && e.exportTo.has(client)));
    return visible.length > 0 ? pickForClient(visible, undefined) : undefined;
  };

  return {
    scopesFor(fqdn, serviceNamespace) {
      const out = new Map<string, ClientScope>();
      const add = (scope: ClientScope) => out.set(scopeKey(scope), scope);
      const addNamespace = (ns: string) => {
        add({ namespace: ns });
        for (const scope of selectorScopes.get(ns) ?? []) add(scope);
      };
      for (const ns of localExact.get(fqdn) ?? []) addNamespace(ns);
      for (const [ns, host] of localWildcards) if (hostsMatch(host, fqdn)) addNamespace(ns);
      if (mostSpecific(rootLocal, fqdn)) addNamespace(root);
      for (const owner of [serviceNamespace, root]) {
        const table = exported.get(owner);
        for (const e of (table && mostSpecific(table, fqdn)) ?? []) {
          for (const to of e.exportTo) if (to !== EXPORT_TO_ALL && to !== EXPORT_TO_LOCAL) addNamespace(to);
        }
      }
      out.delete(OTHER_NAMESPACES);
      return [...out.values(), { namespace: OTHER_NAMESPACES }];
    },
    resolve(scope, fqdn, serviceNamespace) {
      const client = scope.namespace;
      if (client !== OTHER_NAMESPACES) {
        // A proxy in the root namespace looks only at the root's private rules here, so that catch-all
        // rules published from the root do not shadow a service's own namespace rules for gateways.
        const table = client === root ? rootLocal : local.get(client);
        const hit = table ? mostSpecific(table, fqdn) : undefined;
        if (hit) return pickForClient(hit, scope.selector);
      }
      return fromExported(serviceNamespace, fqdn, client) ?? fromExported(root, fqdn, client);
    },
  };
}

/** Stable text of a scope, for grouping and diffing. */
export function scopeKey(scope: ClientScope): string {
  return scope.selector ? `${scope.namespace}|${formatSelector(scope.selector)}` : scope.namespace;
}

function emptyTable(): HostTable {
  return { exact: new Map(), wildcard: new Map() };
}

function tableOf(pools: Map<string, HostTable>, ns: string): HostTable {
  let table = pools.get(ns);
  if (!table) pools.set(ns, (table = emptyTable()));
  return table;
}

function add(table: HostTable, fqdn: string, entry: Entry): void {
  const pool = isWildcardHost(fqdn) ? table.wildcard : table.exact;
  const list = pool.get(fqdn);
  if (list) list.push(entry);
  else pool.set(fqdn, [entry]);
}

/** `MostSpecificHostMatch` for a Service's (never wildcard) FQDN. */
function mostSpecific(table: HostTable, fqdn: string): Entry[] | undefined {
  const exact = table.exact.get(fqdn);
  if (exact) return exact;
  let best: string | undefined;
  for (const h of table.wildcard.keys()) if (hostsMatch(h, fqdn) && (best === undefined || h.length > best.length)) best = h;
  return best === undefined ? undefined : table.wildcard.get(best);
}

/**
 * `SidecarScope.DestinationRule`: a rule whose workloadSelector the client's labels satisfy wins, else the
 * rules without a selector; with neither, the client has no DestinationRule for the host at all (the
 * lookup does not go on to a less specific host).
 */
function pickForClient(entries: readonly Entry[], labels: Readonly<Record<string, string>> | undefined): AppliedRule | undefined {
  const selected = labels ? entries.find((e) => e.selector && selectorMatches(e.selector, labels)) : undefined;
  const chosen = selected
    ? entries.filter((e) => e.selector && formatSelector(e.selector) === formatSelector(selected.selector ?? {}))
    : entries.filter((e) => !e.selector);
  return chosen.length > 0 ? merge(chosen.map((e) => e.rule)) : undefined;
}

function merge(rules: readonly Resource[]): AppliedRule {
  let policy: PolicyAt | undefined;
  const subsets: SubsetAt[] = [];
  const names = new Set<string>();
  for (const owner of rules) {
    const tp = owner.spec.trafficPolicy;
    if (!policy && isObject(tp)) policy = { owner, policy: tp, path: ["spec", "trafficPolicy"] };
    readArray(owner.spec.subsets).forEach((s, i) => {
      if (!isObject(s)) return;
      const name = readString(s.name) ?? "";
      if (names.has(name)) return;
      names.add(name);
      const sp = s.trafficPolicy;
      subsets.push({ name, labels: readStringMap(s.labels), owner, path: ["spec", "subsets", i], ...(isObject(sp) ? { policy: sp } : {}) });
    });
  }
  return { rules, subsets, ...(policy ? { policy } : {}) };
}
