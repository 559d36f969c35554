import { parseIpAddress } from "../../../mesh/parse-ip-address.ts";
import { formatGo } from "../format-go.ts";

type Validator = (value: string) => string | undefined;

/**
 * The values Istio's injector checks (`inject.AnnotationValidation`, pkg/kube/inject/validate.go), each
 * returning Go's error text. `proxy.istio.io/config` is validated there too (a ProxyConfig in YAML,
 * checked by `ValidateMeshConfigProxyConfig`); meshgate does not model ProxyConfig and leaves it out.
 */
const VALIDATORS: ReadonlyMap<string, Validator> = new Map<string, Validator>([
  ["sidecar.istio.io/interceptionMode", validateInterceptionMode],
  ["status.sidecar.istio.io/port", validateStatusPort],
  ["readiness.status.sidecar.istio.io/initialDelaySeconds", (v) => parseUintError(v, 32)],
  ["readiness.status.sidecar.istio.io/periodSeconds", (v) => parseUintError(v, 32)],
  ["readiness.status.sidecar.istio.io/failureThreshold", (v) => parseUintError(v, 32)],
  ["traffic.sidecar.istio.io/includeOutboundIPRanges", (v) => (v === "*" ? undefined : prefixed("includeIPRanges", cidrListError(v)))],
  ["traffic.sidecar.istio.io/excludeOutboundIPRanges", (v) => prefixed("excludeIPRanges", cidrListError(v))],
  ["traffic.sidecar.istio.io/includeInboundPorts", (v) => (v === "*" ? undefined : prefixed("includeInboundPorts", portListError(v)))],
  ["traffic.sidecar.istio.io/excludeInboundPorts", (v) => prefixed("excludeInboundPorts", portListError(v))],
  ["traffic.sidecar.istio.io/excludeOutboundPorts", (v) => prefixed("excludeOutboundPorts", portListError(v))],
  ["prometheus.istio.io/merge-metrics", validateBool],
]);

/** Istio's complaint about an annotation's value, or undefined when it is fine or not checked. */
export function validateAnnotationValue(name: string, value: string): string | undefined {
  return VALIDATORS.get(name)?.(value);
}

function prefixed(what: string, error: string | undefined): string | undefined {
  return error === undefined ? undefined : `${what} invalid: ${error}`;
}

function validateInterceptionMode(mode: string): string | undefined {
  return mode === "REDIRECT" || mode === "TPROXY" || mode === "NONE" ? undefined : `interceptionMode invalid, use REDIRECT,TPROXY,NONE: ${mode}`;
}

/** Istio labels this error `excludeInboundPorts` although it is about the status port. */
function validateStatusPort(port: string): string | undefined {
  return prefixed("excludeInboundPorts", portError(port));
}

/** `strconv.ParseBool`. */
function validateBool(value: string): string | undefined {
  const known = ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"];
  return known.includes(value) ? undefined : `strconv.ParseBool: parsing ${formatGo("%q", [value])}: invalid syntax`;
}

/** `strconv.ParseUint(value, 10, bits)`: decimal digits only, within `bits`. */
function parseUintError(value: string, bits: number): string | undefined {
  const quoted = formatGo("%q", [value]);
  if (!/^\d+$/.test(value)) return `strconv.ParseUint: parsing ${quoted}: invalid syntax`;
  return BigInt(value) < 2n ** BigInt(bits) ? undefined : `strconv.ParseUint: parsing ${quoted}: value out of range`;
}

/** `parsePort`: a 16-bit number, blanks around it allowed. */
function portError(port: string): string | undefined {
  const error = parseUintError(port.trim(), 16);
  return error === undefined ? undefined : `failed parsing port '${port}': ${error}`;
}

/** `parsePorts`: comma-separated ports; Istio wraps each failure twice. */
function portListError(ports: string): string | undefined {
  if (ports.trim() === "") return undefined;
  for (const port of ports.trim().split(",")) {
    const error = portError(port);
    if (error !== undefined) return `failed parsing port '${port}': ${error}`;
  }
  return undefined;
}

/** `validateCIDRList`: comma-separated CIDRs, no blanks allowed. */
function cidrListError(cidrs: string): string | undefined {
  if (cidrs === "") return undefined;
  for (const cidr of cidrs.split(",")) {
    const error = prefixError(cidr);
    if (error !== undefined) return `failed parsing cidr '${cidr}': netip.ParsePrefix(${formatGo("%q", [cidr])}): ${error}`;
  }
  return undefined;
}

/**
 * Why `netip.ParsePrefix` rejects a text, in its words. For a bad address Go names the exact fault
 * (a leading zero, a missing field); that detail is summed up here as "unable to parse IP".
 */
function prefixError(text: string): string | undefined {
  const slash = text.lastIndexOf("/");
  if (slash < 0) return "no '/'";
  const addressText = text.slice(0, slash);
  const address = parseIpAddress(addressText);
  if (!address) return `ParseAddr(${formatGo("%q", [addressText])}): unable to parse IP`;
  if (address.zone !== "") return "IPv6 zones cannot be present in a prefix";
  const bits = text.slice(slash + 1);
  if (!/^(0|[1-9]\d*)$/.test(bits)) return `bad bits after slash: ${formatGo("%q", [bits])}`;
  return Number(bits) > address.bytes.length * 8 ? "prefix length out of range" : undefined;
}
