import { isObject, type JsonObject, type JsonValue, readArray, readString, readStringMap } from "../mesh/json.ts";
import type { Resource } from "../mesh/resource.ts";

/**
 * The request attributes an AuthorizationPolicy can test. Identity attributes all come from the peer
 * certificate's principal; `address` is both `source.ip` and `remote.ip` (see SOURCE_FIELDS); `attr:<key>`
 * is any other `when` key (headers, JWT claims, SNI, ...).
 */
export type AuthzAttribute =
  | "principal"
  | "namespace"
  | "serviceAccount"
  | "trustDomain"
  | "address"
  | "requestPrincipal"
  | "method"
  | "path"
  | "port"
  | "host"
  | `attr:${string}`;

/** One field of a source, operation or condition: matches when any value matches (none, if negative). */
export interface AuthzTest {
  readonly attribute: AuthzAttribute;
  readonly values: readonly string[];
  readonly negative: boolean;
}

/** "A match occurs when at least one source, one operation and all conditions match" ([api] Rule). */
export interface AuthzRule {
  /** Sources, ORed; the tests of one source are ANDed. Empty: any source. */
  readonly from: readonly (readonly AuthzTest[])[];
  readonly to: readonly (readonly AuthzTest[])[];
  /** Conditions, ANDed. */
  readonly when: readonly AuthzTest[];
}

export type AuthzAction = "ALLOW" | "DENY" | "AUDIT" | "CUSTOM";

export interface AuthzPolicy {
  /** `namespace/name`. */
  readonly id: string;
  readonly action: AuthzAction;
  /** CUSTOM: the extension provider that decides (`provider.name`). */
  readonly provider?: string;
  /** `rules` absent: the policy never matches (an ALLOW without rules allows nothing). */
  readonly rules: readonly AuthzRule[];
  readonly selector: Readonly<Record<string, string>>;
  /** Attached through `targetRef(s)` (gateways, waypoints), not to sidecar workloads by selector. */
  readonly targeted: boolean;
  /** `istio.io/dry-run: "true"` on ALLOW/DENY: evaluated and logged, never enforced. */
  readonly dryRun: boolean;
}

/**
 * Source fields and the attribute each tests. `remoteIpBlocks` is read from X-Forwarded-For / proxy
 * protocol only when `numTrustedProxies` is configured; without it Envoy's remote address is the peer's
 * own, so the simulation treats `remote.ip` as `source.ip` (one `address` per probe).
 */
const SOURCE_FIELDS: readonly (readonly [string, AuthzAttribute])[] = [
  ["principals", "principal"],
  ["namespaces", "namespace"],
  ["serviceAccounts", "serviceAccount"],
  ["trustDomains", "trustDomain"],
  ["ipBlocks", "address"],
  ["remoteIpBlocks", "address"],
  ["requestPrincipals", "requestPrincipal"],
];

const OPERATION_FIELDS: readonly (readonly [string, AuthzAttribute])[] = [
  ["hosts", "host"],
  ["ports", "port"],
  ["methods", "method"],
  ["paths", "path"],
];

/** `when` keys that name an attribute a source or operation field also tests ([istio] model.go generators). */
const CONDITION_KEYS: Readonly<Record<string, AuthzAttribute>> = {
  "source.ip": "address",
  "remote.ip": "address",
  "source.principal": "principal",
  "source.namespace": "namespace",
  "source.serviceAccount": "serviceAccount",
  "source.trustDomain": "trustDomain",
  "request.auth.principal": "requestPrincipal",
  "destination.port": "port",
};

/** Strings, and numbers written unquoted (`ports: [8080]`), as Istio reads them. */
function values(value: JsonValue | undefined): string[] {
  return readArray(value).flatMap((v) => (typeof v === "string" ? [v] : typeof v === "number" ? [String(v)] : []));
}

function notField(field: string): string {
  return `not${field[0]?.toUpperCase() ?? ""}${field.slice(1)}`;
}

/**
 * A service account is `<ns>/<sa>` or `<sa>` in the policy's namespace ([istio] model/generator.go
 * `serviceAccountRegex`); stored as `<ns>/<sa>` so matching needs no policy.
 */
function qualify(attribute: AuthzAttribute, value: string, namespace: string): string {
  return attribute === "serviceAccount" && !value.includes("/") ? `${namespace}/${value}` : value;
}

function readTests(spec: JsonObject, fields: readonly (readonly [string, AuthzAttribute])[], namespace: string): AuthzTest[] {
  const tests: AuthzTest[] = [];
  for (const [field, attribute] of fields) {
    for (const [name, negative] of [[field, false], [notField(field), true]] as const) {
      const vs = values(spec[name]).map((v) => qualify(attribute, v, namespace));
      if (vs.length > 0) tests.push({ attribute, values: vs, negative });
    }
  }
  return tests;
}

/** Header names are case-insensitive, so `request.headers[X-Debug]` and `[x-debug]` are one attribute. */
function conditionAttribute(key: string): AuthzAttribute {
  const header = /^request\.headers\[(.*)\]$/.exec(key);
  if (header) return `attr:request.headers[${(header[1] ?? "").toLowerCase()}]`;
  return CONDITION_KEYS[key] ?? `attr:${key}`;
}

function readCondition(condition: JsonObject, namespace: string): AuthzTest[] {
  const key = readString(condition.key);
  if (key === undefined) return [];
  const attribute = conditionAttribute(key);
  const tests: AuthzTest[] = [];
  for (const [name, negative] of [["values", false], ["notValues", true]] as const) {
    const vs = values(condition[name]).map((v) => qualify(attribute, v, namespace));
    if (vs.length > 0) tests.push({ attribute, values: vs, negative });
  }
  return tests;
}

function readRule(rule: JsonObject, namespace: string): AuthzRule {
  const entries = (list: JsonValue | undefined, field: string) => readArray(list).filter(isObject).map((e) => (isObject(e[field]) ? (e[field] as JsonObject) : {}));
  return {
    from: entries(rule.from, "source").map((s) => readTests(s, SOURCE_FIELDS, namespace)),
    to: entries(rule.to, "operation").map((o) => readTests(o, OPERATION_FIELDS, namespace)),
    when: readArray(rule.when).filter(isObject).flatMap((c) => readCondition(c, namespace)),
  };
}

function readAction(value: JsonValue | undefined): AuthzAction {
  return value === "DENY" || value === "AUDIT" || value === "CUSTOM" ? value : "ALLOW";
}

/** An AuthorizationPolicy as plain tests over request attributes, read once per policy. */
export function readAuthzPolicy(p: Resource): AuthzPolicy {
  const action = readAction(p.spec.action);
  const metadata = isObject(p.body.metadata) ? p.body.metadata : {};
  const provider = isObject(p.spec.provider) ? readString(p.spec.provider.name) : undefined;
  return {
    id: `${p.namespace}/${p.name}`,
    action,
    ...(provider !== undefined ? { provider } : {}),
    rules: readArray(p.spec.rules).filter(isObject).map((r) => readRule(r, p.namespace)),
    selector: isObject(p.spec.selector) ? readStringMap(p.spec.selector.matchLabels) : {},
    targeted: Array.isArray(p.spec.targetRefs) || isObject(p.spec.targetRef),
    dryRun: (action === "ALLOW" || action === "DENY") && readStringMap(metadata.annotations)["istio.io/dry-run"] === "true",
  };
}
