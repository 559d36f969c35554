import type { FieldPath } from "../../mesh/field-path.ts";
import { isObject, type JsonObject } from "../../mesh/json.ts";
import type { Resource } from "../../mesh/resource.ts";
import { WEBHOOK_FAMILIES } from "./webhook-families.ts";
import { validateDuration } from "./durations.ts";
import { checkStrictHeaderName } from "./headers.ts";
import { checkJwksUri } from "./parse-jwks-uri.ts";
import { listAt, stringAt } from "./read-spec.ts";
import { validatePolicyTarget } from "./validate-policy-target.ts";
import type { Issues } from "./webhook-issues.ts";

const FAMILY = WEBHOOK_FAMILIES.jwt;

/** `ValidateRequestAuthentication`. */
export function validateRequestAuthentication(out: Issues, resource: Resource): void {
  validatePolicyTarget(out, resource.spec);
  for (const [i, rule] of listAt(resource.spec.jwtRules).entries()) {
    if (isObject(rule)) validateJwtRule(out, rule, ["spec", "jwtRules", i]);
  }
}

/** `validateJwtRule`. */
function validateJwtRule(out: Issues, rule: JsonObject, path: FieldPath): void {
  for (const [i, audience] of listAt(rule.audiences).entries()) {
    if (stringAt(audience) === "") out.error(FAMILY, [...path, "audiences", i], "audience must be non-empty string");
  }
  const jwksUri = stringAt(rule.jwksUri);
  if (stringAt(rule.issuer) === "" && jwksUri === "") out.error(FAMILY, path, "issuer or jwksUri must be non-empty string");
  const uriErr = jwksUri !== "" ? checkJwksUri(jwksUri) : undefined;
  if (uriErr) out.error(FAMILY, [...path, "jwksUri"], uriErr);
  const jwks = stringAt(rule.jwks);
  const jwksErr = jwks !== "" ? checkJwks(jwks) : undefined;
  if (jwksErr) out.error(FAMILY, [...path, "jwks"], `jwks parse error: ${jwksErr}`);
  for (const [i, location] of listAt(rule.fromHeaders).entries()) {
    const at = [...path, "fromHeaders", i];
    if (!isObject(location)) out.error(FAMILY, at, "location header name must be non-null");
    else if (stringAt(location.name) === "") out.error(FAMILY, at, "location header name must be non-empty string");
  }
  for (const [i, param] of listAt(rule.fromParams).entries()) {
    if (stringAt(param) === "") out.error(FAMILY, [...path, "fromParams", i], "location query must be non-empty string");
  }
  for (const [i, cookie] of listAt(rule.fromCookies).entries()) {
    if (stringAt(cookie) === "") out.error(FAMILY, [...path, "fromCookies", i], "cookie name must be non-empty string");
  }
  for (const [i, item] of listAt(rule.outputClaimToHeaders).entries()) {
    const at = [...path, "outputClaimToHeaders", i];
    if (!isObject(item)) {
      out.error(FAMILY, at, "outputClaimToHeaders must not be null");
      continue;
    }
    const header = stringAt(item.header);
    if (stringAt(item.claim) === "" || header === "") {
      out.error(FAMILY, at, "outputClaimToHeaders header and claim value must be non-empty string");
      continue;
    }
    const err = checkStrictHeaderName(header);
    if (err) out.error(FAMILY, [...at, "header"], err);
  }
  validateDuration(out, rule.timeout, [...path, "timeout"]);
}

/**
 * The structural part of `jwk.Parse`: a JSON object that is a key (`kty`) or a key set (`keys`).
 * Key material itself is not checked (Istio's conformance test skips jwks errors too).
 */
function checkJwks(jwks: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jwks);
  } catch (e) {
    return `failed to unmarshal JWK set: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!isObject(parsed)) return "failed to unmarshal JWK set: not a JSON object";
  if (Array.isArray(parsed.keys) || typeof parsed.kty === "string") return undefined;
  return "failed to parse sole key in key set: invalid key type from JSON ()";
}
