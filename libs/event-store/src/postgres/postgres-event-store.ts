import type { PoolConfig } from 'pg';
import type { Clock } from '@samverkan/shared/clock';
import type { IdSource } from '@samverkan/shared/ids';
import type { EventStore } from '../event-store.port';
import type { Upcaster } from '../upcasting';
import { SqlEventStore } from '../sql/sql-event-store';
import { PgSqlClient } from './pg-sql-client';
import { PgChangeSignal } from './pg-change-signal';
import type { MasterKeyRing } from '../protection/master-keys';
import { protectionOn } from '../protection/protection-on';
import type { ErasureLedgerConfig } from '../protection/erasure-ledger-config';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /**
   * The log owner's connection, for migrations; the application's role (connectionString) is
   * then granted only reading and inserting events. Without it one role does both.
   */
  readonly ownerConnectionString?: string;
  /** The master keys of personal fields' encryption; without them fields are stored as given. */
  readonly masterKeys?: MasterKeyRing;
  /** Where key destructions are written down for restores (none: not written down). */
  readonly erasureLedger?: ErasureLedgerConfig;
  /** Connections in the pool (default 10). */
  readonly poolSize?: number;
  readonly upcasters?: readonly Upcaster[];
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly idlePollMs?: number;
}

/** The event store on a PostgreSQL server (selected by DATABASE_URL). */
export function createPostgresEventStore(options: PostgresEventStoreOptions): EventStore {
  const poolConfig: PoolConfig = {
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    application_name: 'samverkan',
  };
  const client = new PgSqlClient(poolConfig);
  const signal = new PgChangeSignal(client.pool, {
    connectionString: options.connectionString,
    application_name: 'samverkan-listen',
  });
  return new SqlEventStore({
    adapter: 'postgres',
    client,
    signal,
    ...(options.masterKeys
      ? { protection: protectionOn(client, options.masterKeys, options.erasureLedger) }
      : {}),
    ...(options.ownerConnectionString
      ? {
          owner: new PgSqlClient({
            connectionString: options.ownerConnectionString,
            max: 1,
            application_name: 'samverkan-migrate',
          }),
        }
      : {}),
    ...(options.upcasters ? { upcasters: options.upcasters } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.ids ? { ids: options.ids } : {}),
    ...(options.idlePollMs ? { idlePollMs: options.idlePollMs } : {}),
    describe: () => ({
      poolSize: client.pool.totalCount,
      poolIdle: client.pool.idleCount,
      poolWaiting: client.pool.waitingCount,
      listening: signal.state.listening,
      ...(signal.state.lastError ? { listenError: signal.state.lastError } : {}),
    }),
  });
}
