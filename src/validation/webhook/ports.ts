import { parseIpAddress } from "../../mesh/parse-ip-address.ts";
import { parseIpPrefix } from "../../mesh/parse-ip-prefix.ts";
import { isDns1123Label } from "./dns-names.ts";

/** Istio's port, protocol and address rules. Each check returns Istio's error text or undefined. */

/** `agent.ValidatePort`. */
export function checkPort(port: number): string | undefined {
  return port >= 1 && port <= 65535 ? undefined : `port number ${port} must be in the range 1..65535`;
}

export type Protocol =
  | "TCP" | "UDP" | "GRPC" | "GRPC-Web" | "HTTP" | "HTTP_PROXY" | "HTTP2" | "HTTPS" | "TLS" | "Mongo" | "Redis" | "MySQL" | "Unsupported";

const PROTOCOLS: Readonly<Record<string, Protocol>> = {
  tcp: "TCP", udp: "UDP", grpc: "GRPC", "grpc-web": "GRPC-Web", http: "HTTP", http_proxy: "HTTP_PROXY",
  http2: "HTTP2", https: "HTTPS", tls: "TLS", mongo: "Mongo", redis: "Redis", mysql: "MySQL",
};

/** `protocol.Parse`: case-insensitive; anything else (including "") is Unsupported. */
export function parseProtocol(name: string): Protocol {
  return PROTOCOLS[name.toLowerCase()] ?? "Unsupported";
}

export function isHttpProtocol(p: Protocol): boolean {
  return p === "HTTP" || p === "HTTP2" || p === "HTTP_PROXY" || p === "GRPC" || p === "GRPC-Web";
}

export function isTlsProtocol(p: Protocol): boolean {
  return p === "HTTPS" || p === "TLS";
}

export function isTcpProtocol(p: Protocol): boolean {
  return p === "TCP" || p === "HTTPS" || p === "TLS" || p === "Mongo" || p === "Redis" || p === "MySQL";
}

/** `ValidateProtocol`: empty means protocol sniffing and is fine. */
export function checkProtocol(name: string): string | undefined {
  return name !== "" && parseProtocol(name) === "Unsupported" ? `unsupported protocol: ${name}` : undefined;
}

/** `ValidatePortName`. */
export function checkPortName(name: string): string | undefined {
  return isDns1123Label(name) ? undefined : `invalid port name: ${name}`;
}

/** `agent.ValidateIPAddress` (a zone is allowed here). */
export function checkIpAddress(address: string): string | undefined {
  return parseIpAddress(address) ? undefined : `${address} is not a valid IP`;
}

/** `agent.ValidateIPSubnet`: an IP, or a CIDR block when the text has one `/`. */
export function checkIpSubnet(subnet: string): string | undefined {
  if (subnet.split("/").length === 2) return parseIpPrefix(subnet) ? undefined : `${subnet} is not a valid CIDR block`;
  return checkIpAddress(subnet);
}

export const UNIX_PREFIX = "unix://";

/** `ValidateUnixAddress`: an absolute file path, or an abstract socket starting with `@`. */
export function checkUnixAddress(address: string): string | undefined {
  if (address === "") return "unix address must not be empty";
  if (address.startsWith("@")) return undefined;
  return address.startsWith("/") && !address.endsWith("/") ? undefined : `${address} is not an absolute path to a file`;
}
