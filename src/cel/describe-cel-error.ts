/**
 * The text cel-go (the Kubernetes API server's CEL) gives for an evaluation error, from a cel-js error.
 * Istio's and Gateway API's conformance data match on some of these (`type conversion error from`),
 * and the API server embeds them in `... evaluating rule: <rule>` messages.
 */
export function describeCelError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = "code" in error && typeof error.code === "string" ? error.code : "";
  const summary = "summary" in error && typeof error.summary === "string" ? error.summary : error.message;
  switch (code) {
    case "int_conversion_error":
      return "type conversion error from 'string' to 'int'";
    case "uint_conversion_error":
      return "type conversion error from 'string' to 'uint'";
    case "double_conversion_error":
      return "type conversion error from 'string' to 'double'";
    case "invalid_duration":
      return "type conversion error from 'string' to 'google.protobuf.Duration'";
    case "invalid_timestamp":
      return "type conversion error from 'string' to 'google.protobuf.Timestamp'";
    case "no_such_key":
      return summary.replace(/^No such key: /, "no such key: ");
    case "no_such_overload":
    case "no_matching_overload":
      return "no such overload";
    default:
      return summary;
  }
}
