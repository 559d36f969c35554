import type { ConfigSet } from "../../../mesh/config-set.ts";
import { isObject, readStringMap } from "../../../mesh/json.ts";
import { listWorkloads, selectorMatches, type Workload } from "../../../mesh/workloads.ts";
import type { Finding } from "../../../review/finding.ts";
import type { Analyzer } from "../../analyzer.ts";
import { istioFinding } from "../messages.ts";
import { dedupeIstioMessages, type IstioMessage, istioLineOf } from "../virtualservice/istio-messages.ts";

const RULE = "k8sgateway.SelectorAnalyzer";
/** The label Istio puts on the pods it deploys for a Kubernetes Gateway. */
const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

/**
 * Istio's list is AuthorizationPolicy, RequestAuthentication, Telemetry and WasmPlugin; meshgate does not
 * model the last two kinds, so their policies are not checked.
 */
const POLICY_KINDS = ["AuthorizationPolicy.security.istio.io", "RequestAuthentication.security.istio.io"] as const;

/**
 * `k8sgateway.SelectorAnalyzer` (analyzers/k8sgateway/workloadselector.go): a policy that picks the pods
 * of a Kubernetes Gateway by `selector` instead of `targetRef` (IST0166, once per gateway it hits).
 * It only reports selectors that do match a gateway pod, so it runs with whatever pods are given.
 */
export const k8sGatewaySelectorAnalyzer: Analyzer = {
  name: RULE,
  analyze(set: ConfigSet): Finding[] {
    const gatewayPods = listWorkloads(set).filter((w) => w.labels[GATEWAY_NAME_LABEL] !== undefined);
    if (gatewayPods.length === 0) return [];
    const messages: IstioMessage[] = [];
    for (const kind of POLICY_KINDS) {
      for (const policy of set.ofKind(kind)) {
        const selector = policy.spec.selector;
        if (isObject(policy.spec.targetRef) || !isObject(selector)) continue;
        const matchLabels = readStringMap(selector.matchLabels);
        for (const pod of gatewayPods) {
          if (!inNamespace(pod, policy.namespace) || !selectorMatches(matchLabels, pod.labels)) continue;
          const finding = istioFinding("IST0166", RULE, policy, ["spec", "selector"], pod.labels[GATEWAY_NAME_LABEL]);
          messages.push({ finding, istioLine: istioLineOf(policy, undefined) });
        }
      }
    }
    return dedupeIstioMessages(messages);
  },
};

function inNamespace(pod: Workload, namespace: string): boolean {
  return pod.namespace === namespace;
}
