import type { AgencyCode } from '@samverkan/domain/agencies/agencies';
import type { EventStore, JsonObject } from '@samverkan/event-store/event-store.port';
import { SqlEventStore } from '@samverkan/event-store/sql/sql-event-store';
import type { DataKeys } from '@samverkan/event-store/protection/data-keys.port';

/** An event as stored: who appended it (the controller of its data) and its sealed data. */
export interface StoredRecord {
  readonly eventId: string;
  readonly type: string;
  readonly agency: AgencyCode;
  readonly data: JsonObject;
}

/** The key store of personal fields, or a clear refusal where there is none. */
export function dataKeysOf(store: EventStore): { store: SqlEventStore; keys: DataKeys } {
  if (!(store instanceof SqlEventStore) || !store.protection) {
    throw new Error('Erasure and redaction need the encryption of personal fields (a SQL store)');
  }
  return { store, keys: store.protection.keys };
}

/**
 * Events as stored, with their envelopes (which name the keys to destroy), selected by id or
 * by stream and types. Read with the application's role; never revealed.
 */
export async function storedRecords(
  store: SqlEventStore,
  where:
    | { readonly eventIds: readonly string[] }
    | {
        readonly streamId: string;
        readonly types: readonly string[];
        readonly beforePosition: number;
      },
): Promise<StoredRecord[]> {
  const rows = await store.sqlClient.query<{
    event_id: string;
    type: string;
    actor_agency: string;
    data: JsonObject;
  }>(
    'eventIds' in where
      ? `select event_id::text as event_id, type, actor_agency, data from event_store.events
          where event_id = any($1::uuid[])`
      : `select event_id::text as event_id, type, actor_agency, data from event_store.events
          where stream_id = $1 and type = any($2::text[]) and global_position < $3
          order by revision`,
    'eventIds' in where
      ? [where.eventIds.map((id) => id.toLowerCase())]
      : [where.streamId, [...where.types], where.beforePosition],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    type: r.type,
    agency: r.actor_agency as AgencyCode,
    data: r.data,
  }));
}
