import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import type { EntityManager } from 'typeorm';

/**
 * A projection turns events into read-model rows. `apply` runs inside the transaction that also
 * moves the projection's checkpoint, so a batch is applied wholly or not at all. It must be
 * idempotent per event (applying the same events twice changes nothing): a rebuild and a
 * restart both rely on it.
 */
export interface Projection {
  readonly name: string;
  apply(events: readonly RecordedEvent[], tx: EntityManager): Promise<void>;
}
