import type { FieldPath } from "../../mesh/field-path.ts";
import { hostSubsetOf } from "../../mesh/hosts.ts";
import { isObject, type JsonObject } from "../../mesh/json.ts";
import { formatGo } from "../analyzers/format-go.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { validateRouteDestinations } from "./destinations.ts";
import { checkGatewayVirtualServiceHost, checkWildcardDomain, isIpAddress } from "./dns-names.ts";
import { checkIpSubnet } from "./ports.ts";
import { hasItems, listAt, stringsAt } from "./read-spec.ts";
import { validateMatchSources } from "./validate-http-route.ts";
import type { Issues } from "./webhook-issues.ts";

export interface L4RouteContext {
  /** The VirtualService's hosts, which every SNI host must fall within. */
  readonly hosts: readonly string[];
  /** Istio's `isGateway`: true unless `gateways` lists `mesh` (so also when it lists nothing). */
  readonly sniAsGateway: boolean;
  readonly gatewaySemantics: boolean;
}

/** `validateTLSRoute`: one entry of `tls`, at `path`. */
export function validateTlsRoute(out: Issues, route: JsonObject, path: FieldPath, context: L4RouteContext): void {
  const family = WEBHOOK_FAMILIES.route;
  if (!hasItems(route.match)) out.error(family, path, "TLS route must have at least one match condition");
  for (const [j, match] of listAt(route.match).entries()) {
    const at = [...path, "match", j];
    if (!isObject(match)) {
      out.error(family, at, "TLS match may not be null");
      continue;
    }
    if (!hasItems(match.sniHosts)) out.error(family, at, "TLS match must have at least one SNI host");
    for (const [k, sni] of stringsAt(match.sniHosts)) validateSniHost(out, sni, [...at, "sniHosts", k], context);
    validateSubnets(out, match, at);
    validateMatchSources(out, match, at);
  }
  if (!hasItems(route.route)) out.error(family, path, "TLS route is required");
  validateRouteDestinations(out, route.route, [...path, "route"], { http: false, gatewaySemantics: context.gatewaySemantics });
}

/** `validateTCPRoute`: one entry of `tcp`, at `path`. */
export function validateTcpRoute(out: Issues, route: JsonObject, path: FieldPath, gatewaySemantics: boolean): void {
  for (const [j, match] of listAt(route.match).entries()) {
    const at = [...path, "match", j];
    if (!isObject(match)) {
      out.error(WEBHOOK_FAMILIES.route, at, "tcp match may not be nil");
      continue;
    }
    validateSubnets(out, match, at);
    validateMatchSources(out, match, at);
  }
  if (!hasItems(route.route)) out.error(WEBHOOK_FAMILIES.route, path, "TCP route is required");
  validateRouteDestinations(out, route.route, [...path, "route"], { http: false, gatewaySemantics });
}

function validateSubnets(out: Issues, match: JsonObject, at: FieldPath): void {
  for (const [k, subnet] of stringsAt(match.destinationSubnets)) {
    const err = checkIpSubnet(subnet);
    if (err) out.error(WEBHOOK_FAMILIES.port, [...at, "destinationSubnets", k], err);
  }
}

/** `validateSniHost`: a wildcard domain within one of the VirtualService's hosts; an IP only warns. */
function validateSniHost(out: Issues, sni: string, path: FieldPath, context: L4RouteContext): void {
  const err = context.sniAsGateway ? checkGatewayVirtualServiceHost(true, sni) : checkWildcardDomain(sni);
  if (err) {
    if (isIpAddress(sni)) {
      out.warn(WEBHOOK_FAMILIES.host, path, formatGo("using an IP address (%q) goes against SNI spec and most clients do not support this", [sni]));
    } else {
      out.error(WEBHOOK_FAMILIES.host, path, err);
    }
    return;
  }
  if (context.hosts.some((h) => hostSubsetOf(sni, h))) return;
  out.error(WEBHOOK_FAMILIES.host, path,
    formatGo("SNI host %q is not a compatible subset of any of the virtual service hosts: [%s]", [sni, context.hosts.join(", ")]));
}
