/** Bounds on untrusted input. Every one has a sane default and can be raised or lowered. */
export interface ParseLimits {
  /** Largest file read, in bytes. */
  readonly maxFileBytes: number;
  /** Most YAML documents (after `kind: List` expansion) read from one file. */
  readonly maxDocumentsPerFile: number;
  /** Most alias expansions per document: bounds "billion laughs" alias bombs. */
  readonly maxAliasCount: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxFileBytes: 4 * 1024 * 1024,
  maxDocumentsPerFile: 10_000,
  maxAliasCount: 100,
};
