/**
 * Remembers the answers to commands sent with an `Idempotency-Key`, so that a retried request
 * writes nothing new and gets the first answer back. Keys are scoped per caller: two agencies
 * using the same key never see each other's answers.
 */
export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

export interface StoredAnswer {
  readonly statusCode: number;
  readonly body: unknown;
}

export type IdempotencyClaim =
  /** This request holds the key now: run the command, then `complete` or `release`. */
  | { readonly kind: 'claimed'; readonly retryOfUnfinished: boolean }
  /** A request with this key finished before: its answer. */
  | { readonly kind: 'answered'; readonly answer: StoredAnswer }
  /** A request with this key is running right now. */
  | { readonly kind: 'in_progress' }
  /** The key was used before for a different request. */
  | { readonly kind: 'mismatch' };

export interface IdempotencyStore {
  /**
   * Claims the key for a request. A claim left unfinished for longer than `leaseMs` (the
   * process died mid-command) may be claimed again by a retry of the same request.
   */
  claim(
    scope: string,
    key: string,
    requestHash: string,
    leaseMs: number,
  ): Promise<IdempotencyClaim>;
  complete(scope: string, key: string, answer: StoredAnswer): Promise<void>;
  /** Gives the key up after a failed command, so the caller may retry it. */
  release(scope: string, key: string): Promise<void>;
}
