import { hostsMatch } from "../../mesh/hosts.ts";
import { isObject } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { checkGatewayVirtualServiceHost, checkWildcardDomain, isIpAddress } from "./dns-names.ts";
import { validateExportTo } from "./export-to.ts";
import { isJwtClaimRoute } from "./headers.ts";
import { hasItems, listAt, objectAt, stringsAt } from "./read-spec.ts";
import { validateGatewayNames } from "./validate-gateway-names.ts";
import { validateHttpRoute } from "./validate-http-route.ts";
import { validateTcpRoute, validateTlsRoute } from "./validate-l4-routes.ts";
import type { Issues } from "./webhook-issues.ts";

const MESH_GATEWAY = "mesh";
// Set by Istio on VirtualServices it generates from Gateway API routes.
const ROUTE_SEMANTICS = "internal.istio.io/route-semantics";

/** `ValidateVirtualService` (its unreachable-rule warnings are IST0130/IST0131 of the analyzers). */
export function validateVirtualService(out: Issues, resource: Resource): void {
  const spec = resource.spec;
  const hosts = stringsAt(spec.hosts);
  const gateways = stringsAt(spec.gateways).map(([, g]) => g);
  const gatewaySemantics = resource.annotations[ROUTE_SEMANTICS] === "gateway";
  const isDelegate = !hasItems(spec.hosts);

  if (isDelegate) {
    const family = WEBHOOK_FAMILIES.gatewayRef;
    if (hasItems(spec.gateways)) out.error(family, ["spec", "gateways"], "delegate virtual service must have no gateways specified");
    if (hasItems(spec.tls)) out.error(family, ["spec", "tls"], "delegate virtual service must have no tls route specified");
    if (hasItems(spec.tcp)) out.error(family, ["spec", "tcp"], "delegate virtual service must have no tcp route specified");
  }
  if (hasItems(spec.gateways)) validateGatewayNames(out, spec.gateways, ["spec", "gateways"], gatewaySemantics);
  const appliesToGateway = gateways.length > 0 && !gateways.includes(MESH_GATEWAY);
  if (!appliesToGateway) validateJwtClaimRoutes(out, resource, gateways);
  validateHosts(out, hosts, appliesToGateway, hasSniHosts(resource));

  if (!hasItems(spec.http) && !hasItems(spec.tcp) && !hasItems(spec.tls)) {
    out.error(WEBHOOK_FAMILIES.route, ["spec"], "http, tcp or tls must be provided in virtual service");
  }
  for (const [i, route] of listAt(spec.http).entries()) {
    if (!isObject(route)) out.error(WEBHOOK_FAMILIES.route, ["spec", "http", i], "http route may not be null");
    else validateHttpRoute(out, route, ["spec", "http", i], { inDelegate: isDelegate, gatewaySemantics });
  }
  const l4 = { hosts: hosts.map(([, h]) => h), sniAsGateway: !gateways.includes(MESH_GATEWAY), gatewaySemantics };
  for (const [i, route] of listAt(spec.tls).entries()) {
    if (isObject(route)) validateTlsRoute(out, route, ["spec", "tls", i], l4);
  }
  for (const [i, route] of listAt(spec.tcp).entries()) {
    if (isObject(route)) validateTcpRoute(out, route, ["spec", "tcp", i], gatewaySemantics);
  }
  validateExportTo(out, resource.namespace, spec.exportTo, ["spec", "exportTo"], { isServiceEntry: false, isDestinationRuleWithSelector: false });
}

/** Routing on JWT claims needs the gateway's RequestAuthentication: sidecars do not have the claims. */
function validateJwtClaimRoutes(out: Issues, resource: Resource, gateways: readonly string[]): void {
  for (const [i, route] of listAt(resource.spec.http).entries()) {
    for (const [j, match] of listAt(objectAt(route)?.match).entries()) {
      for (const field of ["headers", "withoutHeaders"] as const) {
        for (const key of Object.keys(objectAt(objectAt(match)?.[field]) ?? {})) {
          if (!isJwtClaimRoute(key)) continue;
          out.error(WEBHOOK_FAMILIES.match, ["spec", "http", i, "match", j, field, key],
            `JWT claim based routing (key: ${key}) is only supported for gateway, found no gateways: [${gateways.join(" ")}]`);
        }
      }
    }
  }
}

function hasSniHosts(resource: Resource): boolean {
  return listAt(resource.spec.tls).some((route) => listAt(objectAt(route)?.match).some((m) => hasItems(objectAt(m)?.sniHosts)));
}

function validateHosts(out: Issues, hosts: readonly [number, string][], appliesToGateway: boolean, sni: boolean): void {
  let allValid = true;
  for (const [i, host] of hosts) {
    const err = appliesToGateway ? checkGatewayVirtualServiceHost(sni, host) : checkWildcardDomain(host);
    if (err) {
      if (!isIpAddress(host)) {
        out.error(WEBHOOK_FAMILIES.host, ["spec", "hosts", i], err);
        allValid = false;
      }
    } else if (!appliesToGateway && host === "*") {
      out.error(WEBHOOK_FAMILIES.host, ["spec", "hosts", i], "wildcard host * is not allowed for virtual services bound to the mesh gateway");
      allValid = false;
    }
  }
  if (!allValid) return;
  // Duplicates include overlapping wildcards: `*.foo.com` and `*.com` claim the same names.
  for (const [a, [, first]] of hosts.entries()) {
    for (const [j, second] of hosts.slice(a + 1)) {
      if (hostsMatch(first, second)) out.error(WEBHOOK_FAMILIES.host, ["spec", "hosts", j], `duplicate hosts in virtual service: ${first} & ${second}`);
    }
  }
}
