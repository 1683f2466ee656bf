import {
  personalFieldsOf,
  RETENTION_CLASSES,
  retentionYear,
  type RetentionClass,
} from '@samverkan/domain/personal-fields';
import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import type { EntityManager } from 'typeorm';

/**
 * Gallring in the read models. When a retention period ends, the keys of its years are
 * destroyed and sealed texts stop opening; but a row itself (that a talk was held, when, by
 * whom; a restricted report's place and dates; who read what) is personal data too. So:
 *
 * - The retention job records, per class, the first year still kept (`retention_cutoffs`),
 *   then has each projection clear its rows past retention (`clearExpired`).
 * - The projections apply the same rule as they fold: an event past its retention period takes
 *   its row away and never makes one. A rebuild after gallring therefore builds what the
 *   job left, and a late event dated in a gallrad year is never shown.
 *
 * The rule, one for both: a row goes when any event folded into it is past its retention
 * period, and nothing after brings it back. Rows that are one event each (the read-access log in
 * the audit trail) go with their event.
 */

/** Per class, the first year still kept: events of earlier years are past retention. */
export type RetentionCutoffs = Readonly<Partial<Record<RetentionClass, number>>>;

/** What a projection clears: the cutoffs, and the streams that hold an event past them. */
export interface ExpiredRecords {
  readonly cutoffs: RetentionCutoffs;
  /**
   * Streams with an event past its retention period among the events a projection folds per
   * stream (its `streams`): the job finds them in the log with `isPastRetention`.
   */
  readonly streamIds: readonly string[];
}

/** How a projection takes part in gallring. */
export interface ProjectionRetention {
  /** The class of the rows it clears (for the counts the job records). */
  readonly retention: RetentionClass;
  /**
   * Rows built per stream from these events (a talk's row, a report's): a stream with one of
   * them past its retention period loses its row.
   */
  readonly streams?: { readonly streamPrefix: string; readonly eventTypes: readonly string[] };
  /** Deletes what is past retention from the table set `schema`; returns how many rows. */
  clearExpired(tx: EntityManager, schema: string, expired: ExpiredRecords): Promise<number>;
}

/** True when the event belongs to a retention class and its year is before the class's cutoff. */
export function isPastRetention(
  event: Pick<RecordedEvent, 'type' | 'data' | 'streamId' | 'occurredAt'>,
  cutoffs: RetentionCutoffs,
): boolean {
  const { retention } = personalFieldsOf(event.type, event.data, event.streamId);
  if (retention === undefined) return false;
  const keptFrom = cutoffs[retention];
  return keptFrom !== undefined && retentionYear(event.occurredAt) < keptFrom;
}

interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** Made by the read models' migrations (RetentionCutoffs1764000000004). */
export const RETENTION_CUTOFFS_TABLE = 'projections.retention_cutoffs';
const TABLE = RETENTION_CUTOFFS_TABLE;

/** The cutoffs the retention job recorded (none before its first run). */
export async function readRetentionCutoffs(db: Queryable): Promise<RetentionCutoffs> {
  const rows = await db.query<{ retention_class: RetentionClass; kept_from_year: number }[]>(
    `select retention_class, kept_from_year from ${TABLE}`,
  );
  return Object.fromEntries(rows.map((r) => [r.retention_class, Number(r.kept_from_year)]));
}

/**
 * The cutoffs for a batch: read only when one of its events belongs to a retention class, so
 * batches of anything else cost no query. Read in the batch's transaction: the job records new
 * cutoffs before it clears rows under the projection's lease, so a batch that read the old ones
 * has committed before the clearing starts, and every later batch reads the new ones.
 */
export async function retentionCutoffsFor(
  tx: Queryable,
  events: readonly RecordedEvent[],
): Promise<RetentionCutoffs> {
  const classed = events.some(
    (e) => personalFieldsOf(e.type, e.data, e.streamId).retention !== undefined,
  );
  return classed ? readRetentionCutoffs(tx) : {};
}

/**
 * Records the cutoffs; a cutoff only ever moves forward (a longer period configured later does
 * not bring back what was gallrad: its keys are gone).
 */
export async function raiseRetentionCutoffs(
  db: Queryable,
  cutoffs: RetentionCutoffs,
): Promise<void> {
  const classes = RETENTION_CLASSES.filter((c) => cutoffs[c] !== undefined);
  if (classes.length === 0) return;
  await db.query(
    `insert into ${TABLE} as t (retention_class, kept_from_year)
     select * from unnest($1::text[], $2::integer[])
     on conflict (retention_class) do update
       set kept_from_year = excluded.kept_from_year, updated_at = now()
       where t.kept_from_year < excluded.kept_from_year`,
    [classes, classes.map((c) => cutoffs[c])],
  );
}

/** Deletes the rows of `table` whose `column` names one of the streams (minus their prefix). */
export async function deleteRowsOfStreams(
  tx: Queryable,
  table: string,
  column: string,
  streamPrefix: string,
  streamIds: readonly string[],
): Promise<number> {
  const ids = streamIds
    .filter((s) => s.startsWith(streamPrefix))
    .map((s) => s.slice(streamPrefix.length));
  if (ids.length === 0) return 0;
  const [row] = await tx.query<{ n: number }[]>(
    `with gone as (delete from ${table} where ${column} = any($1::text[]) returning 1)
     select count(*)::int as n from gone`,
    [ids],
  );
  return row?.n ?? 0;
}
