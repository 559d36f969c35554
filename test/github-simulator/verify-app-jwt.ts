import { createPublicKey, verify } from "node:crypto";
import type { SimulatorApp } from "./simulator-state.ts";

export type JwtCheck = { ok: true } | { ok: false; message: string };

const UNDECODABLE = "A JSON web token could not be decoded";
/** GitHub accepts `iat` a little in the future and `exp` at most 10 minutes after it. */
const CLOCK_SKEW_SECONDS = 60;
const MAX_LIFETIME_SECONDS = 600;

/**
 * Verifies an app JWT as GitHub does: RS256 with the app's public key, `iss` the app id (number or
 * string) or client id, not expired, `exp` at most 10 minutes ahead, `iat` not in the future beyond
 * the clock-skew allowance. Messages are GitHub's.
 */
export function verifyAppJwt(token: string, app: SimulatorApp, nowSeconds: number): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, message: UNDECODABLE };
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (header === null || payload === null || header["alg"] !== "RS256") return { ok: false, message: UNDECODABLE };
  const signed = verify("RSA-SHA256", Buffer.from(`${headerPart}.${payloadPart}`), createPublicKey(app.publicKeyPem), Buffer.from(signaturePart, "base64url"));
  if (!signed) return { ok: false, message: UNDECODABLE };
  const { iss, iat, exp } = payload;
  if (!(iss === app.id || iss === String(app.id) || (app.clientId !== undefined && iss === app.clientId))) {
    return { ok: false, message: UNDECODABLE };
  }
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > nowSeconds + CLOCK_SKEW_SECONDS) {
    return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" };
  }
  if (typeof exp !== "number" || !Number.isInteger(exp) || exp <= nowSeconds) {
    return { ok: false, message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires" };
  }
  if (exp - iat > MAX_LIFETIME_SECONDS || exp > nowSeconds + MAX_LIFETIME_SECONDS) {
    return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  }
  return { ok: true };
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
