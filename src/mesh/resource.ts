import type { FieldPath } from "./field-path.ts";
import type { JsonObject } from "./json.ts";
import type { SecretSummary } from "./summarize-secret.ts";

/** 1-based, like editors and GitHub annotations. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Identifies a resource the way Kubernetes does; namespace is "" when the manifest gives none. */
export interface ResourceRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface SourceInfo {
  readonly file: string;
  /** 0-based index of the YAML document in its file (after `kind: List` expansion, the list's index). */
  readonly document: number;
  /** Where the resource starts. */
  readonly position: Position;
}

/** One parsed manifest: its plain data plus enough of its origin to point at any field. */
export interface Resource extends ResourceRef {
  readonly apiVersion: string;
  readonly group: string;
  readonly version: string;
  /** `Kind.group` (see kinds.ts). */
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** The whole document as plain data. */
  readonly body: JsonObject;
  /** `body.spec`, or `{}` when absent or not an object. */
  readonly spec: JsonObject;
  readonly source: SourceInfo;
  /** Position of the deepest node along `path` that exists (the key, for a map entry). */
  readonly locate: (path: FieldPath) => Position;
  /** Set for resources meshgate adds itself (Istio's default ingress pod and service). */
  readonly synthetic?: true;
  /** Secrets only: what is known of `data` without keeping it (key names, certificate dates). */
  readonly secret?: SecretSummary;
}

/** `Kind ns/name`, or `Kind name` without a namespace: the origin format of `istioctl analyze`. */
export function formatOrigin(ref: ResourceRef): string {
  return ref.namespace === "" ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.namespace}/${ref.name}`;
}

export function refOf(resource: ResourceRef): ResourceRef {
  return { kind: resource.kind, namespace: resource.namespace, name: resource.name };
}
