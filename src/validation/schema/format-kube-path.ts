import type { FieldPath } from "../../mesh/field-path.ts";
import type { PathSegment } from "../../generated/crd-validators.js";

/** The path as kube-openapi names it in its messages: map keys joined with dots (`labels.app`). */
export function formatOpenApiPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else {
      const name = typeof part === "string" ? part : part[0];
      out += out === "" ? name : `.${name}`;
    }
  }
  return out;
}

/** The path as `field.Path` prints it (CEL and list-type errors): map keys in brackets, `<nil>` at the root. */
export function formatFieldErrorPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return "<nil>";
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (typeof part === "string") out += out === "" ? part : `.${part}`;
    else out += `[${part[0]}]`;
  }
  return out;
}

/** The path to locate in the YAML: map keys are plain keys there. */
export function toFieldPath(path: readonly PathSegment[]): FieldPath {
  return path.map((part) => (typeof part === "object" ? part[0] : part));
}
