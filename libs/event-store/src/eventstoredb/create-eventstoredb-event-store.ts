import type { Clock } from '@samverkan/shared/clock';
import type { IdSource } from '@samverkan/shared/ids';
import type { Upcaster } from '../upcasting';
import { PgSqlClient } from '../postgres/pg-sql-client';
import type { MasterKeyRing } from '../protection/master-keys';
import { protectionOn } from '../protection/protection-on';
import type { ErasureLedgerConfig } from '../protection/erasure-ledger-config';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

export interface CreateEventStoreDbOptions {
  /** EVENTSTOREDB_URL. */
  readonly url: string;
  /** DATABASE_URL: the PostgreSQL database for everything that is not the log. */
  readonly connectionString: string;
  readonly poolSize?: number;
  /** The master keys of personal fields' encryption; without them fields are stored as given. */
  readonly masterKeys?: MasterKeyRing;
  /** Where erasures are written before keys are destroyed (kept outside backups). */
  readonly erasureLedger?: ErasureLedgerConfig;
  readonly namespace?: string;
  readonly upcasters?: readonly Upcaster[];
  readonly clock?: Clock;
  readonly ids?: IdSource;
}

/** The event store on EventStoreDB, with PostgreSQL beside it (selected by EVENTSTOREDB_URL). */
export function createEventStoreDbEventStore(
  options: CreateEventStoreDbOptions,
): EventStoreDbEventStore {
  const sql = new PgSqlClient({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    application_name: 'samverkan',
  });
  return new EventStoreDbEventStore({
    url: options.url,
    sql,
    ...(options.masterKeys
      ? { protection: protectionOn(sql, options.masterKeys, options.erasureLedger) }
      : {}),
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.upcasters ? { upcasters: options.upcasters } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.ids ? { ids: options.ids } : {}),
  });
}
