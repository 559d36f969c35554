import { parseProtocol, type Protocol } from "../../webhook/ports.ts";

/** Ports Istio treats as TCP when the name says nothing (`pkg/config/kube/conversion.go`: SMTP, DNS, MySQL, MongoDB). */
const WELL_KNOWN_PORTS: ReadonlySet<number> = new Set([25, 53, 3306, 27017]);

/** The `appProtocol` values Kubernetes itself defines, which Istio maps before looking at prefixes. */
const KUBERNETES_APP_PROTOCOLS: Readonly<Record<string, Protocol>> = {
  "kubernetes.io/h2c": "HTTP2",
  "kubernetes.io/ws": "HTTP",
  "kubernetes.io/wss": "HTTPS",
};

const GRPC_WEB = "grpc-web";

/**
 * `kube.ConvertProtocol`: the protocol Istio gives a Kubernetes Service port. UDP is UDP; otherwise
 * `appProtocol` (when set, even empty) or else the port name decides, by its prefix before the first
 * `-` (`grpc-web` is matched whole first, since it holds a dash); a name that says nothing is TCP on
 * the well-known ports and "Unsupported" (protocol sniffing) elsewhere.
 */
export function convertProtocol(port: number, portName: string, protocol: string, appProtocol: string | undefined): Protocol {
  if (protocol === "UDP") return "UDP";
  let name = portName;
  if (appProtocol !== undefined) {
    name = appProtocol;
    const known = KUBERNETES_APP_PROTOCOLS[name];
    if (known) return known;
  }
  if (name.slice(0, GRPC_WEB.length).toLowerCase() === GRPC_WEB) return "GRPC-Web";
  const dash = name.indexOf("-");
  const parsed = parseProtocol(dash >= 0 ? name.slice(0, dash) : name);
  return parsed === "Unsupported" && WELL_KNOWN_PORTS.has(port) ? "TCP" : parsed;
}
