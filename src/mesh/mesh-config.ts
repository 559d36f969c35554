import { LineCounter } from "yaml";
import { isObject, type JsonObject } from "./json.ts";
import { parseYamlDocuments } from "./parse-yaml-documents.ts";
import type { Resource } from "./resource.ts";

export type IngressControllerMode = "OFF" | "DEFAULT" | "STRICT";

/** The parts of Istio's MeshConfig the checks read, with Istio's defaults (`mesh.DefaultMeshConfig()`). */
export interface MeshConfig {
  readonly rootNamespace: string;
  readonly ingressService: string;
  readonly ingressSelector: string;
  readonly ingressControllerMode: IngressControllerMode;
  /** The whole MeshConfig as given, for checks that need more. */
  readonly raw: JsonObject;
}

export const DEFAULT_MESH_CONFIG: MeshConfig = {
  rootNamespace: "istio-system",
  ingressService: "istio-ingressgateway",
  ingressSelector: "ingressgateway",
  ingressControllerMode: "STRICT",
  raw: {},
};

/** Merges a MeshConfig document (plain data) over Istio's defaults, like `mesh.ApplyMeshConfigDefaults`. */
export function readMeshConfig(data: unknown): MeshConfig {
  if (!isObject(data)) return DEFAULT_MESH_CONFIG;
  const str = (key: string, fallback: string) => (typeof data[key] === "string" && data[key] !== "" ? (data[key] as string) : fallback);
  const mode = data.ingressControllerMode;
  return {
    rootNamespace: str("rootNamespace", DEFAULT_MESH_CONFIG.rootNamespace),
    ingressService: str("ingressService", DEFAULT_MESH_CONFIG.ingressService),
    ingressSelector: str("ingressSelector", DEFAULT_MESH_CONFIG.ingressSelector),
    ingressControllerMode: mode === "OFF" || mode === "DEFAULT" || mode === "STRICT" ? mode : DEFAULT_MESH_CONFIG.ingressControllerMode,
    raw: data,
  };
}

/** Istio keeps its MeshConfig in the `istio` ConfigMap of the root namespace, under `data.mesh`. */
export function isIstioConfigMap(r: Resource): boolean {
  return r.key === "ConfigMap" && r.name === "istio" && (r.namespace === "istio-system" || r.namespace === "");
}

/** A MeshConfig text as istiod reads it: the mapping, nothing (an empty text: Istio's defaults), or why it is not one. */
export interface MeshConfigText {
  readonly value?: JsonObject;
  readonly problem?: string;
}

/** Reads MeshConfig YAML with sigs.k8s.io/yaml's rules, as istiod and kubectl do (parseYamlDocuments). */
export function parseMeshConfigText(text: string): MeshConfigText {
  const lineCounter = new LineCounter();
  const [doc] = parseYamlDocuments(text, { lineCounter, prettyErrors: false });
  const error = doc?.errors[0];
  if (error) {
    const { line } = lineCounter.linePos(error.pos[0]);
    return { problem: `line ${line} of it: ${(error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}` };
  }
  let value: unknown;
  try {
    value = doc?.toJS({ maxAliasCount: 100 });
  } catch (thrown) {
    return { problem: thrown instanceof Error ? thrown.message : String(thrown) };
  }
  if (value === null || value === undefined) return {};
  if (!isObject(value)) return { problem: `it is ${Array.isArray(value) ? "a list" : `a ${typeof value}`}, not a mapping` };
  return { value };
}
