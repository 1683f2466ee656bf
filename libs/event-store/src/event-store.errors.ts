import { SamverkanError } from '@samverkan/shared/errors';
import type { ExpectedRevision } from './event-store.port';

/** The stream is not at the revision the writer expected; nothing was written. */
export class ConcurrencyError extends SamverkanError {
  readonly kind = 'concurrency' as const;

  constructor(
    readonly streamId: string,
    readonly expectedRevision: ExpectedRevision,
    /** The stream's revision when the append was refused; null when the stream has no events. */
    readonly actualRevision: number | null,
  ) {
    super(
      'EVENT_STORE.WRONG_EXPECTED_REVISION',
      `Stream '${streamId}' was expected at revision ${String(expectedRevision)} but is at ${
        actualRevision === null ? 'no_stream' : String(actualRevision)
      }; nothing was written`,
    );
  }
}

/**
 * An event id given to an append was stored before in another stream or with another type: a
 * retry must send the same events, and a new event needs a new id. Nothing was written.
 */
export class EventIdReusedError extends SamverkanError {
  readonly kind = 'conflict' as const;

  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(
      'EVENT_STORE.EVENT_ID_REUSED',
      `Append to '${streamId}' reuses event ids already stored in another stream or with another type: ${eventIds.join(', ')}; nothing was written`,
    );
  }
}

/** The store cannot be reached or is not started. */
export class EventStoreUnavailableError extends SamverkanError {
  readonly kind = 'unavailable' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super('EVENT_STORE.UNAVAILABLE', message, options);
  }
}
