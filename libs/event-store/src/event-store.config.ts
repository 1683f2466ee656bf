import type { EventStore } from './event-store.port';
import { createEmbeddedEventStore } from './embedded/embedded-event-store';
import { createPostgresEventStore } from './postgres/postgres-event-store';
import { createEventStoreDbEventStore } from './eventstoredb/create-eventstoredb-event-store';
import { eventStoreDbHosts } from './eventstoredb/esdb-mapping';
import type { Upcaster } from './upcasting';
import { DOMAIN_UPCASTS } from '@samverkan/domain/event-schemas';
import { samverkanEnvironment } from '@samverkan/shared/environment';
import { integerSetting, textSetting } from '@samverkan/shared/configuration/read-setting';
import { dataDirSetting } from '@samverkan/shared/configuration/common-settings';
import { masterKeyRingFromEnv, type MasterKeyRing } from './protection/master-keys';
import { erasureLedgerFromEnv, type ErasureLedgerConfig } from './protection/erasure-ledger-config';

export type EventStoreConfig =
  | {
      readonly adapter: 'postgres';
      readonly connectionString: string;
      readonly poolSize: number;
      /** DATABASE_OWNER_URL: the role that owns the log and runs its migrations. */
      readonly ownerConnectionString?: string;
    }
  | { readonly adapter: 'embedded'; readonly dataDir: string }
  | {
      readonly adapter: 'eventstoredb';
      /** EVENTSTOREDB_URL: the log. */
      readonly url: string;
      /** DATABASE_URL: keys, sign-in, read models, checkpoints: everything but the log. */
      readonly connectionString: string;
      readonly poolSize: number;
    };

/**
 * Chooses the adapter from the environment: EVENTSTOREDB_URL selects EventStoreDB (with
 * DATABASE_URL for the rest); DATABASE_URL alone selects PostgreSQL; without either the
 * embedded store keeps its data in SAMVERKAN_DATA_DIR (default ./data).
 */
export function eventStoreConfigFromEnv(env: NodeJS.ProcessEnv = process.env): EventStoreConfig {
  const url = textSetting(env, 'DATABASE_URL');
  const esdb = textSetting(env, 'EVENTSTOREDB_URL');
  if (esdb && !url) {
    throw new Error(
      'EVENTSTOREDB_URL needs DATABASE_URL too: with EventStoreDB as the log, idempotency keys, the keys of personal data, sign-in, rate limits, read models and checkpoints live in PostgreSQL',
    );
  }
  if (url) {
    const poolSize = integerSetting(env, 'DATABASE_POOL_SIZE');
    const owner = textSetting(env, 'DATABASE_OWNER_URL');
    if (esdb) return { adapter: 'eventstoredb', url: esdb, connectionString: url, poolSize };
    return {
      adapter: 'postgres',
      connectionString: url,
      poolSize,
      ...(owner ? { ownerConnectionString: owner } : {}),
    };
  }
  return { adapter: 'embedded', dataDir: dataDirSetting(env) };
}

/**
 * The store with the domain's upcasts by default: every reader, in every process (API,
 * projector, relay, CLI), sees each event in its type's current shape.
 */
export async function createEventStore(
  config: EventStoreConfig,
  upcasters: readonly Upcaster[] = DOMAIN_UPCASTS as readonly Upcaster[],
  masterKeys: MasterKeyRing = masterKeysFromEnv(),
  erasureLedger: ErasureLedgerConfig | undefined = erasureLedgerFromEnv(config),
): Promise<EventStore> {
  switch (config.adapter) {
    case 'postgres':
      return createPostgresEventStore({
        masterKeys,
        connectionString: config.connectionString,
        poolSize: config.poolSize,
        ...(config.ownerConnectionString
          ? { ownerConnectionString: config.ownerConnectionString }
          : {}),
        upcasters,
        ...(erasureLedger ? { erasureLedger } : {}),
      });
    case 'embedded':
      return createEmbeddedEventStore({
        dataDir: config.dataDir,
        upcasters,
        masterKeys,
        ...(erasureLedger ? { erasureLedger } : {}),
      });
    case 'eventstoredb':
      return createEventStoreDbEventStore({
        url: config.url,
        connectionString: config.connectionString,
        poolSize: config.poolSize,
        masterKeys,
        upcasters,
        ...(erasureLedger ? { erasureLedger } : {}),
      });
    default: {
      const unknown: never = config;
      throw new Error(`Unknown event store adapter ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The master keys that wrap the keys of personal fields: SAMVERKAN_MASTER_KEYS. In development
 * without it, a key file in the data folder (made on first start); in production a missing
 * variable stops start-up.
 */
export function masterKeysFromEnv(env: NodeJS.ProcessEnv = process.env): MasterKeyRing {
  return masterKeyRingFromEnv(
    env,
    samverkanEnvironment(env) === 'development' ? { devDataDir: dataDirSetting(env) } : {},
  );
}

/** Where the store is, for logs: never the password. */
export function describeEventStoreConfig(config: EventStoreConfig): string {
  if (config.adapter === 'embedded') return `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
  const url = new URL(config.connectionString);
  const postgres = `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
  if (config.adapter === 'postgres') return postgres;
  return `EventStoreDB at ${eventStoreDbHosts(config.url)}, ${postgres} beside it`;
}

/**
 * The PostgreSQL server the process uses, where it has one: the log's own, or the one beside
 * EventStoreDB. Undefined for the embedded store.
 */
export function postgresUrlOf(config: EventStoreConfig): string | undefined {
  return config.adapter === 'embedded' ? undefined : config.connectionString;
}
