import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, type JsonObject, type JsonValue } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { validateDestination } from "./destinations.ts";
import { checkFqdn, checkNamespaceSlashHostname } from "./dns-names.ts";
import { validateAlphaWorkloadSelector } from "./labels.ts";
import {
  checkIpAddress, checkPort, checkPortName, checkProtocol, checkUnixAddress, isHttpProtocol, isTlsProtocol, parseProtocol, UNIX_PREFIX,
} from "./ports.ts";
import { hasItems, isSet, listAt, numberAt, objectAt, stringAt, stringsAt } from "./read-spec.ts";
import { validateServerTls } from "./validate-server-tls.ts";
import { validateConnectionPool } from "./validate-traffic-policy.ts";
import type { Issues } from "./webhook-issues.ts";

const FAMILY = WEBHOOK_FAMILIES.sidecar;

/** `ValidateSidecar`. */
export function validateSidecar(out: Issues, resource: Resource): void {
  const spec = resource.spec;
  if (!validateAlphaWorkloadSelector(out, spec.workloadSelector, ["spec", "workloadSelector"], "sidecar")) return;
  if (!hasItems(spec.egress) && !hasItems(spec.ingress) && !isSet(spec.outboundTrafficPolicy) && !isSet(spec.inboundConnectionPool)) {
    out.error(FAMILY, ["spec"], "sidecar: empty configuration provided");
    return;
  }
  validateIngress(out, spec.ingress);
  validateConnectionPool(out, spec.inboundConnectionPool, ["spec", "inboundConnectionPool"]);
  validateEgress(out, spec.egress, resource.namespace);
  validateOutboundTrafficPolicy(out, spec.outboundTrafficPolicy, ["spec", "outboundTrafficPolicy"]);
}

function validatePortAndBind(out: Issues, port: JsonObject, bind: string, at: FieldPath): void {
  const name = stringAt(port.name);
  // The port name is optional on Sidecar listeners.
  const nameErr = name !== "" ? checkPortName(name) : undefined;
  if (nameErr) out.error(WEBHOOK_FAMILIES.port, [...at, "port", "name"], nameErr);
  const protocolErr = checkProtocol(stringAt(port.protocol));
  if (protocolErr) out.error(WEBHOOK_FAMILIES.port, [...at, "port", "protocol"], protocolErr);
  const numberErr = checkPort(numberAt(port.number));
  if (numberErr) out.error(WEBHOOK_FAMILIES.port, [...at, "port", "number"], numberErr);
  const bindErr = bind !== "" ? checkIpAddress(bind) : undefined;
  if (bindErr) out.error(WEBHOOK_FAMILIES.port, [...at, "bind"], bindErr);
}

const LOCAL_HOSTS = new Set(["", "127.0.0.1", "0.0.0.0", "::1", "::"]);

function validateIngress(out: Issues, value: JsonValue | undefined): void {
  const ports = new Set<number>();
  for (const [i, item] of listAt(value).entries()) {
    const at = ["spec", "ingress", i];
    if (!isObject(item)) {
      out.error(FAMILY, at, "sidecar: ingress may not be null");
      continue;
    }
    const port = objectAt(item.port);
    if (!port) {
      out.error(FAMILY, at, "sidecar: port is required for ingress listeners");
      continue;
    }
    if (numberAt(port.targetPort) > 0) out.error(WEBHOOK_FAMILIES.port, [...at, "port", "targetPort"], "targetPort has no impact on Sidecars");
    validatePortAndBind(out, port, stringAt(item.bind), at);
    const number = numberAt(port.number);
    if (ports.has(number)) out.error(WEBHOOK_FAMILIES.port, [...at, "port", "number"], "sidecar: ports on IP bound listeners must be unique");
    ports.add(number);
    validateDefaultEndpoint(out, stringAt(item.defaultEndpoint), [...at, "defaultEndpoint"]);
    const tls = objectAt(item.tls);
    if (tls) validateIngressTls(out, tls, port, [...at, "tls"]);
    validateConnectionPool(out, item.connectionPool, [...at, "connectionPool"]);
    if (objectAt(objectAt(item.connectionPool)?.http) && !isHttpProtocol(parseProtocol(stringAt(port.protocol)))) {
      out.warn(FAMILY, [...at, "connectionPool", "http"],
        `sidecar: HTTP connection pool settings are configured for port ${number} (${JSON.stringify(stringAt(port.name))}) but its protocol is not HTTP (${stringAt(port.protocol)}); only TCP settings will apply`);
    }
  }
}

