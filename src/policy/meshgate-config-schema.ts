import published from "../../schemas/meshgate-config.schema.json" with { type: "json" };
import { isObject, type JsonObject, type JsonValue } from "../mesh/json.ts";
import type { Policy } from "./policy.ts";

const PUBLISHED = published as unknown as JsonObject;

/**
 * The JSON Schema of `.meshgate.yaml` with one entry per policy under `policies`: the settings every
 * policy takes (`off`, `severity`, `exempt`; the published file's `policies.additionalProperties`) plus
 * the policy's own parameters with their schemas, nothing else.
 *
 * Without `customIds` this is the published schema (`schemas/meshgate-config.schema.json`, written by
 * the build): other ids stay open there, since custom rules are named in the same file. With the ids of
 * the file's custom rules, any other id is an unknown field, so a misspelt policy id is reported (with
 * the closest id) instead of silently tuning nothing.
 */
export function meshgateConfigSchema(policies: readonly Policy[], customIds?: readonly string[]): JsonObject {
  const props = isObject(PUBLISHED.properties) ? PUBLISHED.properties : {};
  const section = isObject(props.policies) ? props.policies : {};
  const generic = isObject(section.additionalProperties) ? section.additionalProperties : {};
  const properties: JsonObject = {};
  for (const p of policies) properties[p.id] = withParameters(generic, p);
  for (const id of customIds ?? []) properties[id] ??= generic;
  const policiesSchema: JsonObject = { ...section, properties, additionalProperties: customIds === undefined ? generic : false };
  return { ...PUBLISHED, properties: { ...props, policies: policiesSchema } };
}

/** The generic settings with the policy's parameters added to the mapping form (the other form is `off`). */
function withParameters(generic: JsonObject, policy: Policy): JsonObject {
  const forms = Array.isArray(generic.oneOf) ? generic.oneOf : [];
  const oneOf: JsonValue[] = forms.map((form) =>
    isObject(form) && form.type === "object" ? { ...form, properties: { ...(isObject(form.properties) ? form.properties : {}), ...policy.parameterSchemas } } : form,
  );
  return { description: `${policy.title}: ${policy.description}`, oneOf };
}
