import type { LogAccess, StoredRecord, StoredRecordsWhere } from '../log-access.port';
import type { JsonObject } from '../event-store.port';
import { exportBlockHeads } from '../tamper-evidence/block-heads';
import { SqlLogSealer } from '../tamper-evidence/sql-log-sealer';
import { verifyLog } from '../tamper-evidence/sql-log-verifier';
import type { SqlEventStore } from './sql-event-store';

/** LogAccess on a SQL store with field protection; undefined for one without. */
export function sqlLogAccess(
  store: SqlEventStore,
  adapter: 'postgres' | 'embedded',
): LogAccess | undefined {
  const protection = store.protection;
  if (!protection) return undefined;
  const sql = store.sqlClient;
  return {
    adapter,
    fields: protection.fields,
    keys: protection.keys,
    sql,
    get eventsEditable() {
      return store.eventsMayBeEdited;
    },
    async storedRecords(where: StoredRecordsWhere): Promise<StoredRecord[]> {
      const rows = await sql.query<{
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
        agency: r.actor_agency,
        data: r.data,
      }));
    },
    async underLease<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
      // The embedded database is one session: no transaction can stay open while the work
      // runs on it, and no other process shares the log.
      if (adapter === 'embedded') return work();
      return sql.transaction(async (tx) => {
        const [lease] = await tx.query<{ held: boolean }>(
          'select pg_try_advisory_xact_lock(hashtext($1)) as held',
          [`samverkan.${name}`],
        );
        return lease?.held ? work() : undefined;
      });
    },
    async seal(keys) {
      return new SqlLogSealer(sql, keys).sealThrough(await store.finalPosition());
    },
    verify: (keys, onProgress) => verifyLog(sql, keys, onProgress),
    exportHeads: (keys) => exportBlockHeads(sql, keys),
  };
}
