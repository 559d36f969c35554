import type { Resource } from "../../mesh/resource.ts";
import { findingAt, type Finding, type FindingInput } from "../../review/finding.ts";
import { validateAuthorizationPolicy } from "./validate-authorization-policy.ts";
import { validateDestinationRule } from "./validate-destination-rule.ts";
import { validateGateway } from "./validate-gateway.ts";
import { validateMetadata } from "./validate-metadata.ts";
import { validatePeerAuthentication } from "./validate-peer-authentication.ts";
import { validateRequestAuthentication } from "./validate-request-authentication.ts";
import { validateServiceEntry } from "./validate-service-entry.ts";
import { validateSidecar } from "./validate-sidecar.ts";
import { validateVirtualService } from "./validate-virtual-service.ts";
import { validateWorkloadEntryResource } from "./validate-workload-entry.ts";
import type { WebhookFamily } from "./webhook-families.ts";
import { collectIssues, type Issues, type WebhookIssue } from "./webhook-issues.ts";

type KindValidator = (out: Issues, resource: Resource) => void;

/**
 * The validator Istio registers per kind. Gateway API kinds map to Istio's `EmptyValidate` (only the
 * CRD schema applies to them), so they, and every kind not listed, get no webhook findings.
 */
const VALIDATORS: Readonly<Record<string, KindValidator>> = {
  "VirtualService.networking.istio.io": validateVirtualService,
  "DestinationRule.networking.istio.io": validateDestinationRule,
  "Gateway.networking.istio.io": validateGateway,
  "ServiceEntry.networking.istio.io": validateServiceEntry,
  "Sidecar.networking.istio.io": validateSidecar,
  "WorkloadEntry.networking.istio.io": validateWorkloadEntryResource,
  "PeerAuthentication.security.istio.io": validatePeerAuthentication,
  "RequestAuthentication.security.istio.io": validateRequestAuthentication,
  "AuthorizationPolicy.security.istio.io": validateAuthorizationPolicy,
};

/** A webhook finding: Istio's code, plus the family of rule it comes from (webhook-families.ts). */
export type WebhookFinding = Finding & { readonly family: WebhookFamily };

/**
 * Istio's admission-webhook rules that the CRD schema cannot express, as findings on the exact field,
 * reported as `istioctl analyze` reports them (`schema.ValidationAnalyzer.<Kind>`, analyzers.md): each
 * error as IST0106 "Schema validation error: %v", each warning as IST0133 "Schema validation
 * warning: %v" (msg/messages.yaml). The unreachable-rule warnings `ValidateVirtualService` also returns
 * are left to the `schema.ValidationAnalyzer.VirtualService` analyzer, which reports them as istioctl
 * does (IST0130/IST0131).
 */
export function validateWebhook(resource: Resource): WebhookFinding[] {
  const validate = VALIDATORS[resource.key];
  if (!validate) return [];
  const out = collectIssues();
  const proceed = validateMetadata(out, resource);
  if (proceed) validate(out, resource);
  const rule = `schema.ValidationAnalyzer.${resource.kind}`;
  return out.list.map((issue) => ({ ...findingAt(resource, issue.path, findingInput(issue, rule)), family: issue.family }));
}

function findingInput(issue: WebhookIssue, rule: string): FindingInput {
  return issue.severity === "error"
    ? { code: "IST0106", rule, severity: "error", message: `Schema validation error: ${issue.message}` }
    : { code: "IST0133", rule, severity: "warning", message: `Schema validation warning: ${issue.message}` };
}
