/** What a route answers; the server adds GitHub's common headers and serializes it. */
export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; omitted for 204. */
  body?: unknown;
  /** Raw bytes instead of JSON (the `raw` media type). */
  raw?: { contentType: string; bytes: Buffer };
}

const DOCS = "https://docs.github.com/rest";

export function ok(body: unknown, status = 200, headers?: Record<string, string>): ApiResponse {
  return headers === undefined ? { status, body } : { status, body, headers };
}

/** GitHub's error body: `{message, documentation_url, status}` with the status as a string. */
export function apiError(status: number, message: string, extra: Record<string, unknown> = {}, documentationUrl = DOCS): ApiResponse {
  return { status, body: { message, ...extra, documentation_url: documentationUrl, status: String(status) } };
}

export function notFound(): ApiResponse {
  return apiError(404, "Not Found");
}

export interface ValidationErrorItem {
  resource: string;
  code: string;
  field: string;
  message?: string;
}

/** 422 "Validation Failed" with GitHub's `errors` array. */
export function validationFailed(errors: ValidationErrorItem[]): ApiResponse {
  return apiError(422, "Validation Failed", { errors });
}

/** 422 the way GitHub answers a request body that fails its JSON schema ("Invalid request.\n\n…"). */
export function invalidRequest(detail: string): ApiResponse {
  return apiError(422, `Invalid request.\n\n${detail}`);
}
