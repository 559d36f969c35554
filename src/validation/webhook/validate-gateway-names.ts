import type { FieldPath } from "../../mesh/field-path.ts";
import type { JsonValue } from "../../mesh/json.ts";
import { formatGo } from "../analyzers/format-go.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { checkFqdn, isDns1123Label } from "./dns-names.ts";
import { stringsAt } from "./read-spec.ts";
import type { Issues } from "./webhook-issues.ts";

/** `validateGatewayNames`: VirtualService `gateways` and match `gateways`, as `ns/name` or a bare name. */
export function validateGatewayNames(out: Issues, value: JsonValue | undefined, path: FieldPath, gatewaySemantics: boolean): void {
  for (const [i, name] of stringsAt(value)) {
    const at = [...path, i];
    const slash = name.indexOf("/");
    if (slash < 0) {
      if (name.includes(".")) {
        const parts = name.split(".");
        const recommended = `${parts[1] ?? ""}/${parts[0] ?? ""}`;
        out.warn(WEBHOOK_FAMILIES.gatewayRef, at,
          formatGo("using legacy gatewayName format %q; prefer the <namespace>/<name> format: %q", [name, recommended]));
      }
      const err = checkFqdn(name);
      if (err) out.error(WEBHOOK_FAMILIES.gatewayRef, at, err);
      // Istio stops at the first bare name (it returns from inside the loop); later names go unchecked.
      return;
    }
    const ns = name.slice(0, slash);
    const gw = name.slice(slash + 1);
    if (ns === "" || gw === "") out.error(WEBHOOK_FAMILIES.gatewayRef, at, "config namespace and gateway name cannot be empty");
    if (!isDns1123Label(ns)) out.error(WEBHOOK_FAMILIES.gatewayRef, at, formatGo("invalid value for namespace: %q", [ns]));
    if (!isDns1123Label(gw) && !gatewaySemantics) out.error(WEBHOOK_FAMILIES.gatewayRef, at, formatGo("invalid value for gateway name: %q", [gw]));
  }
}
