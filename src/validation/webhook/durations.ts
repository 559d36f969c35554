import type { FieldPath } from "../../mesh/field-path.ts";
import type { JsonValue } from "../../mesh/json.ts";
import { parseDuration } from "../../mesh/parse-duration.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import type { Issues } from "./webhook-issues.ts";

const MILLISECOND = 1_000_000n;

/** Nanoseconds of a duration field, or undefined when it is unset or not a valid Go duration. */
export function durationNanos(value: JsonValue | undefined): bigint | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = parseDuration(value);
  return "nanos" in parsed ? parsed.nanos : undefined;
}

/** Istio's duration text for a value, or undefined when it is fine (`agent.ValidateDuration`). */
export function checkDuration(value: string): string | undefined {
  const parsed = parseDuration(value);
  // Istio decodes durations with Go's parser; a text it cannot read never reaches the validator.
  if ("error" in parsed) return parsed.error;
  if (parsed.nanos < MILLISECOND) return "duration must be greater than 1ms";
  if (parsed.nanos % MILLISECOND !== 0n) return "only durations to ms precision are supported";
  return undefined;
}

/** Checks the duration at `path` when it is set (values of another type are the schema's business). */
export function validateDuration(out: Issues, value: JsonValue | undefined, path: FieldPath): void {
  if (typeof value !== "string") return;
  const err = checkDuration(value);
  if (err) out.error(WEBHOOK_FAMILIES.duration, path, err);
}
