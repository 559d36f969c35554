import { isObject, type JsonObject, readArray, readString, readStringMap } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";

/** One entry of an Istio Gateway's `spec.servers`, read the way the Go structs default absent fields. */
export interface GatewayServer {
  /** Index in `spec.servers`, for field paths. */
  readonly index: number;
  /** `port.number`, 0 when absent (`GetPort().GetNumber()`). */
  readonly port: number;
  readonly hasPort: boolean;
  readonly hosts: readonly string[];
  readonly bind: string;
  /** `tls`, when the server has one. */
  readonly tls: JsonObject | undefined;
}

/** `spec.selector` of an Istio Gateway (empty when absent). */
export function readGatewaySelector(gateway: Resource): Record<string, string> {
  return readStringMap(gateway.spec.selector);
}

/** `spec.servers` of an Istio Gateway; entries that are not objects count as empty servers, as in Go. */
export function readGatewayServers(gateway: Resource): GatewayServer[] {
  return readArray(gateway.spec.servers).map((raw, index) => {
    const server = isObject(raw) ? raw : {};
    const port = isObject(server.port) ? server.port : undefined;
    return {
      index,
      port: typeof port?.number === "number" ? port.number : 0,
      hasPort: port !== undefined,
      hosts: readArray(server.hosts).filter((h): h is string => typeof h === "string"),
      bind: readString(server.bind) ?? "",
      tls: isObject(server.tls) ? server.tls : undefined,
    };
  });
}
