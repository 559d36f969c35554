const SECRET_PATTERNS: readonly RegExp[] = [
  /gh[opsuar]_[A-Za-z0-9_]{10,}/g, // GitHub tokens
  /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, // JWTs
  /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, // PEM keys
  /\b(token|bearer)\s+[\w.-]{8,}/gi,
];

/** Strips anything shaped like a credential, for text that may quote a request (errors from Octokit). */
export function redact(text: string): string {
  return SECRET_PATTERNS.reduce((t, re) => t.replace(re, "[redacted]"), text);
}

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** One JSON line per event: names and IDs, never payloads or secrets. */
export function log(event: string, fields: LogFields = {}): void {
  const clean: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) clean[k] = typeof v === "string" ? redact(v) : v;
  console.log(JSON.stringify({ event, ...clean }));
}

/** An error's message, credentials removed, for logs. */
export function errorMessage(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error)).slice(0, 500);
}
