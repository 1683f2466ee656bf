import type { EventStore } from './event-store.port';
import { createEmbeddedEventStore } from './embedded/embedded-event-store';
import { createPostgresEventStore } from './postgres/postgres-event-store';
import type { Upcaster } from './upcasting';
import { DOMAIN_UPCASTS } from '@samverkan/domain/event-schemas';
import { samverkanEnvironment } from '@samverkan/shared/environment';
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
  | { readonly adapter: 'embedded'; readonly dataDir: string };

/**
 * Chooses the adapter from the environment: DATABASE_URL selects PostgreSQL; without it the
 * embedded store keeps its data in SAMVERKAN_DATA_DIR (default ./data).
 */
export function eventStoreConfigFromEnv(env: NodeJS.ProcessEnv = process.env): EventStoreConfig {
  const url = env['DATABASE_URL']?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error('DATABASE_URL must be a postgres:// or postgresql:// connection string');
    }
    const poolSize = Number(env['DATABASE_POOL_SIZE'] ?? 10);
    if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 200) {
      throw new Error('DATABASE_POOL_SIZE must be an integer from 1 to 200');
    }
    const owner = env['DATABASE_OWNER_URL']?.trim();
    if (owner && !/^postgres(ql)?:\/\//.test(owner)) {
      throw new Error(
        'DATABASE_OWNER_URL must be a postgres:// or postgresql:// connection string',
      );
    }
    return {
      adapter: 'postgres',
      connectionString: url,
      poolSize,
      ...(owner ? { ownerConnectionString: owner } : {}),
    };
  }
  return { adapter: 'embedded', dataDir: env['SAMVERKAN_DATA_DIR']?.trim() || './data' };
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
    samverkanEnvironment(env) === 'development'
      ? { devDataDir: env['SAMVERKAN_DATA_DIR']?.trim() || './data' }
      : {},
  );
}

/** Where the store is, for logs: never the password. */
export function describeEventStoreConfig(config: EventStoreConfig): string {
  if (config.adapter === 'embedded') return `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
  const url = new URL(config.connectionString);
  return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
