/** A path into a resource's data: `["spec", "http", 1, "route", 0, "weight"]`. */
export type FieldPath = readonly (string | number)[];

/** Renders a path the way Kubernetes does in its errors: `spec.http[1].route[0].weight`. */
export function formatFieldPath(path: FieldPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}
