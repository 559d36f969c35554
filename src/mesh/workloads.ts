import type { ConfigSet } from "./config-set.ts";
import { isObject, type JsonObject, readArray, readString, readStringMap } from "./json.ts";
import type { Resource } from "./resource.ts";

/**
 * The pods of a configuration set, as Istio's analyzers see them (`ctx.ForEach(gvk.Pod, …)`), plus the
 * workloads a GitOps repo actually holds: the pod templates of Deployments, StatefulSets and DaemonSets,
 * each standing in for the pods its controller would create.
 */
export interface Workload {
  readonly namespace: string;
  /** The Pod's name, or the controller's name for a pod template. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** `spec.nodeName` ("" when not scheduled). */
  readonly nodeName: string;
  /** `spec.containers` then `spec.initContainers` (native sidecars are init containers). */
  readonly containers: readonly Container[];
  /** The Pod, or the controller whose template this is. */
  readonly resource: Resource;
  /** True for a controller's pod template rather than a Pod. */
  readonly fromTemplate: boolean;
}

export interface Container {
  readonly name: string;
  readonly image: string;
}

const CONTROLLER_KINDS = ["Deployment.apps", "StatefulSet.apps", "DaemonSet.apps"] as const;

/** Istio's well-known names (`istio.io/api/label`, `annotation`, `pkg/config/constants`, analyzers `util`). */
const ISTIO_PROXY = "istio-proxy";
const INJECTION_LABEL = "istio-injection";
const INJECTION_ENABLED = "enabled";
const SIDECAR_INJECT = "sidecar.istio.io/inject";
const REVISION_LABEL = "istio.io/rev";
const DATAPLANE_MODE = "istio.io/dataplane-mode";
const AMBIENT_REDIRECTION = "ambient.istio.io/redirection";
/** The node labels Istio copies onto endpoints (`AugmentLabels`), and the node-name label it adds. */
const TOPOLOGY_LABELS = ["topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone"] as const;
const HOSTNAME_LABEL = "kubernetes.io/hostname";

/**
 * Every workload of the set: given Pods, then pod templates, then Istio's synthetic ingress Pod. Pods
 * are unique by namespace/name: a Pod the user gives replaces Istio's synthetic one of the same name (the
 * conformance harness feeds Istio's dummy ingress Pod as a file and the engine adds it again). A
 * controller's template is used only when no given Pod in its namespace matches its selector: if its
 * pods are listed, they already are its workloads.
 */
export function listWorkloads(set: ConfigSet): readonly Workload[] {
  // Several analyzers ask for the same set's workloads; a set never changes once built.
  let cached = WORKLOADS.get(set);
  if (!cached) WORKLOADS.set(set, (cached = collectWorkloads(set)));
  return cached;
}

const WORKLOADS = new WeakMap<ConfigSet, readonly Workload[]>();

function collectWorkloads(set: ConfigSet): Workload[] {
  const pods = new Map<string, Resource>();
  for (const pod of set.ofKind("Pod")) {
    const id = `${pod.namespace}/${pod.name}`;
    const seen = pods.get(id);
    if (!seen || seen.synthetic || !pod.synthetic) pods.set(id, pod);
  }
  const all = [...pods.values()].map((pod) => workloadOf(pod, pod.body, false));
  const out = all.filter((w) => !w.resource.synthetic);
  const givenPods = groupByNamespace(out);
  for (const key of CONTROLLER_KINDS) {
    for (const controller of set.ofKind(key)) {
      const template = controller.spec.template;
      if (!isObject(template)) continue;
      const selector = controllerSelector(controller, template);
      const hasPods = (givenPods.get(controller.namespace) ?? []).some((p) => selectorMatches(selector, p.labels));
      if (!hasPods) out.push(workloadOf(controller, template, true));
    }
  }
  // Istio's stand-in ingress Pod comes last, so "the first pod a selector matches" is a real one if any.
  out.push(...all.filter((w) => w.resource.synthetic));
  return out;
}

function workloadOf(resource: Resource, podLike: JsonObject, fromTemplate: boolean): Workload {
  const metadata = isObject(podLike.metadata) ? podLike.metadata : {};
  const spec = isObject(podLike.spec) ? podLike.spec : {};
  const containers = [...readArray(spec.containers), ...readArray(spec.initContainers)].filter(isObject).map((c) => ({
    name: readString(c.name) ?? "",
    image: readString(c.image) ?? "",
  }));
  return {
    namespace: resource.namespace,
    name: resource.name,
    labels: fromTemplate ? readStringMap(metadata.labels) : resource.labels,
    annotations: fromTemplate ? readStringMap(metadata.annotations) : resource.annotations,
    nodeName: readString(spec.nodeName) ?? "",
    containers,
    resource,
    fromTemplate,
  };
}

/**
 * The labels of a workload's endpoints, which DestinationRule subsets select: its own plus its node's
 * non-empty locality labels and the node's name (Istio's `AugmentLabels`), when the Node is in the set.
 */
export function endpointLabels(set: ConfigSet, workload: Workload): Record<string, string> {
  const labels: Record<string, string> = { ...workload.labels };
  const node = workload.nodeName === "" ? undefined : set.get("Node", "", workload.nodeName);
  if (!node) return labels;
  for (const key of TOPOLOGY_LABELS) {
    const value = node.labels[key];
    if (value !== undefined && value !== "") labels[key] = value;
  }
  labels[HOSTNAME_LABEL] = workload.nodeName;
  return labels;
}

/** Items (workloads, resources) by namespace, in their order. */
export function groupByNamespace<T extends { readonly namespace: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.namespace);
    if (list) list.push(item);
    else out.set(item.namespace, [item]);
  }
  return out;
}

