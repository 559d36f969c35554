import { isObject, type JsonObject } from "./json.ts";

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
