/**
 * The finding codes of schema validation (MG2xxx), one per kind of problem, so users can filter or
 * suppress them. Messages are the Kubernetes API server's texts.
 */
export const SCHEMA_CODES = {
  /** A field the schema does not declare: the API server would drop it silently (usually a typo). */
  unknownField: "MG2001",
  /** A value of the wrong type, including `null` where none is allowed. */
  type: "MG2002",
  /** A required field is missing. */
  required: "MG2003",
  /** A value outside the field's enum. */
  unsupportedValue: "MG2004",
  /** Format, range, length, pattern, item- or property-count violations. */
  invalidValue: "MG2005",
  /** An `x-kubernetes-validations` CEL rule evaluated to false. */
  celRule: "MG2006",
  /** A CEL rule could not be evaluated on this value (the API server rejects the object too). */
  celError: "MG2007",
  /** A duplicate entry in a list of `x-kubernetes-list-type` set or map. */
  duplicate: "MG2008",
  /** A oneOf/anyOf/allOf/not constraint is violated (e.g. two fields of a protobuf oneof set). */
  composition: "MG2009",
  /** CEL rules were not checked because the object has blocking schema errors (as the API server does). */
  celSkipped: "MG2010",
} as const;

export type SchemaCode = (typeof SCHEMA_CODES)[keyof typeof SCHEMA_CODES];
