/**
 * One error type per meaning. Each carries a stable code (`AREA.REASON`) that the HTTP layer,
 * the CLI and the Kafka relay map to their own output in one place each.
 */
export type ErrorKind =
  | 'invalid_input'
  | 'concurrency'
  | 'not_found'
  | 'forbidden'
  | 'unauthenticated'
  | 'conflict'
  | 'unavailable'
  | 'rejected'
  | 'rate_limited';

export abstract class SamverkanError extends Error {
  abstract readonly kind: ErrorKind;

  protected constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One invalid field of an input: where it is (a JSON-path-like string) and what is wrong. */
export interface InvalidField {
  readonly path: string;
  readonly reason: string;
}

export class InvalidInputError extends SamverkanError {
  readonly kind = 'invalid_input' as const;

  constructor(
    code: string,
    readonly fields: readonly InvalidField[],
  ) {
    super(code, fields.map((f) => `${f.path}: ${f.reason}`).join('; '));
  }
}

/** Too many requests from one caller in the current window: try again after `retryAfterSeconds`. */
export class RateLimitedError extends SamverkanError {
  readonly kind = 'rate_limited' as const;

  constructor(readonly retryAfterSeconds: number) {
    super('REQUEST.RATE_LIMITED', `Too many requests; try again in ${retryAfterSeconds} s`);
  }
}
