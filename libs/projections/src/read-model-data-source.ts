import { embeddedDatabaseOf } from '@samverkan/event-store/embedded/embedded-event-store';
import type { EventStoreConfig } from '@samverkan/event-store/event-store.config';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import { Logger } from '@nestjs/common';
import { DataSource, type MixedList } from 'typeorm';
import { READ_MODEL_ENTITIES } from './audit-trail/audit-trail-entry.entity';
import { readModelMigrations } from './read-model-migrations';
import { pgliteLeaseDriver } from './embedded/pglite-lease-driver';

/**
 * The TypeORM data source of the read models, in the same database as the log: on PostgreSQL
 * its own small pool; on the embedded store the store's PGlite session, leased per connection;
 * beside EventStoreDB, in the PostgreSQL database of DATABASE_URL.
 * Schema changes go through migrations only (`synchronize` is never on).
 */
export function createReadModelDataSource(
  config: EventStoreConfig,
  store: EventStore,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  entities: MixedList<Function | string>,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  migrations: MixedList<Function | string>,
): DataSource {
  const common = {
    type: 'postgres',
    entities,
    migrations,
    migrationsTableName: 'read_model_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
  } as const;
  if (config.adapter !== 'embedded') {
    return new DataSource({
      ...common,
      url: config.connectionString,
      applicationName: 'samverkan-projections',
      poolSize: 4,
    });
  }
  const db = embeddedDatabaseOf(store);
  if (!db) throw new Error('The embedded read models need the embedded event store');
  return new DataSource({
    ...common,
    driver: pgliteLeaseDriver(db),
    // One session: one leased connection at a time; more would only queue.
    poolSize: 1,
  });
}

/**
 * Runs the read models' migrations. TypeORM takes no lock of its own, so on PostgreSQL an
 * advisory lock keeps an API and projectors starting together from running them twice.
 * Returns the names of the migrations applied.
 */
export async function migrateReadModels(
  dataSource: DataSource,
  adapter: EventStoreConfig['adapter'],
): Promise<string[]> {
  if (adapter === 'embedded') {
    // One process by the data-folder lock, and one leased session: no lock to take.
    return (await dataSource.runMigrations()).map((m) => m.name);
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query(`select pg_advisory_lock(hashtext('samverkan.read-model-migrations'))`);
    try {
      const applied = await dataSource.runMigrations();
      return applied.map((m) => m.name);
    } finally {
      await lock.query(`select pg_advisory_unlock(hashtext('samverkan.read-model-migrations'))`);
    }
  } finally {
    await lock.release();
  }
}

/**
 * The read models ready for use: the data source opened on the store's database, its
 * migrations run (and logged). The API, apps/projector and the CLI open them this way.
 */
export async function openReadModels(
  config: EventStoreConfig,
  store: EventStore,
): Promise<DataSource> {
  const dataSource = createReadModelDataSource(
    config,
    store,
    READ_MODEL_ENTITIES,
    readModelMigrations,
  );
  await dataSource.initialize();
  const applied = await migrateReadModels(dataSource, config.adapter);
  if (applied.length > 0) {
    new Logger('Projections').log(`Read-model migrations applied: ${applied.join(', ')}`);
  }
  return dataSource;
}
