/**
 * Counts requests per caller in fixed windows, in the database every API instance shares, so a
 * limit holds across replicas and restarts.
 */
export const RATE_LIMITS = Symbol('RATE_LIMITS');

export interface RateLimitHit {
  /** Requests in the current window, this one included. */
  readonly count: number;
  /** When the current window ends. */
  readonly resetsAt: Date;
}

export interface RateLimits {
  /** Counts one request for `key` in the window of `windowSeconds` that holds now. */
  hit(key: string, windowSeconds: number): Promise<RateLimitHit>;
}
