import { parseIpAddress } from "../../mesh/parse-ip-address.ts";
import { formatGo } from "../analyzers/format-go.ts";

/**
 * Istio's host-name rules (`pkg/config/validation/agent`, `pkg/config/labels`). Each check returns
 * Istio's error text, or undefined when the name is fine.
 */
const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_LABEL = /^(?:\*|(?:\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const MAX_LABEL = 63;

export function isDns1123Label(text: string): boolean {
  return text.length <= MAX_LABEL && DNS1123_LABEL.test(text);
}

function isWildcardDns1123Label(text: string): boolean {
  return text.length <= MAX_LABEL && WILDCARD_LABEL.test(text);
}

/** `netutil.IsValidIPAddress`: an IPv4 or IPv6 address without a zone. */
export function isIpAddress(text: string): boolean {
  const ip = parseIpAddress(text);
  return ip !== undefined && ip.zone === "";
}

function checkDnsPreconditions(name: string): string | undefined {
  if (name.length > 255) return formatGo("domain name %q too long (max 255)", [name]);
  if (name.length === 0) return "empty domain name not allowed";
  return undefined;
}

function checkDnsLabels(domain: string): string | undefined {
  const parts = domain.split(".");
  const top = parts[parts.length - 1] ?? "";
  if (/^[+-]?\d+$/.test(top)) {
    return formatGo("domain name %q invalid (top level domain %q cannot be all-numeric)", [domain, top]);
  }
  for (const [i, label] of parts.entries()) {
    // A trailing dot (`istio.io.`) is allowed: the last label may be empty.
    if (i === parts.length - 1 && label === "") return undefined;
    if (!isDns1123Label(label)) return formatGo("domain name %q invalid (label %q invalid)", [domain, label]);
  }
  return undefined;
}

/** `agent.ValidateFQDN`. */
export function checkFqdn(fqdn: string): string | undefined {
  return checkDnsPreconditions(fqdn) ?? checkDnsLabels(fqdn);
}

/** `agent.ValidateWildcardDomain`: an FQDN whose first label may be `*`, `*x` or `*-x`. */
export function checkWildcardDomain(domain: string): string | undefined {
  const pre = checkDnsPreconditions(domain);
  if (pre) return pre;
  const dot = domain.indexOf(".");
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!isWildcardDns1123Label(first)) return formatGo("domain name %q invalid (label %q invalid)", [domain, first]);
  return dot < 0 ? undefined : checkDnsLabels(domain.slice(dot + 1));
}

/** `agent.ValidatePartialWildCard`. */
export function checkPartialWildcard(host: string): string | undefined {
  if (host.includes("*") && host.length !== 1 && !host.startsWith("*.")) {
    return formatGo("partial wildcard %q not allowed", [host]);
  }
  return undefined;
}

const OUTBOUND_FORMAT = "outbound_.<PORT>_._.<HOSTNAME>";

/**
 * `agent.ValidateWildcardDomainForVirtualServiceBoundToGateway`: with TLS SNI matches, a gateway-bound
 * VirtualService may name the auto-generated `outbound_.<port>_._.<host>` SNI of AUTO_PASSTHROUGH.
 */
export function checkGatewayVirtualServiceHost(sni: boolean, domain: string): string | undefined {
  const pre = checkDnsPreconditions(domain);
  if (pre) return pre;
  if (sni && domain.startsWith("outbound_")) {
    const parts = domain.split("_");
    if (parts.length < 4) return `domain name ${domain} invalid, should follow '${OUTBOUND_FORMAT}' format`;
    const direction = parts[0] ?? "";
    const port = trimDots(parts[1] ?? "");
    const host = trimDots(parts[3] ?? "");
    if (direction !== "outbound") return formatGo("domain name %q invalid (label %q invalid)", [domain, direction]);
    if (!/[0-9]/.test(port)) {
      return formatGo("domain name %q invalid (label %q invalid). should follow %s format", [domain, port, OUTBOUND_FORMAT]);
    }
    if (!/[a-zA-Z]/.test(host)) {
      return formatGo("domain name %q invalid (label %q invalid). should follow %s format", [domain, host, OUTBOUND_FORMAT]);
    }
    return undefined;
  }
  return checkWildcardDomain(domain);
}

function trimDots(text: string): string {
  return text.replace(/^\.+|\.+$/g, "");
}

/** The host part of a Gateway or Sidecar `namespace/host` entry. */
function checkGatewayOrSidecarHostPart(host: string, isGateway: boolean): string[] {
  const errors: string[] = [];
  if (host !== "*" && !host.includes(".")) errors.push("short names (non FQDN) are not allowed");
  const err = checkWildcardDomain(host);
  // A Gateway also accepts an IP address as its host.
  if (err && (!isGateway || !isIpAddress(host))) errors.push(err);
  const partial = checkPartialWildcard(host);
  if (partial) errors.push(partial);
  return errors;
}

/** `agent.ValidateNamespaceSlashWildcardHostname`, for Gateway server hosts and Sidecar egress hosts. */
export function checkNamespaceSlashHostname(hostname: string, isGateway: boolean, gatewaySemantics: boolean): string[] {
  const slash = hostname.indexOf("/");
  if (slash < 0) {
    // A bare host is the old Gateway style; a Sidecar always needs the namespace.
    return isGateway ? checkGatewayOrSidecarHostPart(hostname, true) : ["host must be of form namespace/dnsName"];
  }
  const ns = hostname.slice(0, slash);
  const host = hostname.slice(slash + 1);
  const errors: string[] = [];
  if (ns === "" || host === "") errors.push("config namespace and dnsName in host entry cannot be empty");
  if (!isGateway) {
    // `~` marks a namespace to exclude in a Sidecar.
    const bare = ns.startsWith("~") && ns.length > 1 ? ns.slice(1) : ns;
    if (bare !== "*" && bare !== "." && ns !== "~" && !isDns1123Label(bare)) {
      errors.push(formatGo("invalid namespace value %q in sidecar", [ns]));
    }
  } else if (ns !== "*" && ns !== "." && (ns !== "~" || !gatewaySemantics) && !isDns1123Label(ns)) {
    errors.push(formatGo("invalid namespace value %q in gateway", [ns]));
  }
  return [...errors, ...checkGatewayOrSidecarHostPart(host, isGateway)];
}