/** `spec.selector.matchLabels` of a controller, or its template's labels when it gives none. */
function controllerSelector(controller: Resource, template: JsonObject): Record<string, string> {
  const selector = controller.spec.selector;
  if (isObject(selector) && isObject(selector.matchLabels)) return readStringMap(selector.matchLabels);
  return readStringMap(isObject(template.metadata) ? template.metadata.labels : undefined);
}

/**
 * `labels.SelectorFromSet(selector).Matches(labels)`: every pair of the selector is among the labels. An
 * empty selector matches everything, as in Kubernetes' Go library (not as a Service without selector).
 */
export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}

/** The items a label selector matches, answered from an index. */
export interface LabelIndex<T> {
  matching(selector: Readonly<Record<string, string>>): T[];
  matchesAny(selector: Readonly<Record<string, string>>): boolean;
}

/**
 * An index of `key=value` pairs: a selector only tests the items carrying its rarest pair, so matching
 * stays cheap on large repositories. Answers equal `selectorMatches` over all items, in their order.
 */
export function indexByLabels<T>(items: readonly T[], labelsOf: (item: T) => Readonly<Record<string, string>>): LabelIndex<T> {
  const byPair = new Map<string, T[]>();
  for (const item of items) {
    const labels = labelsOf(item);
    for (const key in labels) {
      const pair = `${key}\u0000${labels[key] ?? ""}`;
      const list = byPair.get(pair);
      if (list) list.push(item);
      else byPair.set(pair, [item]);
    }
  }
  const candidates = (selector: Readonly<Record<string, string>>): readonly T[] => {
    let smallest: readonly T[] = items;
    for (const key in selector) {
      const list = byPair.get(`${key}\u0000${selector[key] ?? ""}`) ?? [];
      if (list.length < smallest.length) smallest = list;
    }
    return smallest;
  };
  return {
    matching: (selector) => candidates(selector).filter((item) => selectorMatches(selector, labelsOf(item))),
    matchesAny: (selector) => candidates(selector).some((item) => selectorMatches(selector, labelsOf(item))),
  };
}

/** `labels.SelectorFromSet(selector).String()`: `k1=v1,k2=v2` sorted by key, "" when empty. */
export function formatSelector(selector: Readonly<Record<string, string>>): string {
  return Object.keys(selector)
    .sort()
    .map((k) => `${k}=${selector[k] ?? ""}`)
    .join(",");
}

/** The key Istio positions selector messages on (`util.ExtractLabelFromSelectorString`): the first, sorted. */
export function firstSelectorKey(selector: Readonly<Record<string, string>>): string | undefined {
  return Object.keys(selector).sort()[0];
}

/** The Namespace resources of the set by name. */
export function indexNamespaces(set: ConfigSet): ReadonlyMap<string, Resource> {
  return new Map(set.ofKind("Namespace").map((ns) => [ns.name, ns]));
}

/**
 * `util.PodInMesh`: a workload has a sidecar when an `istio-proxy` container with an image is present,
 * else when `sidecar.istio.io/inject` (label, then annotation) says "true", else when its Namespace has
 * `istio-injection: enabled`. A template never lists the injected container, so the labels decide it;
 * when its Namespace is not in the set either, nothing says it is outside the mesh and it counts as in
 * (a repository of Deployments rarely holds the Namespaces a platform team creates). A Pod with an
 * unknown Namespace is outside, as in Istio.
 */
export function workloadInMesh(workload: Workload, namespaces: ReadonlyMap<string, Resource>): boolean {
  if (workload.containers.some((c) => c.name === ISTIO_PROXY && c.image !== "")) return true;
  const label = workload.labels[SIDECAR_INJECT];
  if (label !== undefined) return label === "true";
  const annotation = workload.annotations[SIDECAR_INJECT];
  if (annotation !== undefined) return annotation === "true";
  const ns = namespaces.get(workload.namespace);
  if (!ns) return workload.fromTemplate;
  return ns.labels[INJECTION_LABEL] === INJECTION_ENABLED;
}

/**
 * `util.PodInAmbientMode`: the CNI marks captured pods `ambient.istio.io/redirection: enabled`. A pod
 * template never carries that runtime mark, so a template counts as ambient when its namespace is
 * ambient and it does not opt out with `istio.io/dataplane-mode: none`.
 */
export function workloadInAmbientMode(workload: Workload, namespaces: ReadonlyMap<string, Resource>): boolean {
  if (workload.annotations[AMBIENT_REDIRECTION] === "enabled") return true;
  if (!workload.fromTemplate) return false;
  return workload.labels[DATAPLANE_MODE] !== "none" && namespaceInAmbientMode(namespaces.get(workload.namespace));
}

/**
 * `util.NamespaceInAmbientMode`: labelled `istio.io/dataplane-mode: ambient`, unless sidecar injection
 * (`istio-injection: enabled` or a non-empty `istio.io/rev`) is also on.
 */
export function namespaceInAmbientMode(namespace: Resource | undefined): boolean {
  if (!namespace) return false;
  if (namespace.labels[INJECTION_LABEL] === INJECTION_ENABLED) return false;
  const rev = namespace.labels[REVISION_LABEL];
  if (rev !== undefined && rev !== "") return false;
  return namespace.labels[DATAPLANE_MODE] === "ambient";
}

/**
 * Whether the user described their workloads at all: a Pod or a pod-templated controller given as YAML.
 * Istio's synthetic ingress Pod does not count. See `istio-analyzers.ts` for how analyzers use this.
 */
export function hasWorkloadInventory(set: ConfigSet): boolean {
  return set.has("Pod") || CONTROLLER_KINDS.some((key) => set.has(key));
}
