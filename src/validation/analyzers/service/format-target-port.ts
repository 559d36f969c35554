/**
 * A Service port's `targetPort` as Go's `intstr.IntOrString.String()` prints it: the number or the
 * name, and "0" when it is absent (the zero value), which is how Istio's messages show it.
 */
export function formatTargetPort(value: unknown): string {
  if (typeof value === "string") return value;
  return typeof value === "number" ? String(value) : "0";
}
