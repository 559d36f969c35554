import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, type JsonValue } from "../../mesh/json.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { checkWildcardDomain, isDns1123Label } from "./dns-names.ts";
import { checkHeaderOperationName, checkHeaderValue, checkRequestHeaderSetName } from "./headers.ts";
import { checkPort } from "./ports.ts";
import { listAt, numberAt, objectAt, stringAt } from "./read-spec.ts";
import type { Issues } from "./webhook-issues.ts";

/** `validateSubsetName`. */
export function checkSubsetName(name: string): string | undefined {
  if (name === "") return "subset name cannot be empty";
  return isDns1123Label(name) ? undefined : `subset name is invalid: ${name}`;
}

/** `validateDestination`: host, subset and port of a route, mirror or egress-proxy destination. */
export function validateDestination(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const destination = objectAt(value);
  if (!destination) return;
  const host = stringAt(destination.host);
  const hostErr = host === "*" ? `invalid destination host ${host}` : checkWildcardDomain(host);
  if (hostErr) out.error(WEBHOOK_FAMILIES.host, [...path, "host"], hostErr);
  const subset = stringAt(destination.subset);
  const subsetErr = subset === "" ? undefined : checkSubsetName(subset);
  if (subsetErr) out.error(WEBHOOK_FAMILIES.selector, [...path, "subset"], subsetErr);
  const port = objectAt(destination.port);
  const portErr = port ? checkPort(numberAt(port.number)) : undefined;
  if (portErr) out.error(WEBHOOK_FAMILIES.port, [...path, "port", "number"], portErr);
}

/** Header names and values of `headers.request|response.set|add|remove` on a route or a destination. */
export function validateHeaderOperations(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  const headers = objectAt(value);
  if (!headers) return;
  for (const side of ["request", "response"] as const) {
    const ops = objectAt(headers[side]);
    if (!ops) continue;
    // Request headers may set the authority; response headers and removals may not touch `:` or Host.
    const checkName = side === "request" ? checkRequestHeaderSetName : checkHeaderOperationName;
    for (const op of ["set", "add"] as const) {
      for (const [name, v] of Object.entries(objectAt(ops[op]) ?? {})) {
        const at = [...path, side, op, name];
        const nameErr = checkName(name);
        if (nameErr) out.error(WEBHOOK_FAMILIES.match, at, nameErr);
        const valueErr = checkHeaderValue(typeof v === "string" ? v : "");
        if (valueErr) out.error(WEBHOOK_FAMILIES.match, at, valueErr);
      }
    }
    for (const [i, name] of listAt(ops.remove).entries()) {
      const err = checkHeaderOperationName(typeof name === "string" ? name : "");
      if (err) out.error(WEBHOOK_FAMILIES.match, [...path, side, "remove", i], err);
    }
  }
}

export interface RouteDestinationOptions {
  /** HTTP route destinations also carry header operations. */
  readonly http: boolean;
  /** Routes generated from the Gateway API skip the destination checks. */
  readonly gatewaySemantics: boolean;
}

/**
 * `validateHTTPRouteDestinations` / `validateRouteDestinations`. Weights are relative: they need not sum
 * to 100 (550 + 500 is valid), but none may be negative and several destinations may not all weigh 0.
 */
export function validateRouteDestinations(out: Issues, value: JsonValue | undefined, path: FieldPath, options: RouteDestinationOptions): void {
  const routes = listAt(value);
  let total = 0;
  for (const [i, route] of routes.entries()) {
    const at = [...path, i];
    if (!isObject(route)) {
      out.error(WEBHOOK_FAMILIES.weight, at, "weight may not be nil");
      continue;
    }
    if (!isObject(route.destination)) out.error(WEBHOOK_FAMILIES.weight, at, "destination is required");
    if (options.http) validateHeaderOperations(out, route.headers, [...at, "headers"]);
    if (!options.gatewaySemantics) validateDestination(out, route.destination, [...at, "destination"]);
    const weight = numberAt(route.weight);
    if (weight < 0) out.error(WEBHOOK_FAMILIES.weight, [...at, "weight"], `weight ${weight} < 0`);
    total += weight;
  }
  if (routes.length > 1 && total === 0) out.error(WEBHOOK_FAMILIES.weight, path, "total destination weight = 0");
}
