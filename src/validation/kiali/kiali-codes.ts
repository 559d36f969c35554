import type { FieldPath } from "../../mesh/field-path.ts";
import type { Resource } from "../../mesh/resource.ts";
import { type Finding, findingAt, type Severity } from "../../review/finding.ts";

interface KialiCode {
  readonly kiali: string;
  readonly severity: Severity;
  readonly message: string;
}

/**
 * meshgate's stable codes for the Kiali checks it mirrors, with Kiali's severity (its `unknown` shows as
 * `info`) and message text from `checkDescriptors` in kiali/kiali `models/istio_validation.go` (see
 * `../shared/reference/istio/kiali.md`). The MG number follows the KIA family: KIA00xx–05xx keep their
 * digits (KIA0204 → MG4204); Sidecar KIA10xx → MG46xx, VirtualService KIA11xx → MG47xx, ServiceEntry
 * KIA12xx → MG48xx, workload KIA13xx → MG488x, Gateway API routes KIA14xx → MG49xx, K8s Gateway
 * KIA15xx → MG495x. Codes are never reused.
 *
 * Kiali checks that `istioctl analyze` already makes with the same meaning are not here; their IST
 * code wins: KIA0002/KIA0003 for Sidecar (IST0111/IST0110), KIA0004 for Sidecar and
 * AuthorizationPolicy (IST0101/IST0127), KIA0202 (IST0174), KIA0203 (IST0173), KIA0302 (IST0101),
 * KIA1212 (IST0177). KIA0301 and KIA1106 are partial overlaps: their checks drop what IST0145 and
 * IST0109 already report.
 */
export const KIALI_CODES = {
  MG4002: { kiali: "KIA0002", severity: "error", message: "More than one selector-less object in the same namespace" },
  MG4003: { kiali: "KIA0003", severity: "error", message: "More than one object applied to the same workload" },
  MG4004: { kiali: "KIA0004", severity: "warning", message: "No matching workload found for the selector in this namespace" },
  MG4105: { kiali: "KIA0105", severity: "error", message: "This field requires mTLS to be enabled" },
  MG4201: { kiali: "KIA0201", severity: "warning", message: "More than one DestinationRules for the same host subset combination" },
  MG4204: { kiali: "KIA0204", severity: "warning", message: "mTLS settings of a non-local Destination Rule are overridden" },
  MG4205: { kiali: "KIA0205", severity: "error", message: "PeerAuthentication enabling mTLS at mesh level is missing" },
  MG4206: { kiali: "KIA0206", severity: "error", message: "PeerAuthentication enabling namespace-wide mTLS is missing" },
  MG4207: { kiali: "KIA0207", severity: "error", message: "PeerAuthentication with TLS strict mode found, it should be permissive" },
  MG4208: { kiali: "KIA0208", severity: "error", message: "PeerAuthentication enabling mTLS found, permissive mode needed" },
  MG4209: { kiali: "KIA0209", severity: "warning", message: "This subset has not labels" },
  MG4301: { kiali: "KIA0301", severity: "warning", message: "More than one Gateway for the same host port combination" },
  MG4401: { kiali: "KIA0401", severity: "error", message: "Mesh-wide Destination Rule enabling mTLS is missing" },
  MG4501: { kiali: "KIA0501", severity: "error", message: "Destination Rule enabling namespace-wide mTLS is missing" },
  MG4505: { kiali: "KIA0505", severity: "error", message: "Destination Rule disabling namespace-wide mTLS is missing" },
  MG4506: { kiali: "KIA0506", severity: "error", message: "Destination Rule disabling mesh-wide mTLS is missing" },
  MG4606: { kiali: "KIA1006", severity: "warning", message: "Global default sidecar should not have workloadSelector" },
  MG4704: { kiali: "KIA1104", severity: "warning", message: "The weight is assumed to be 100 because there is only one route destination" },
  MG4705: { kiali: "KIA1105", severity: "warning", message: "This host subset combination is already referenced in another route destination" },
  MG4706: { kiali: "KIA1106", severity: "warning", message: "More than one Virtual Service for same host" },
  MG4811: { kiali: "KIA1211", severity: "warning", message: "More than one ServiceEntry for the same host and port" },
  MG4881: { kiali: "KIA1301", severity: "warning", message: "This workload is not covered by any authorization policy" },
  MG4901: { kiali: "KIA1401", severity: "error", message: "Route is pointing to a non-existent or inaccessible K8s gateway" },
  MG4902: { kiali: "KIA1402", severity: "error", message: "Reference doesn't have a valid service (Service name not found)" },
  MG4951: { kiali: "KIA1501", severity: "warning", message: "More than one K8s Gateway for the same host port combination" },
  MG4952: { kiali: "KIA1502", severity: "warning", message: "More than one K8s Gateway for the same address and type combination" },
  MG4953: { kiali: "KIA1503", severity: "error", message: "Each listener must have a unique combination of Hostname, Port, and Protocol" },
} as const satisfies Record<string, KialiCode>;

export type KialiCodeId = keyof typeof KIALI_CODES;

/**
 * A finding for a Kiali check, on the field it is about. `severity` overrides the table for the checks
 * whose level Kiali lowers by context (KIA0209 becomes `unknown` when another subset has labels).
 */
export function kialiFinding(code: KialiCodeId, rule: string, resource: Resource, path: FieldPath, severity?: Severity): Finding {
  const entry: KialiCode = KIALI_CODES[code];
  return findingAt(resource, path, { code, rule, severity: severity ?? entry.severity, message: entry.message, kiali: entry.kiali });
}
