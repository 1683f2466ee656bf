import type { EventStore } from './event-store.port';
import type { DataKeys } from './protection/data-keys.port';
import type { FieldProtection } from './protection/field-protection';
import type { SqlClient } from './sql/sql-client';

/**
 * A store that keeps a PostgreSQL database beside its log: the log's own (the SQL stores) or
 * the one of DATABASE_URL (EventStoreDB). Told apart by shape rather than class, so that a
 * process on PostgreSQL never loads the EventStoreDB client.
 */
interface StoreWithDatabase {
  readonly sqlClient: SqlClient;
  readonly protection?: { readonly fields: FieldProtection; readonly keys: DataKeys };
}

function withDatabase(store: EventStore): StoreWithDatabase | undefined {
  return 'sqlClient' in store ? (store as EventStore & StoreWithDatabase) : undefined;
}

/**
 * The PostgreSQL database where what is not the log lives (idempotency keys, sign-in, rate
 * limits, the keys of personal data). Undefined for a store with none.
 */
export function databaseBesideLog(store: EventStore): SqlClient | undefined {
  return withDatabase(store)?.sqlClient;
}

/** The encryption of personal fields and its key store, where the store has them. */
export function protectionBesideLog(store: EventStore): StoreWithDatabase['protection'] {
  return withDatabase(store)?.protection;
}
