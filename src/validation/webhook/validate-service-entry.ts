import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, type JsonObject } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import { formatGo } from "../analyzers/format-go.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { checkFqdn, checkPartialWildcard, checkWildcardDomain, isIpAddress } from "./dns-names.ts";
import { validateExportTo } from "./export-to.ts";
import { validateAlphaWorkloadSelector, validateLabels } from "./labels.ts";
import {
  checkIpSubnet, checkPort, checkPortName, checkProtocol, isHttpProtocol, isTcpProtocol, isTlsProtocol, parseProtocol,
} from "./ports.ts";
import { hasItems, listAt, numberAt, objectAt, stringAt, stringsAt } from "./read-spec.ts";
import { validateWorkloadEntry } from "./validate-workload-entry.ts";
import type { Issues } from "./webhook-issues.ts";

const SE = WEBHOOK_FAMILIES.serviceEntry;
// Pilot's default for PILOT_ENABLE_IP_AUTOALLOCATE; the label below opts a ServiceEntry out.
const AUTO_ALLOCATE_LABEL = "networking.istio.io/enable-autoallocate-ip";
const USE_WAYPOINT_LABEL = "istio.io/use-waypoint";

/** `ValidateServiceEntry`. */
export function validateServiceEntry(out: Issues, resource: Resource): void {
  const spec = resource.spec;
  if (!validateAlphaWorkloadSelector(out, spec.workloadSelector, ["spec", "workloadSelector"], "service entry")) return;
  const selector = objectAt(spec.workloadSelector);
  // An empty endpoint list decodes to none, so only listed endpoints conflict with a selector.
  if (selector && hasItems(spec.endpoints)) {
    out.error(SE, ["spec", "endpoints"], "only one of WorkloadSelector or Endpoints is allowed in Service Entry");
  }
  const resolution = stringAt(spec.resolution) || "NONE";
  const hosts = stringsAt(spec.hosts);
  validateHosts(out, hosts, resolution);
  const addresses = stringsAt(spec.addresses);
  for (const [i, address] of addresses) {
    const err = checkIpSubnet(address);
    if (err) out.error(WEBHOOK_FAMILIES.port, ["spec", "addresses", i], err);
  }
  if (addresses.some(([, a]) => a.includes("/")) && resolution !== "NONE" && resolution !== "STATIC") {
    out.error(SE, ["spec", "addresses"], "CIDR addresses are allowed only for NONE/STATIC resolution types");
  }
  const portNames = validatePorts(out, resource, resolution);
  validateResolution(out, spec, resolution, portNames, resource);
  if (resolution !== "NONE" && hosts.length > 1) {
    // Plain TCP cannot tell hosts apart (no Host header, no SNI), unless resolution NONE ignores hosts.
    const ports = listAt(spec.ports).filter(isObject);
    if (ports.some((p) => !isHttpProtocol(parseProtocol(stringAt(p.protocol))) && !isTlsProtocol(parseProtocol(stringAt(p.protocol))))) {
      out.error(SE, ["spec", "hosts"], "multiple hosts provided with non-HTTP, non-TLS ports");
    }
  }
  validateExportTo(out, resource.namespace, spec.exportTo, ["spec", "exportTo"], { isServiceEntry: true, isDestinationRuleWithSelector: false });
}

function validateHosts(out: Issues, hosts: readonly [number, string][], resolution: string): void {
  if (hosts.length === 0) out.error(WEBHOOK_FAMILIES.host, ["spec", "hosts"], "service entry must have at least one host");
  for (const [i, host] of hosts) {
    const at = ["spec", "hosts", i];
    if (host === "*") {
      out.error(WEBHOOK_FAMILIES.host, at, `invalid host ${host}`);
      continue;
    }
    const err = checkWildcardDomain(host);
    if (err) out.error(WEBHOOK_FAMILIES.host, at, err);
    const partial = resolution === "DYNAMIC_DNS" ? undefined : checkPartialWildcard(host);
    if (partial) out.warn(WEBHOOK_FAMILIES.host, at, partial);
  }
}

/** Ports: unique names and numbers, valid values; returns the port names endpoints may use. */
function validatePorts(out: Issues, resource: Resource, resolution: string): Set<string> {
  const spec = resource.spec;
  const hasAddresses = hasItems(spec.addresses);
  const autoAllocate = resolution !== "NONE" && resource.labels[AUTO_ALLOCATE_LABEL] !== "false" && !hasAddresses;
  const names = new Set<string>();
  const numbers = new Set<number>();
  for (const [i, value] of listAt(spec.ports).entries()) {
    const at = ["spec", "ports", i];
    if (!isObject(value)) {
      out.error(WEBHOOK_FAMILIES.port, at, "service entry port may not be null");
      continue;
    }
    const name = stringAt(value.name);
    const number = numberAt(value.number);
    const protocol = stringAt(value.protocol);
    if (names.has(name)) out.error(WEBHOOK_FAMILIES.port, [...at, "name"], formatGo("service entry port name %q already defined", [name]));
    names.add(name);
    if (numbers.has(number)) out.error(WEBHOOK_FAMILIES.port, [...at, "number"], `service entry port ${number} already defined`);
    numbers.add(number);
    const target = numberAt(value.targetPort);
    const targetErr = target !== 0 ? checkPort(target) : undefined;
    if (targetErr) out.error(WEBHOOK_FAMILIES.port, [...at, "targetPort"], targetErr);
    if (!hasAddresses && !autoAllocate && (protocol === "" || protocol === "TCP")) {
      out.warn(SE, at, "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled");
    }
    const nameErr = checkPortName(name);
    if (nameErr) out.error(WEBHOOK_FAMILIES.port, [...at, "name"], nameErr);
    const protocolErr = checkProtocol(protocol);
    if (protocolErr) out.error(WEBHOOK_FAMILIES.port, [...at, "protocol"], protocolErr);
    const numberErr = checkPort(number);
    if (numberErr) out.error(WEBHOOK_FAMILIES.port, [...at, "number"], numberErr);
  }
  return names;
}

