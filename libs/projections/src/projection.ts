import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import type { ProjectionRetention } from './retention';

/**
 * A projection turns events into read-model rows. Its tables live in a *table set*: a schema of
 * their own (`rm_<name>_<generation>`), so a rebuild can fill a fresh set while the old one keeps
 * serving, and switch over in one transaction. Readers never name a table set: they read the
 * views in schema `projections`, which point at the active one.
 *
 * `apply` runs inside the transaction that also moves the projection's checkpoint, so a batch is
 * applied wholly or not at all. It must be idempotent per event (applying the same events twice
 * changes nothing): a restart after a crash between batches relies on it.
 */
export interface Projection {
  readonly name: string;
  /** Bumped when `createTables` changes; `GET /projections` shows the version of the active set. */
  readonly version: number;
  /** The tables it owns: each is visible to readers as the view `projections.<table>`. */
  readonly tables: readonly string[];
  /**
   * The event types it folds, when not all: the runner reads only these from the log (the rest
   * is neither fetched nor parsed). Its checkpoint still keeps up with the log's head.
   */
  readonly eventTypes?: readonly string[];
  /** The DDL of its tables in `schema` (an identifier the runner made; safe to interpolate). */
  createTables(schema: string): readonly string[];
  apply(events: readonly RecordedEvent[], tx: EntityManager, schema: string): Promise<void>;
  /**
   * Gallring: how it clears rows whose retention period ended (and `apply` skips them alike).
   * Absent: it keeps no rows a retention period covers.
   */
  readonly retention?: ProjectionRetention;
}
