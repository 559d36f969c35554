import { parseDocuments } from "../src/mesh/parse-documents.ts";
import type { Resource } from "../src/mesh/resource.ts";
import { ISTIO_ANALYZERS } from "../src/validation/analyzers/istio-analyzers.ts";
import { KIALI_CHECKS } from "../src/validation/kiali/kiali-checks.ts";
import { validateSchema } from "../src/validation/schema/validate-schema.ts";
import { validateWebhook } from "../src/validation/webhook/validate-webhook.ts";

export interface EngineStatus {
  /** The schema validator reports a misspelt field and a string where a number belongs. */
  readonly schema: boolean;
  /** The webhook rules report a negative weight. */
  readonly webhook: boolean;
  readonly istioAnalyzers: number;
  readonly kialiChecks: number;
}

// Wrong on purpose: `wieght` is unknown, `number` must be an integer, -10 is a negative weight.
const BROKEN = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: probe, namespace: default}
spec:
  hosts: [probe]
  http:
  - route:
    - destination: {host: probe, port: {number: "eighty"}}
      wieght: 10
    - destination: {host: other}
      weight: -10
`;

/**
 * Which parts of the engine are live. Other work fills them in over time, and a bench run on stubs would
 * report fast but meaningless figures, so the report says what it measured.
 */
export function probeEngine(): EngineStatus {
  const [probe] = parseDocuments({ path: "probe.yaml", content: BROKEN }).resources as [Resource];
  return {
    schema: validateSchema(probe).length > 0,
    webhook: validateWebhook(probe).length > 0,
    istioAnalyzers: ISTIO_ANALYZERS.length,
    kialiChecks: KIALI_CHECKS.length,
  };
}
