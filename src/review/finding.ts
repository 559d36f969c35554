import type { FieldPath } from "../mesh/field-path.ts";
import { formatFieldPath } from "../mesh/field-path.ts";
import type { Resource, ResourceRef } from "../mesh/resource.ts";
import { refOf } from "../mesh/resource.ts";

export type Severity = "error" | "warning" | "info";

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

/**
 * One problem found, as data (the JSON contract of PRODUCT.md). `code` is Istio's IST code where Istio
 * has one, else a stable MG code; `rule` names the check (istioctl analyzer name, or policy id).
 */
export interface Finding {
  readonly code: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly resource: ResourceRef | null;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The field the finding is about, `spec.http[0].route[1].weight`, when there is one. */
  readonly path?: string;
  /** The Kiali check this corresponds to (`KIA0101`), for checks that mirror Kiali. */
  readonly kiali?: string;
  /** The admission-webhook rule family (`weight`, `host`…) of an IST0106/IST0133, finer than Istio's code. */
  readonly family?: string;
}

export interface FindingInput {
  readonly code: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly kiali?: string;
  readonly family?: string;
}

/** A finding about a field of a resource, positioned on that field's line. */
export function findingAt(resource: Resource, path: FieldPath, input: FindingInput): Finding {
  const pos = resource.locate(path);
  const base = {
    ...input,
    resource: refOf(resource),
    file: resource.source.file,
    line: pos.line,
    column: pos.column,
  };
  return path.length > 0 ? { ...base, path: formatFieldPath(path) } : base;
}

/** A finding about a file as a whole or a spot in it where no resource could be read. */
export function findingInFile(file: string, line: number, column: number, input: FindingInput): Finding {
  return { ...input, resource: null, file, line, column };
}
