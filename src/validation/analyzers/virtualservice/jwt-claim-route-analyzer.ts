import type { ConfigSet } from "../../../mesh/config-set.ts";
import type { FieldPath } from "../../../mesh/field-path.ts";
import { formatFullName, MESH_GATEWAY, shortOrFullName } from "../../../mesh/hosts.ts";
import { isObject, readArray, readStringMap } from "../../../mesh/json.ts";
import type { Resource } from "../../../mesh/resource.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { dedupeIstioMessages } from "./istio-messages.ts";

const RULE = "virtualservice.JWTClaimRouteAnalyzer";
/** `constant.HeaderJWTClaim`: the pseudo-header prefix for routing on a validated JWT's claims. */
const JWT_CLAIM_HEADER = "@request.auth.claims";
/** Istio checks RequestAuthentications here and in the Pod's namespace (`constants.IstioSystemNamespace`, not the root namespace). */
const ISTIO_SYSTEM = "istio-system";

/**
 * `virtualservice.JWTClaimRouteAnalyzer` (analyzers/virtualservice/jwtclaimroute.go): a VirtualService
 * that matches on `@request.auth.claims.*` headers through an Istio Gateway whose Pods have no
 * RequestAuthentication selecting them (IST0149, one per Pod). Claims exist only after a
 * RequestAuthentication validated the token, so such routes never match.
 *
 * Pods are an input: the synthetic ingress gateway Pod counts (it stands for the default ingress
 * deployment, as in istioctl's own runs), so a repository without Pod manifests is still checked
 * against the gateways that select `istio: ingressgateway`.
 */
export const jwtClaimRouteAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const pods = set.ofKind("Pod");
    if (pods.length === 0) return [];
    const selectorsByNs = requestAuthnSelectors(set.ofKind("RequestAuthentication.security.istio.io"));
    const out: Finding[] = [];
    for (const vs of set.ofKind("VirtualService.networking.istio.io")) out.push(...analyzeVirtualService(set, vs, pods, selectorsByNs));
    // No line of its own: istioctl prints these on the resource's line and drops repeated texts.
    return dedupeIstioMessages(out.map((finding) => ({ finding, istioLine: -1 })));
  },
};

function requestAuthnSelectors(ras: readonly Resource[]): Map<string, Record<string, string>[]> {
  const out = new Map<string, Record<string, string>[]>();
  for (const ra of ras) {
    const selector = isObject(ra.spec.selector) ? readStringMap(ra.spec.selector.matchLabels) : {};
    const list = out.get(ra.namespace);
    if (list) list.push(selector);
    else out.set(ra.namespace, [selector]);
  }
  return out;
}

function analyzeVirtualService(set: ConfigSet, vs: Resource, pods: readonly Resource[], selectorsByNs: ReadonlyMap<string, Record<string, string>[]>): Finding[] {
  const claim = findClaimKey(vs);
  if (!claim) return [];
  const out: Finding[] = [];
  for (const entry of readArray(vs.spec.gateways)) {
    if (typeof entry !== "string" || entry === MESH_GATEWAY) continue;
    const name = shortOrFullName(vs.namespace, entry);
    // A missing Gateway is the GatewayAnalyzer's finding.
    const gw = set.get("Gateway.networking.istio.io", name.namespace, name.name);
    if (!gw) continue;
    const gwSelector = readStringMap(gw.spec.selector);
    for (const pod of pods) {
      if (!selects(gwSelector, pod.labels)) continue;
      const candidates = [...(selectorsByNs.get(ISTIO_SYSTEM) ?? []), ...(selectorsByNs.get(pod.namespace) ?? [])];
      if (candidates.some((s) => selects(s, pod.labels))) continue;
      out.push(istioFinding("IST0149", RULE, vs, claim.path, claim.key, formatFullName(name), pod.name));
    }
  }
  return out;
}

/** `routeBasedOnJWTClaimKey`: the first `headers` or `withoutHeaders` key under the claims prefix. */
function findClaimKey(vs: Resource): { readonly key: string; readonly path: FieldPath } | undefined {
  for (const [i, rule] of readArray(vs.spec.http).entries()) {
    if (!isObject(rule)) continue;
    for (const [j, match] of readArray(rule.match).entries()) {
      if (!isObject(match)) continue;
      for (const field of ["headers", "withoutHeaders"] as const) {
        const map = match[field];
        if (!isObject(map)) continue;
        const key = Object.keys(map).find((k) => k.startsWith(JWT_CLAIM_HEADER));
        if (key !== undefined) return { key, path: ["spec", "http", i, "match", j, field, key] };
      }
    }
  }
  return undefined;
}

/** A `matchLabels`-style equality selector; an empty one selects everything, like `labels.SelectorFromSet`. */
function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
