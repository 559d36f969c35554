import { DestinationRule, Gateway, ServiceEntry, VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1";
import { AuthorizationPolicy, PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1";
import type { Resource } from "../src/mesh/resource.ts";
import { validateSchema } from "../src/validation/schema/validate-schema.ts";
import { timeMedians, type Timing } from "./time-median.ts";

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

/** `@kubernetes-models/istio` classes for the kinds and versions the generated repos use. */
const MODELS: Readonly<Record<string, ModelClass>> = {
  "networking.istio.io/v1/VirtualService": VirtualService,
  "networking.istio.io/v1/DestinationRule": DestinationRule,
  "networking.istio.io/v1/Gateway": Gateway,
  "networking.istio.io/v1/ServiceEntry": ServiceEntry,
  "security.istio.io/v1/PeerAuthentication": PeerAuthentication,
  "security.istio.io/v1/AuthorizationPolicy": AuthorizationPolicy,
};

const MIN_VALIDATIONS_PER_RUN = 20_000;

export interface SchemaRow {
  readonly kind: string;
  readonly documents: number;
  /** Microseconds per document. */
  readonly meshgate: number;
  /** `model.validate()` on models built beforehand: the validator alone, the fair match for `validateSchema`. */
  readonly models: number;
  /** `new Model(plainObject).validate()`: what a caller holding parsed YAML pays with that library. */
  readonly modelsWithConstruct: number;
  /** Documents each side rejected (all are valid, so both should be 0). */
  readonly meshgateRejected: number;
  readonly modelsRejected: number;
}

const build = (r: Resource): Validatable => new (MODELS[`${r.apiVersion}/${r.kind}`] as ModelClass)(r.body as never);

function accepts(model: Validatable): boolean {
  try {
    model.validate();
    return true;
  } catch {
    return false;
  }
}

function measureRow(kind: string, docs: readonly Resource[], runs: number): SchemaRow {
  const models = docs.map(build);
  // Small kinds are validated several times over per timed run, so no run is too short for the clock on a busy machine.
  const reps = Math.max(1, Math.ceil(MIN_VALIDATIONS_PER_RUN / docs.length));
  const perDoc = (ms: number): number => (ms * 1000) / (docs.length * reps);
  const repeat = (fn: () => void) => () => { for (let i = 0; i < reps; i++) fn(); };
  const [meshgate, validateOnly, withConstruct] = timeMedians([
    repeat(() => { for (const r of docs) validateSchema(r); }),
    repeat(() => { for (const m of models) accepts(m); }),
    repeat(() => { for (const r of docs) accepts(build(r)); }),
  ], runs, 2) as [Timing, Timing, Timing];
  return {
    kind,
    documents: docs.length,
    meshgate: perDoc(meshgate.median),
    models: perDoc(validateOnly.median),
    modelsWithConstruct: perDoc(withConstruct.median),
    meshgateRejected: docs.filter((r) => validateSchema(r).some((f) => f.severity === "error")).length,
    modelsRejected: models.filter((m) => !accepts(m)).length,
  };
}

/** Per-document schema validation time, meshgate vs `@kubernetes-models/istio`, per kind and over all of them. */
export function compareSchemaValidators(resources: readonly Resource[], runs = 7): { rows: SchemaRow[]; all: SchemaRow } {
  const istio = resources.filter((r) => MODELS[`${r.apiVersion}/${r.kind}`] !== undefined);
  const kinds = [...new Set(istio.map((r) => r.kind))];
  const rows = kinds.map((kind) => measureRow(kind, istio.filter((r) => r.kind === kind), runs));
  return { rows, all: measureRow("all", istio, runs) };
}
