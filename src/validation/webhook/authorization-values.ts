import { parseIpAddress } from "../../mesh/parse-ip-address.ts";
import { parseIpPrefix } from "../../mesh/parse-ip-prefix.ts";

/** Value checks of `pkg/config/security` for AuthorizationPolicy sources, operations and conditions. */

/** `security.ValidateIPs`: one message per bad value. */
export function checkIps(values: readonly string[]): string[] {
  const errors: string[] = [];
  for (const v of values) {
    if (v.includes("/")) {
      if (!parseIpPrefix(v)) errors.push(`bad CIDR range (${v}): netip.ParsePrefix(${JSON.stringify(v)}): bad prefix`);
    } else if (!parseIpAddress(v)) {
      errors.push(`bad IP address (${v})`);
    }
  }
  return errors;
}

/** `security.ValidatePorts`. */
export function checkPorts(values: readonly string[]): string[] {
  return values.filter((p) => !/^\d+$/.test(p) || Number(p) > 65535).map((p) =>
    /^\d+$/.test(p) ? `bad port (${p}): <nil>` : `bad port (${p}): strconv.ParseUint: parsing ${JSON.stringify(p)}: invalid syntax`);
}

/** `security.CheckEmptyValues`. */
export function checkEmptyValues(field: string, values: readonly string[]): string | undefined {
  return values.includes("") ? `empty value not allowed, found in ${field}` : undefined;
}

/** `security.CheckServiceAccount`: `sa` or `ns/sa`, no wildcard, at most 16 values of 320 characters. */
export function checkServiceAccounts(field: string, values: readonly string[]): string | undefined {
  if (values.length > 16) return "may not have more than 16 values";
  const format = "expected format 'serviceAccount' or 'namespace/serviceAccount'";
  for (const value of values) {
    if (value === "") return `empty value not allowed, found in ${field}`;
    if (value.includes("*")) return `wildcard not allowed, found in ${field}`;
    const slashes = value.split("/").length - 1;
    if (slashes > 1) return `${format}, found ${JSON.stringify(value)} in ${field}`;
    if (value.length > 320) return `value cannot exceed 320 characters, found ${JSON.stringify(value)} in ${field}`;
    const [ns = "", sa = ""] = slashes === 1 ? value.split("/") : ["-", value];
    if (ns === "") return `${format}, found empty namespace ${JSON.stringify(value)} in ${field}`;
    if (sa === "") return `${format}, found empty serviceAccount ${JSON.stringify(value)} in ${field}`;
  }
  return undefined;
}

/**
 * `security.CheckTrustDomainValues`: at most one `*`, only at the start or the end, and no `/`. The
 * reference states the rule but does not quote its texts; these follow Istio's style.
 */
export function checkTrustDomains(field: string, values: readonly string[]): string | undefined {
  for (const value of values) {
    if (value === "") return `empty value not allowed, found in ${field}`;
    const stars = value.split("*").length - 1;
    if (stars > 1 || (stars === 1 && !value.startsWith("*") && !value.endsWith("*"))) {
      return `invalid trust domain ${JSON.stringify(value)} in ${field}: only a single prefix or suffix wildcard is allowed`;
    }
    if (value.includes("/")) return `invalid trust domain ${JSON.stringify(value)} in ${field}: must not contain '/'`;
  }
  return undefined;
}

const VALID_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/** `security.CheckValidPathTemplate`: `{*}` and `{**}` segments, `{**}` last, literal segments otherwise. */
export function checkPathTemplates(field: string, paths: readonly string[]): string | undefined {
  for (const original of paths) {
    const hasTemplate = original.includes("{*}") || original.includes("{**}");
    const path = original.replace(/^\/+|\/+$/g, "");
    let matchAnySeen = false;
    for (const glob of path.split("/")) {
      const isTemplate = glob === "{*}" || glob === "{**}";
      if (isTemplate && matchAnySeen) return `invalid or unsupported path ${path}, found in ${field}. {**} is not the last operator`;
      if (isTemplate) {
        matchAnySeen ||= glob === "{**}";
        continue;
      }
      if (/[{}]/.test(glob)) return `invalid or unsupported path ${path}, found in ${field}. Contains '{' or '}' beyond a supported path template`;
      if (hasTemplate && !VALID_LITERAL.test(glob)) {
        return `invalid or unsupported path ${path}, found in ${field}. Contains segment ${glob} with invalid string literal`;
      }
    }
  }
  return undefined;
}

function joinErrors(errors: readonly string[]): string | undefined {
  return errors.length > 0 ? errors.join("; ") : undefined;
}

function checkMapKey(key: string): string | undefined {
  const open = key.indexOf("[");
  return key.endsWith("]") && open > 0 && open < key.length - 2 ? undefined : `bad key (${key}): should have format a[b]`;
}

/** `security.ValidateAttribute`: a `when` key and its values. */
export function checkAttribute(key: string, values: readonly string[]): string | undefined {
  const empty = checkEmptyValues(key, values);
  if (empty) return empty;
  if (key.startsWith("request.headers") || key.startsWith("request.experimental.inline.headers") ||
    key.startsWith("request.auth.claims") || key.startsWith("experimental.envoy.filters.")) {
    return checkMapKey(key);
  }
  switch (key) {
    case "source.ip":
    case "remote.ip":
    case "destination.ip":
      return joinErrors(checkIps(values));
    case "destination.port":
      return joinErrors(checkPorts(values));
    case "source.serviceAccount":
      return checkServiceAccounts(key, values);
    case "source.trustDomain":
      return checkTrustDomains(key, values);
    case "source.namespace":
    case "source.principal":
    case "request.auth.principal":
    case "request.auth.audiences":
    case "request.auth.presenter":
    case "connection.sni":
      return undefined;
    case "destination.namespace":
      return `attribute ${key} is replaced by the metadata.namespace`;
    case "destination.name":
    case "destination.user":
      return `deprecated attribute ${key}: only supported in v1alpha1`;
  }
  if (key.startsWith("destination.labels")) return `attribute ${key} is replaced by the workload selector`;
  return `unknown attribute: ${key}`;
}