/** `defaultEndpoint` is a unix socket or a local `host:port` (Go's `net.SplitHostPort`). */
function validateDefaultEndpoint(out: Issues, endpoint: string, at: FieldPath): void {
  if (endpoint === "") return;
  if (endpoint.startsWith(UNIX_PREFIX)) {
    const err = checkUnixAddress(endpoint.slice(UNIX_PREFIX.length));
    if (err) out.error(FAMILY, at, err);
    return;
  }
  const split = splitHostPort(endpoint);
  if ("error" in split) out.error(FAMILY, at, split.error);
  const host = "error" in split ? "" : split.host;
  const portText = "error" in split ? "" : split.port;
  if (!LOCAL_HOSTS.has(host)) {
    out.error(FAMILY, at, "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset");
  }
  if (!/^[+-]?\d+$/.test(portText)) {
    out.error(FAMILY, at, `sidecar: defaultEndpoint port (${portText}) is not a number: strconv.Atoi: parsing ${JSON.stringify(portText)}: invalid syntax`);
  } else {
    const err = checkPort(Number(portText));
    if (err) out.error(WEBHOOK_FAMILIES.port, at, err);
  }
}

function splitHostPort(text: string): { host: string; port: string } | { error: string } {
  const m = /^\[([^\]]*)\]:([^:]*)$/.exec(text) ?? /^([^:[\]]*):([^:]*)$/.exec(text);
  if (m) return { host: m[1] ?? "", port: m[2] ?? "" };
  const reason = text.includes(":") ? "too many colons in address" : "missing port in address";
  return { error: `address ${text}: ${reason}` };
}

function validateIngressTls(out: Issues, tls: JsonObject, port: JsonObject, at: FieldPath): void {
  const family = WEBHOOK_FAMILIES.tls;
  if (hasItems(tls.subjectAltNames)) out.error(family, [...at, "subjectAltNames"], "sidecar: subjectAltNames is not supported in ingress tls");
  if (tls.httpsRedirect === true) out.error(family, [...at, "httpsRedirect"], "sidecar: httpsRedirect is not supported");
  if (stringAt(tls.credentialName) !== "") out.error(family, [...at, "credentialName"], "sidecar: credentialName is not currently supported");
  if (hasItems(tls.credentialNames)) out.error(family, [...at, "credentialNames"], "sidecar: credentialNames is not currently supported");
  if (hasItems(tls.tlsCertificates)) out.error(family, [...at, "tlsCertificates"], "sidecar: tls_certificates is not currently supported");
  const mode = stringAt(tls.mode) || "PASSTHROUGH";
  if (mode === "ISTIO_MUTUAL" || mode === "AUTO_PASSTHROUGH") {
    out.error(family, [...at, "mode"], `configuration is invalid: cannot set mode to ${mode} in sidecar ingress tls`);
  }
  if (!isTlsProtocol(parseProtocol(stringAt(port.protocol)))) out.error(family, at, "server cannot have TLS settings for non HTTPS/TLS ports");
  validateServerTls(out, tls, at);
}

function validateEgress(out: Issues, value: JsonValue | undefined, namespace: string): void {
  const listeners = listAt(value);
  const ports = new Set<number>();
  const sockets = new Set<string>();
  let catchAllFound = false;
  for (const [i, item] of listeners.entries()) {
    const at = ["spec", "egress", i];
    if (!isObject(item)) {
      out.error(FAMILY, at, "egress listener may not be null");
      continue;
    }
    const port = objectAt(item.port);
    if (!port) {
      // One listener may omit the port (it catches everything else), and it must come last.
      if (catchAllFound) {
        out.error(FAMILY, at, "sidecar: egress can have only one listener with empty port");
        continue;
      }
      if (i === listeners.length - 1) catchAllFound = true;
      else out.error(FAMILY, at, "sidecar: the egress listener with empty port should be the last listener in the list");
    } else {
      if (numberAt(port.targetPort) > 0) out.error(WEBHOOK_FAMILIES.port, [...at, "port", "targetPort"], "targetPort has no impact on Sidecars");
      const bind = stringAt(item.bind);
      validateEgressPort(out, port, bind, stringAt(item.captureMode) || "DEFAULT", at);
      if (numberAt(port.number) === 0) {
        if (sockets.has(bind)) out.error(FAMILY, [...at, "bind"], "sidecar: unix domain socket values for listeners must be unique");
        sockets.add(bind);
      } else {
        if (ports.has(numberAt(port.number))) out.error(WEBHOOK_FAMILIES.port, [...at, "port", "number"], "sidecar: ports on IP bound listeners must be unique");
        ports.add(numberAt(port.number));
      }
    }
    validateEgressHosts(out, item, at, namespace);
  }
}

