import { isObject, type JsonObject, type JsonValue } from "../../mesh/json.ts";

/**
 * Readers that see plain YAML data the way Istio's protobuf decoding does, so "unset" means what it
 * means to the webhook: an absent or null message is nil, an empty list is nil (protojson appends
 * nothing), an empty map is not (protojson allocates it), and scalars fall back to their zero value.
 * Values of the wrong type read as unset; the schema layer reports them.
 */
export function objectAt(value: JsonValue | undefined): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function listAt(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

export function stringAt(value: JsonValue | undefined): string {
  return typeof value === "string" ? value : "";
}

export function numberAt(value: JsonValue | undefined): number {
  return typeof value === "number" ? value : 0;
}

export function boolAt(value: JsonValue | undefined): boolean {
  return value === true;
}

/** Strings of a list, with their index (non-strings are skipped: the schema reports them). */
export function stringsAt(value: JsonValue | undefined): [number, string][] {
  const out: [number, string][] = [];
  for (const [i, item] of listAt(value).entries()) if (typeof item === "string") out.push([i, item]);
  return out;
}

/** True when the field holds a non-empty list. */
export function hasItems(value: JsonValue | undefined): boolean {
  return Array.isArray(value) && value.length > 0;
}

/** A `google.protobuf.*Value` wrapper given as a plain scalar in YAML: present when not null. */
export function isSet(value: JsonValue | undefined): value is JsonValue {
  return value !== undefined && value !== null;
}