function validateResolution(out: Issues, spec: JsonObject, resolution: string, portNames: ReadonlySet<string>, resource: Resource): void {
  const endpoints = listAt(spec.endpoints);
  const selectorAt = ["spec", "workloadSelector"];
  switch (resolution) {
    case "NONE":
      if (endpoints.length > 0) out.error(SE, ["spec", "endpoints"], "no endpoints should be provided for resolution type none");
      if (objectAt(spec.workloadSelector)) out.warn(SE, selectorAt, "workloadSelector should not be set when resolution mode is NONE");
      return;
    case "STATIC":
      for (const [i, endpoint] of endpoints.entries()) {
        if (isObject(endpoint)) {
          validateWorkloadEntry(out, endpoint, ["spec", "endpoints", i], { servicePorts: portNames, allowFqdn: false });
        } else out.error(SE, ["spec", "endpoints", i], "endpoint cannot be nil");
      }
      return;
    case "DNS":
    case "DNS_ROUND_ROBIN":
      validateDnsResolution(out, spec, resolution, portNames);
      if (objectAt(spec.workloadSelector)) out.warn(SE, selectorAt, `workloadSelector should not be set when resolution mode is ${resolution}`);
      return;
    case "DYNAMIC_DNS":
      validateDynamicDns(out, spec, resource);
      return;
    default:
      out.error(SE, ["spec", "resolution"], `unsupported resolution type ${resolution}`);
  }
}

function validateDnsResolution(out: Issues, spec: JsonObject, resolution: string, portNames: ReadonlySet<string>): void {
  const endpoints = listAt(spec.endpoints);
  if (endpoints.length === 0) {
    // Without endpoints Envoy resolves the hosts themselves, so they must be names DNS can answer.
    for (const [i, host] of stringsAt(spec.hosts)) {
      const err = checkFqdn(host);
      if (err) {
        out.error(SE, ["spec", "hosts", i],
          `hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode ${resolution}, ${err}`);
      }
    }
  }
  if (resolution === "DNS_ROUND_ROBIN" && endpoints.length > 1) {
    out.error(SE, ["spec", "endpoints"], `there must only be 0 or 1 endpoint for resolution mode ${resolution}`);
  }
  for (const [i, endpoint] of endpoints.entries()) {
    const at: FieldPath = ["spec", "endpoints", i];
    if (!isObject(endpoint)) {
      out.error(SE, at, "endpoint cannot be nil");
      continue;
    }
    const address = stringAt(endpoint.address);
    if (!isIpAddress(address) && checkFqdn(address)) {
      out.error(WEBHOOK_FAMILIES.workloadEntry, [...at, "address"], formatGo("endpoint address %q is not a valid FQDN or an IP address", [address]));
    }
    validateLabels(out, endpoint.labels, [...at, "labels"]);
    for (const [name, value] of Object.entries(objectAt(endpoint.ports) ?? {})) {
      const port = numberAt(value);
      if (!portNames.has(name)) out.error(WEBHOOK_FAMILIES.workloadEntry, [...at, "ports", name], `endpoint port ${port} is not defined by the service entry`);
      const nameErr = checkPortName(name);
      if (nameErr) out.error(WEBHOOK_FAMILIES.port, [...at, "ports", name], nameErr);
      const portErr = checkPort(port);
      if (portErr) out.error(WEBHOOK_FAMILIES.port, [...at, "ports", name], portErr);
    }
  }
  const ports = listAt(spec.ports).filter(isObject);
  if (hasItems(spec.addresses) && stringsAt(spec.hosts).length > 1 && ports.some((p) => isTcpProtocol(parseProtocol(stringAt(p.protocol))))) {
    out.warn(SE, ["spec", "hosts"], "service entry can not have more than one host specified simultaneously with address and tcp port");
  }
}

const DYNAMIC_DNS_PROTOCOLS = new Set(["HTTP", "TLS", "GRPC", "HTTP2"]);

/**
 * DYNAMIC_DNS resolves each request's host on the fly, so hosts must be wildcards and there is nothing
 * to pin (addresses, endpoints). The texts of the address, endpoint and location checks are not quoted
 * in the reference; they are written here in Istio's style.
 */
function validateDynamicDns(out: Issues, spec: JsonObject, resource: Resource): void {
  const resolution = "DYNAMIC_DNS";
  for (const [i, host] of stringsAt(spec.hosts)) {
    if (!host.startsWith("*")) out.error(SE, ["spec", "hosts", i], `host must be wildcarded for resolution mode ${resolution}`);
  }
  if (hasItems(spec.addresses)) out.error(SE, ["spec", "addresses"], `addresses are not supported for resolution mode ${resolution}`);
  if (hasItems(spec.endpoints)) out.error(SE, ["spec", "endpoints"], `endpoints are not supported for resolution mode ${resolution}`);
  for (const [i, port] of listAt(spec.ports).entries()) {
    if (!isObject(port) || DYNAMIC_DNS_PROTOCOLS.has(parseProtocol(stringAt(port.protocol)))) continue;
    out.error(SE, ["spec", "ports", i, "protocol"], `only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type ${resolution}`);
  }
  const location = stringAt(spec.location) || "MESH_EXTERNAL";
  if (location === "MESH_INTERNAL" && resource.labels[USE_WAYPOINT_LABEL] !== undefined) {
    out.error(SE, ["spec", "location"], `location MESH_INTERNAL is not supported with the ${USE_WAYPOINT_LABEL} label for resolution mode ${resolution}`);
  }
}