function validateEgressPort(out: Issues, port: JsonObject, bind: string, captureMode: string, at: FieldPath): void {
  if (numberAt(port.number) !== 0) {
    validatePortAndBind(out, port, bind, at);
    return;
  }
  // Port 0 means a unix domain socket listener.
  const name = stringAt(port.name);
  const nameErr = name !== "" ? checkPortName(name) : undefined;
  if (nameErr) out.error(WEBHOOK_FAMILIES.port, [...at, "port", "name"], nameErr);
  const protocolErr = checkProtocol(stringAt(port.protocol));
  if (protocolErr) out.error(WEBHOOK_FAMILIES.port, [...at, "port", "protocol"], protocolErr);
  if (!bind.startsWith(UNIX_PREFIX)) {
    out.error(WEBHOOK_FAMILIES.port, [...at, "bind"], "sidecar: ports with 0 value must have a unix domain socket bind address");
  } else {
    const err = checkUnixAddress(bind.slice(UNIX_PREFIX.length));
    if (err) out.error(WEBHOOK_FAMILIES.port, [...at, "bind"], err);
  }
  if (captureMode !== "DEFAULT" && captureMode !== "NONE") {
    out.error(FAMILY, [...at, "captureMode"], "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners");
  }
}

function validateEgressHosts(out: Issues, listener: JsonObject, at: FieldPath, namespace: string): void {
  const hosts = stringsAt(listener.hosts);
  if (hosts.length === 0) {
    out.error(FAMILY, [...at, "hosts"], "sidecar: egress listener must contain at least one host");
    return;
  }
  const byNamespace = new Map<string, Set<string>>();
  for (const [k, hostname] of hosts) {
    const hAt = [...at, "hosts", k];
    const slash = hostname.indexOf("/");
    if (slash >= 0) {
      const ns = hostname.slice(0, slash) === "." ? namespace : hostname.slice(0, slash);
      const svc = hostname.slice(slash + 1);
      const seen = byNamespace.get(ns) ?? new Set<string>();
      byNamespace.set(ns, seen);
      const duplicate = svc === "*" ? seen.size > 0 : seen.has(svc) || seen.has("*");
      if (duplicate) out.warn(WEBHOOK_FAMILIES.host, hAt, `duplicated egress host: ${hostname}`);
      seen.add(svc);
    }
    for (const err of checkNamespaceSlashHostname(hostname, false, false)) out.error(WEBHOOK_FAMILIES.host, hAt, err);
  }
  if (byNamespace.get("*")?.has("*") && byNamespace.size !== 1) {
    out.warn(WEBHOOK_FAMILIES.host, [...at, "hosts"], "`*/*` host select all resources, no other hosts can be added");
  }
}

function validateOutboundTrafficPolicy(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const policy = objectAt(value);
  if (!policy) return;
  const mode = stringAt(policy.mode) || "REGISTRY_ONLY";
  if (mode === "ALLOW_ANY_DYNAMIC_DNS") {
    out.error(FAMILY, [...path, "mode"], "sidecar: ALLOW_ANY_DYNAMIC_DNS mode is only supported in MeshConfig, not in Sidecar resource");
  }
  const proxy = objectAt(policy.egressProxy);
  if (!proxy) return;
  const at = [...path, "egressProxy"];
  if (mode !== "ALLOW_ANY") {
    out.error(FAMILY, at, "sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode");
    return;
  }
  const hostErr = checkFqdn(stringAt(proxy.host));
  if (hostErr) out.error(WEBHOOK_FAMILIES.host, [...at, "host"], hostErr);
  if (!isSet(proxy.port)) {
    out.error(FAMILY, at, "sidecar: egress_proxy port must be non-nil");
    return;
  }
  validateDestination(out, proxy, at);
}
