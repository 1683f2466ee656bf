import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { startOfRetentionYear } from '@samverkan/domain/personal-data/retention';
import type { Projection } from '../projection';
import { isPastRetention, retentionCutoffsFor } from '../retention';

/**
 * The audit trail: who did what and when, from the envelope of every event, and for a read of
 * restricted data (the read-access log) what was read, on what ground and for what purpose
 * (version 2). One statement per
 * batch (arrays unnested server-side), and `on conflict do nothing`, so applying a batch again
 * changes nothing.
 */
const READ_EVENT = 'RestrictedDataRead';

/** What a read of restricted data was: the stream and kind read, the ground and the purpose. */
function readOf(event: RecordedEvent): Record<string, unknown> {
  const { streamId, resourceKind, ground, purpose, legalGround } = event.data as Record<
    string,
    unknown
  >;
  return { streamId, resourceKind, ground, purpose, legalGround: legalGround ?? null };
}

export const auditTrailProjection: Projection = {
  name: 'audit-trail',
  version: 2,
  tables: ['audit_trail'],
  createTables: (schema) => [
    `create table ${schema}.audit_trail (
       global_position bigint primary key,
       event_id uuid not null,
       stream_id text not null,
       revision bigint not null,
       event_type text not null,
       actor_user_id text not null,
       actor_agency text not null,
       actor_role text not null,
       occurred_at timestamptz not null,
       recorded_at timestamptz not null,
       correlation_id text not null,
       causation_id text,
       read jsonb
     )`,
    `create index on ${schema}.audit_trail (actor_agency, recorded_at)`,
    `create index on ${schema}.audit_trail (stream_id, revision)`,
  ],
  async apply(batch: readonly RecordedEvent[], tx: EntityManager, schema: string): Promise<void> {
    // A read whose retention period ended is not entered (as the retention job clears it).
    const reads = batch.filter((e) => e.type === READ_EVENT);
    const cutoffs = await retentionCutoffsFor(tx, reads);
    const events = reads.some((e) => isPastRetention(e, cutoffs))
      ? batch.filter((e) => e.type !== READ_EVENT || !isPastRetention(e, cutoffs))
      : batch;
    if (events.length === 0) return;
    const column = <T>(pick: (e: RecordedEvent) => T): T[] => events.map(pick);
    await tx.query(
      `insert into ${schema}.audit_trail (global_position, event_id, stream_id, revision,
         event_type, actor_user_id, actor_agency, actor_role, occurred_at, recorded_at,
         correlation_id, causation_id, read)
       select * from unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[],
         $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[], $11::text[],
         $12::text[], $13::jsonb[])
       on conflict (global_position) do nothing`,
      [
        column((e) => e.globalPosition),
        column((e) => e.eventId),
        column((e) => e.streamId),
        column((e) => e.revision),
        column((e) => e.type),
        column((e) => e.actor.userId),
        column((e) => e.actor.agency),
        column((e) => e.actor.role),
        column((e) => e.occurredAt.toISOString()),
        column((e) => e.recordedAt.toISOString()),
        column((e) => e.correlationId),
        column((e) => e.causationId),
        column((e) => (e.type === READ_EVENT ? JSON.stringify(readOf(e)) : null)),
      ],
    );
  },
  // The read-access log: each read is a row of its own, gone with its year.
  retention: {
    retention: 'read-access-log',
    async clearExpired(tx, schema, { cutoffs }) {
      const keptFrom = cutoffs['read-access-log'];
      if (keptFrom === undefined) return 0;
      const [row] = await tx.query<{ n: number }[]>(
        `with gone as (
           delete from ${schema}.audit_trail
            where event_type = $1 and occurred_at < $2::timestamptz returning 1)
         select count(*)::int as n from gone`,
        [READ_EVENT, startOfRetentionYear(keptFrom).toISOString()],
      );
      return row?.n ?? 0;
    },
  },
};
