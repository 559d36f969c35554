import type { ConfigSet } from "../../../mesh/config-set.ts";
import type { FieldPath } from "../../../mesh/field-path.ts";
import { isObject, readArray, readString, readStringMap } from "../../../mesh/json.ts";
import type { MeshConfig } from "../../../mesh/mesh-config.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { dedupeIstioMessages, type IstioMessage, istioLineOf } from "../virtualservice/istio-messages.ts";

const RULE = "serviceentry.Analyzer";

/**
 * `serviceentry.Analyzer` (`ProtocolAddressesAnalyzer`, analyzers/serviceentry/protocoladdresses.go): a
 * ServiceEntry without `addresses` (nor addresses allocated in its status) has a TCP or protocol-less
 * port, which the sidecar cannot tell apart from other TCP traffic on that port (IST0134, one per port).
 * Not reported when the mesh captures DNS and auto-allocates addresses.
 */
export const protocolAddressesAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    if (autoAllocatesAddresses(set.meshConfig)) return [];
    const messages = set.ofKind("ServiceEntry.networking.istio.io").flatMap(checkServiceEntry);
    return dedupeIstioMessages(messages);
  },
};

function checkServiceEntry(se: Resource): IstioMessage[] {
  if (readArray(se.spec.addresses).length > 0 || hasAllocatedAddresses(se)) return [];
  const out: IstioMessage[] = [];
  for (const [i, raw] of readArray(se.spec.ports).entries()) {
    const port = isObject(raw) ? raw : {};
    const protocol = readString(port.protocol) ?? "";
    if (protocol !== "" && protocol.toUpperCase() !== "TCP") continue;
    const portPath: FieldPath = ["spec", "ports", i];
    const finding = istioFinding("IST0134", RULE, se, protocol === "" ? portPath : [...portPath, "protocol"]);
    // Istio prints each on the port's `name` line, so ports without a name share one message.
    out.push({ finding, istioLine: istioLineOf(se, [...portPath, "name"]) });
  }
  return out;
}

/** `status.addresses` written by Istio's IP auto-allocation controller. */
function hasAllocatedAddresses(se: Resource): boolean {
  const status = se.body.status;
  return isObject(status) && readArray(status.addresses).length > 0;
}

/** `ISTIO_META_DNS_CAPTURE` and either auto-allocation flag set to "true" in `defaultConfig.proxyMetadata`. */
function autoAllocatesAddresses(mesh: MeshConfig): boolean {
  const defaultConfig = mesh.raw.defaultConfig;
  const metadata = readStringMap(isObject(defaultConfig) ? defaultConfig.proxyMetadata : undefined);
  if (metadata.ISTIO_META_DNS_CAPTURE !== "true") return false;
  return metadata.ISTIO_META_DNS_AUTO_ALLOCATE === "true" || metadata.PILOT_ENABLE_IP_AUTOALLOCATE === "true";
}
