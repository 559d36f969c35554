import type { FieldPath } from "../../mesh/field-path.ts";
import type { JsonObject } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import { formatGo } from "../analyzers/format-go.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { checkFqdn, isIpAddress } from "./dns-names.ts";
import { validateLabels } from "./labels.ts";
import { checkPort, checkPortName, checkUnixAddress, UNIX_PREFIX } from "./ports.ts";
import { numberAt, objectAt, stringAt } from "./read-spec.ts";
import type { Issues } from "./webhook-issues.ts";

export interface WorkloadEntryContext {
  /** Port names of the ServiceEntry an endpoint belongs to; undefined for a standalone WorkloadEntry. */
  readonly servicePorts?: ReadonlySet<string>;
  /** A hostname is fine unless the entry is a STATIC ServiceEntry endpoint. */
  readonly allowFqdn: boolean;
}

/** `ValidateWorkloadEntry`. */
export function validateWorkloadEntryResource(out: Issues, resource: Resource): void {
  validateWorkloadEntry(out, resource.spec, ["spec"], { allowFqdn: true });
}

/** `validateWorkloadEntry`: a WorkloadEntry spec, or a ServiceEntry endpoint, at `path`. */
export function validateWorkloadEntry(out: Issues, entry: JsonObject, path: FieldPath, context: WorkloadEntryContext): void {
  const family = WEBHOOK_FAMILIES.workloadEntry;
  const address = stringAt(entry.address);
  const network = stringAt(entry.network);
  if (address === "") {
    if (network === "") {
      out.error(family, [...path, "address"], "address is required");
      return;
    }
    out.warn(family, [...path, "address"], formatGo("address is unset with network %q", [network]));
  }
  const ports = Object.entries(objectAt(entry.ports) ?? {});
  const unix = address.startsWith(UNIX_PREFIX);
  if (unix) {
    const err = checkUnixAddress(address.slice(UNIX_PREFIX.length));
    if (err) out.error(family, [...path, "address"], err);
    if (ports.length > 0) out.error(family, [...path, "ports"], `unix endpoint ${address} must not include ports`);
  } else if (address !== "" && !isIpAddress(address)) {
    if (!context.allowFqdn) out.error(family, [...path, "address"], formatGo("endpoint address %q is not a valid IP address", [address]));
    else if (checkFqdn(address)) out.error(family, [...path, "address"], formatGo("endpoint address %q is not a valid FQDN or an IP address", [address]));
  }
  for (const [name, value] of ports) {
    const port = numberAt(value);
    const at = [...path, "ports", name];
    if (context.servicePorts && !context.servicePorts.has(name)) {
      out.error(family, at, `endpoint port ${port} is not defined by the service entry`);
    }
    const nameErr = checkPortName(name);
    if (nameErr) out.error(WEBHOOK_FAMILIES.port, at, nameErr);
    const portErr = checkPort(port);
    if (portErr) out.error(WEBHOOK_FAMILIES.port, at, portErr);
  }
  validateLabels(out, entry.labels, [...path, "labels"]);
  if (unix && context.servicePorts && context.servicePorts.size !== 1) {
    out.error(family, [...path, "address"], "exactly 1 service port required for unix endpoints");
  }
}
