import { inIpBlock } from "./authz-address-samples.ts";
import type { AuthzAttribute, AuthzPolicy, AuthzRule, AuthzTest } from "./authz-rules.ts";
import { matchAuthzValue } from "./match-authz-value.ts";

/** A caller and a request, concrete enough to evaluate every policy against. Absent: not sent / no identity. */
export interface AccessProbe {
  /** Who sends it, in plain words. */
  readonly caller: string;
  /** The peer certificate's identity `<trust domain>/ns/<ns>/sa/<sa>`; absent for a plaintext caller. */
  readonly principal?: string;
  readonly namespace?: string;
  /** `source.ip` (and `remote.ip`, see authz-rules.ts). */
  readonly address?: string;
  /** The JWT's `<iss>/<sub>`. */
  readonly requestPrincipal?: string;
  readonly method?: string;
  readonly path?: string;
  readonly port?: string;
  readonly host?: string;
  /** Other `when` attributes by key (`request.headers[x-debug]`, ...). */
  readonly attributes?: Readonly<Record<string, string>>;
}

const PRINCIPAL = /^(.*)\/ns\/([^/]+)\/(?:.+\/)?sa\/([^/]+)/;

/** `ns/sa` of a principal, for `serviceAccounts` (given as `ns/sa` by readAuthzPolicy). */
function serviceAccountOf(principal: string | undefined): string | undefined {
  const m = principal === undefined ? null : PRINCIPAL.exec(principal);
  return m ? `${m[2]}/${m[3]}` : undefined;
}

function trustDomainOf(principal: string | undefined): string | undefined {
  const m = principal === undefined ? null : PRINCIPAL.exec(principal);
  return m ? m[1] : undefined;
}

/** Whether one value of a policy field matches the request's attribute. */
export function attributeMatches(attribute: AuthzAttribute, pattern: string, p: AccessProbe): boolean {
  switch (attribute) {
    case "principal":
      return matchAuthzValue(pattern, p.principal);
    case "namespace":
      return matchAuthzValue(pattern, p.namespace);
    case "serviceAccount":
      return serviceAccountOf(p.principal) === pattern;
    case "trustDomain":
      return matchAuthzValue(pattern, trustDomainOf(p.principal));
    case "address":
      return inIpBlock(p.address, pattern);
    case "requestPrincipal":
      return matchAuthzValue(pattern, p.requestPrincipal);
    case "method":
      return matchAuthzValue(pattern, p.method);
    case "path":
      return matchAuthzValue(pattern, p.path, { pathTemplate: true });
    case "port":
      return p.port !== undefined && pattern === p.port;
    case "host":
      return matchAuthzValue(pattern, p.host, { ignoreCase: true });
    default:
      return matchAuthzValue(pattern, p.attributes?.[attribute.slice("attr:".length)]);
  }
}

function testPasses(t: AuthzTest, p: AccessProbe): boolean {
  const hit = t.values.some((v) => attributeMatches(t.attribute, v, p));
  return t.negative ? !hit : hit;
}

function ruleMatches(rule: AuthzRule, p: AccessProbe): boolean {
  const all = (tests: readonly AuthzTest[]) => tests.every((t) => testPasses(t, p));
  return (rule.from.length === 0 || rule.from.some(all)) && (rule.to.length === 0 || rule.to.some(all)) && all(rule.when);
}

/** Whether any rule of the policy matches the request; a policy without rules never matches. */
export function authzPolicyMatches(policy: AuthzPolicy, p: AccessProbe): boolean {
  return policy.rules.some((r) => ruleMatches(r, p));
}
