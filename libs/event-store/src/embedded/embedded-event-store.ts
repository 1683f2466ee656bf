import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Clock } from '@samverkan/shared/clock';
import type { IdSource } from '@samverkan/shared/ids';
import type { EventStore } from '../event-store.port';
import type { Upcaster } from '../upcasting';
import { InProcessChangeSignal } from '../sql/change-signal';
import { SqlEventStore } from '../sql/sql-event-store';
import { PgliteSqlClient } from './pglite-sql-client';
import { lockDataDir } from './data-dir-lock';
import type { MasterKeyRing } from '../protection/master-keys';
import { protectionOn } from '../protection/protection-on';
import type { ErasureLedgerConfig } from '../protection/erasure-ledger-config';

export interface EmbeddedEventStoreOptions {
  /** Folder for the database files, or 'memory://' for a throw-away store. */
  readonly dataDir: string;
  readonly upcasters?: readonly Upcaster[];
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly idlePollMs?: number;
  /** The master keys of personal fields' encryption; without them fields are stored as given. */
  readonly masterKeys?: MasterKeyRing;
  /** Where key destructions are written down for restores (none: not written down). */
  readonly erasureLedger?: ErasureLedgerConfig;
}

/**
 * The default store: PostgreSQL compiled to WebAssembly (PGlite), in this process, with its data
 * in a local folder. It runs the same SQL as the server adapter; only one process may open a
 * folder, and subscribers are woken in-process.
 */
export async function createEmbeddedEventStore(
  options: EmbeddedEventStoreOptions,
): Promise<EventStore> {
  const inMemory = options.dataDir.startsWith('memory://');
  const dir = inMemory ? options.dataDir : resolve(options.dataDir);
  const unlock = inMemory ? () => undefined : lockDataDir(dir);
  let db: PGlite;
  try {
    db = await PGlite.create(inMemory ? undefined : dir);
  } catch (error) {
    unlock();
    throw error;
  }
  return createEmbeddedEventStoreOn(db, { ...options, dataDir: dir }, unlock);
}

/** The embedded store on an open PGlite database (tests use it to reach the same session). */
export function createEmbeddedEventStoreOn(
  db: PGlite,
  options: Omit<EmbeddedEventStoreOptions, 'dataDir'> & { dataDir?: string },
  unlock: () => void = () => undefined,
): SqlEventStore {
  const dir = options.dataDir ?? 'memory://';
  const client = new PgliteSqlClient(db);
  return new SqlEventStore({
    adapter: 'embedded',
    singleSession: true,
    client,
    ...(options.masterKeys
      ? { protection: protectionOn(client, options.masterKeys, options.erasureLedger) }
      : {}),
    signal: new InProcessChangeSignal(),
    ...(options.upcasters ? { upcasters: options.upcasters } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.ids ? { ids: options.ids } : {}),
    ...(options.idlePollMs ? { idlePollMs: options.idlePollMs } : {}),
    describe: () => ({ dataDir: dir.startsWith('memory://') ? 'in memory' : dir }),
    onClose: () => Promise.resolve(unlock()),
  });
}

/**
 * The PGlite database under an embedded store, for what must share its one session (the read
 * models): undefined for any other store.
 */
export function embeddedDatabaseOf(store: EventStore): PGlite | undefined {
  if (!(store instanceof SqlEventStore)) return undefined;
  const client = store.sqlClient;
  return client instanceof PgliteSqlClient ? client.db : undefined;
}
