import { POLICY_FILES } from "../generated/policies.js";
import type { Policy } from "./policy.ts";
import { readPolicy } from "./read-policy.ts";

let cached: readonly Policy[] | undefined;

/** The built-in policies of `policies/`, as bundled at build time. */
export function builtinPolicies(): readonly Policy[] {
  cached ??= POLICY_FILES.map((f) => readPolicy(f.path, f.text));
  return cached;
}
