export interface RateLimitState {
  limit: number;
  remaining: number;
  used: number;
  /** Epoch seconds when the window resets. */
  reset: number;
  resource: string;
}

/**
 * GitHub's primary rate limit: a budget per hour per installation (and per resource: `core`,
 * `graphql`), the window starting with the first request. Exhausted budgets are reported, not consumed.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { used: number; reset: number }>();
  readonly #limit: number;

  /** `limitPerHour` is the default budget; `take` may name another (60 for unauthenticated callers). */
  constructor(limitPerHour: number) {
    this.#limit = limitPerHour;
  }

  /** Counts one request for `key`; `allowed` false when the budget was already spent. */
  take(key: string, resource: string, nowSeconds: number, limit = this.#limit): { allowed: boolean; state: RateLimitState } {
    const id = `${key}|${resource}`;
    let window = this.#windows.get(id);
    if (window === undefined || nowSeconds >= window.reset) {
      window = { used: 0, reset: nowSeconds + 3600 };
      this.#windows.set(id, window);
    }
    const allowed = window.used < limit;
    if (allowed) window.used++;
    return { allowed, state: { limit, remaining: limit - window.used, used: window.used, reset: window.reset, resource } };
  }
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "x-ratelimit-limit": String(state.limit),
    "x-ratelimit-remaining": String(state.remaining),
    "x-ratelimit-used": String(state.used),
    "x-ratelimit-reset": String(state.reset),
    "x-ratelimit-resource": state.resource,
  };
}
