import { createHash } from 'node:crypto';
import { sqlState, type SqlClient } from './sql-client';

const INSUFFICIENT_PRIVILEGE = '42501';
import type { Migration } from './event-store-migrations';

export class MigrationChangedError extends Error {
  constructor(schema: string, version: number) {
    super(
      `Migration ${version} of schema '${schema}' differs from the one applied to this database. ` +
        'Released migrations must not be edited; add a new migration instead.',
    );
    this.name = 'MigrationChangedError';
  }
}

export interface MigrationReport {
  readonly schemaVersion: number;
  readonly applied: readonly number[];
}

/**
 * Brings `schema` up to the newest migration in one transaction. An advisory lock keyed on the
 * schema name makes processes that start together take turns instead of racing to create tables.
 */
export async function migrate(
  client: SqlClient,
  schema: string,
  migrations: readonly Migration[],
): Promise<MigrationReport> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Unsafe schema name '${schema}'`);
  return client.transaction(async (tx) => {
    // Read committed whatever the database's default: a migration that copies rows after
    // waiting for a lock must see what committed while it waited, and a snapshot taken at the
    // transaction's first statement (repeatable read) would silently leave those rows behind.
    await tx.query('set transaction isolation level read committed');
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`samverkan.migrate.${schema}`]);
    // Created only when missing: PostgreSQL checks the right to create in a schema before it
    // sees that the table exists, and the application's role, which may not create in the
    // log's schema, starts on a log its owner migrated.
    const [present] = await tx.query<{ present: boolean }>(
      'select to_regclass($1) is not null as present',
      [`${schema}.schema_migrations`],
    );
    if (!present?.present) {
      await tx.query(`create schema if not exists ${schema}`);
      await tx.query(
        `create table if not exists ${schema}.schema_migrations (
           version integer primary key,
           name text not null,
           checksum text not null,
           applied_at timestamptz not null default now())`,
      );
    }
    const rows = await tx.query<{ version: number; checksum: string }>(
      `select version, checksum from ${schema}.schema_migrations order by version`,
    );
    const done = new Map(rows.map((r) => [Number(r.version), r.checksum]));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      const checksum = createHash('sha256').update(migration.sql).digest('hex');
      const previous = done.get(migration.version);
      if (previous !== undefined) {
        if (previous !== checksum) throw new MigrationChangedError(schema, migration.version);
        continue;
      }
      try {
        await tx.execScript(migration.sql);
      } catch (error) {
        if (sqlState(error).code === INSUFFICIENT_PRIVILEGE) {
          throw new Error(
            `Migration ${migration.version} of schema '${schema}' needs its owner's role, which this connection does not have: start once with DATABASE_OWNER_URL set`,
          );
        }
        throw error;
      }
      await tx.query(
        `insert into ${schema}.schema_migrations (version, name, checksum) values ($1, $2, $3)`,
        [migration.version, migration.name, checksum],
      );
      applied.push(migration.version);
    }
    const schemaVersion = Math.max(0, ...done.keys(), ...applied);
    return { schemaVersion, applied };
  });
}
