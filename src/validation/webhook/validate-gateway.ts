import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, type JsonObject } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import { formatGo } from "../analyzers/format-go.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { checkNamespaceSlashHostname, isDns1123Label } from "./dns-names.ts";
import {
  checkIpAddress, checkPort, checkUnixAddress, isHttpProtocol, isTlsProtocol, parseProtocol, UNIX_PREFIX,
} from "./ports.ts";
import { hasItems, listAt, numberAt, objectAt, stringAt, stringsAt } from "./read-spec.ts";
import { validateServerTls } from "./validate-server-tls.ts";
import type { Issues } from "./webhook-issues.ts";

// Set by Istio on Gateways it generates from Kubernetes Gateway API resources.
const GATEWAY_SEMANTICS = "internal.istio.io/gateway-semantics";

/** `ValidateGateway` (networking.istio.io). */
export function validateGateway(out: Issues, resource: Resource): void {
  const gatewaySemantics = resource.annotations[GATEWAY_SEMANTICS] === "gateway";
  // The name becomes part of Envoy resource names, so no dots.
  if (!isDns1123Label(resource.name) && !gatewaySemantics) {
    out.error(WEBHOOK_FAMILIES.gatewayServer, ["metadata", "name"], formatGo("invalid gateway name: %q", [resource.name]));
  }
  const servers = listAt(resource.spec.servers);
  if (servers.length === 0) out.error(WEBHOOK_FAMILIES.gatewayServer, ["spec", "servers"], "gateway must have at least one server");
  for (const [i, server] of servers.entries()) {
    if (isObject(server)) validateServer(out, server, ["spec", "servers", i], gatewaySemantics);
    else out.error(WEBHOOK_FAMILIES.gatewayServer, ["spec", "servers", i], "cannot have nil server");
  }
  const portNames = new Set<string>();
  for (const [i, server] of servers.entries()) {
    if (!isObject(server)) continue;
    const port = objectAt(server.port);
    if (!port) continue;
    const name = stringAt(port.name);
    if (portNames.has(name)) {
      out.error(WEBHOOK_FAMILIES.port, ["spec", "servers", i, "port", "name"], `port names in servers must be unique: duplicate name ${name}`);
    }
    portNames.add(name);
    if (!isHttpProtocol(parseProtocol(stringAt(port.protocol))) && objectAt(server.tls)?.httpsRedirect === true) {
      out.warn(WEBHOOK_FAMILIES.gatewayServer, ["spec", "servers", i, "tls", "httpsRedirect"], "tls.httpsRedirect should only be used with http servers");
    }
  }
}

/** Go's `%v` of a Port message, for the texts that print it. */
function describePort(port: JsonObject): string {
  const parts: string[] = [];
  if (numberAt(port.number) !== 0) parts.push(`number:${numberAt(port.number)}`);
  if (stringAt(port.protocol) !== "") parts.push(`protocol:${JSON.stringify(stringAt(port.protocol))}`);
  if (stringAt(port.name) !== "") parts.push(`name:${JSON.stringify(stringAt(port.name))}`);
  return parts.join(" ");
}

/** `validateServer`. */
function validateServer(out: Issues, server: JsonObject, path: FieldPath, gatewaySemantics: boolean): void {
  const family = WEBHOOK_FAMILIES.gatewayServer;
  if (!hasItems(server.hosts)) out.error(family, [...path, "hosts"], "server config must contain at least one host");
  for (const [i, host] of stringsAt(server.hosts)) {
    for (const err of checkNamespaceSlashHostname(host, true, gatewaySemantics)) out.error(WEBHOOK_FAMILIES.host, [...path, "hosts", i], err);
  }
  const port = objectAt(server.port);
  const bind = stringAt(server.bind);
  const portOk = validateServerPort(out, port, bind, [...path, "port"]);
  validateServerBind(out, port, bind, path);
  const tls = objectAt(server.tls);
  if (tls) validateServerTls(out, tls, [...path, "tls"]);
  if (!portOk || !port) return;
  const protocol = parseProtocol(stringAt(port.protocol));
  if (isTlsProtocol(protocol) && !tls) {
    out.error(family, [...path, "port", "protocol"], "server must have TLS settings for HTTPS/TLS protocols");
  } else if (!isTlsProtocol(protocol) && tls) {
    if (!isHttpProtocol(protocol)) {
      out.error(family, [...path, "tls"], "server cannot have TLS settings for non HTTPS/TLS ports");
    } else {
      // On a plain HTTP port only a pass-through `httpsRedirect` makes sense.
      const mode = stringAt(tls.mode) || "PASSTHROUGH";
      const passThrough = mode === "PASSTHROUGH" || mode === "AUTO_PASSTHROUGH";
      if (!passThrough || ["caCertificates", "privateKey", "serverCertificate"].some((f) => stringAt(tls[f]) !== "")) {
        out.error(family, [...path, "tls"], "server cannot have TLS settings for plain text HTTP ports");
      }
    }
  }
}

/** `validateServerPort`; returns whether the port raised no error (Istio then checks protocol versus TLS). */
function validateServerPort(out: Issues, port: JsonObject | undefined, bind: string, path: FieldPath): boolean {
  if (!port) {
    out.error(WEBHOOK_FAMILIES.port, path, "port is required");
    return false;
  }
  let ok = true;
  const fail = (field: string | undefined, message: string) => {
    out.error(WEBHOOK_FAMILIES.port, field ? [...path, field] : path, message);
    ok = false;
  };
  const protocol = stringAt(port.protocol);
  if (parseProtocol(protocol) === "Unsupported") {
    fail("protocol", formatGo("invalid protocol %q, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP", [protocol]));
  }
  const number = numberAt(port.number);
  if (number > 0 || !bind.startsWith(UNIX_PREFIX)) {
    const err = checkPort(number);
    if (err) fail("number", err);
  }
  if (numberAt(port.targetPort) > 0) fail("targetPort", "targetPort has no impact on Gateways");
  if (stringAt(port.name) === "") fail(undefined, `port name must be set: ${describePort(port)}`);
  return ok;
}

function validateServerBind(out: Issues, port: JsonObject | undefined, bind: string, path: FieldPath): void {
  if (bind.startsWith(UNIX_PREFIX)) {
    const err = checkUnixAddress(bind.slice(UNIX_PREFIX.length));
    if (err) out.error(WEBHOOK_FAMILIES.port, [...path, "bind"], err);
    if (port && numberAt(port.number) !== 0) {
      out.error(WEBHOOK_FAMILIES.port, [...path, "port", "number"], `port number must be 0 for unix domain socket: ${describePort(port)}`);
    }
  } else if (bind !== "") {
    const err = checkIpAddress(bind);
    if (err) out.error(WEBHOOK_FAMILIES.port, [...path, "bind"], err);
  }
}

