import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { Client } from 'pg';
import { createPostgresEventStore } from '../postgres/postgres-event-store';
import { PgSqlClient } from '../postgres/pg-sql-client';
import type { MasterKeyRing } from '../protection/master-keys';
import type { SqlEventStore } from '../sql/sql-event-store';
import type { SqlQueryable } from '../sql/sql-client';
import type { Upcaster } from '../upcasting';
import { writeBackupFile, type BackupProgress } from './backup-file';
import { backupManifest, type BackupManifest } from './backup-manifest';
import { BACKED_UP_SCHEMAS, presentSchemas, readBackupState } from './backup-state';
import { StoreNotEmptyError } from './embedded-backup';

/**
 * A backup of the platform's schemas on a PostgreSQL server, taken with `pg_dump` in the
 * snapshot of a REPEATABLE READ transaction of our own: the manifest's head and schema versions
 * are read in the very snapshot pg_dump copies, while appends go on. pg_dump rather than an
 * export of our own: it copies every table, sequence, function and trigger of those schemas
 * as the server has them, and pg_restore puts them back in dependency order.
 */
export async function backUpPostgres(options: {
  readonly connectionString: string;
  readonly out: string;
  readonly platformVersion: string;
  readonly onProgress?: BackupProgress;
}): Promise<{ manifest: BackupManifest; bytes: number }> {
  const client = new Client({
    connectionString: options.connectionString,
    application_name: 'samverkan-backup',
  });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id'))
      .rows[0]!.id;
    const tx = queryableOf(client);
    const schemas = await presentSchemas(tx, BACKED_UP_SCHEMAS);
    if (!schemas.includes('event_store')) {
      throw new Error('This database holds no Samverkan log (schema event_store) to back up');
    }
    const manifest = backupManifest(
      'postgres',
      options.platformVersion,
      await readBackupState(tx, schemas),
    );
    const dump = run(
      'pg_dump',
      [
        `--snapshot=${snapshot}`,
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        ...schemas.map((s) => `--schema=${s}`),
      ],
      options.connectionString,
    );
    const bytes = await writeBackupFile(
      options.out,
      manifest,
      dump.child.stdout!,
      options.onProgress,
      dump.done,
    );
    await client.query('commit');
    return { manifest, bytes };
  } finally {
    await client.end();
  }
}

/**
 * The copy in a backup file restored into the database of `connectionString` with pg_restore,
 * in one transaction, then the store on it, not yet started. A database that holds a log
 * already is refused unless `force`, which first drops the schemas a backup holds and the read
 * models (rebuilt from the restored log at the next start), never the erasure ledger.
 */
export async function restorePostgresCopy(options: {
  readonly connectionString: string;
  readonly file: string;
  readonly payloadOffset: number;
  readonly force: boolean;
  readonly masterKeys: MasterKeyRing;
  readonly upcasters?: readonly Upcaster[];
}): Promise<SqlEventStore> {
  const admin = new PgSqlClient({ connectionString: options.connectionString, max: 1 });
  try {
    const present = await presentSchemas(admin, BACKED_UP_SCHEMAS);
    if (present.length > 0) {
      if (!options.force) {
        throw new StoreNotEmptyError(
          `The database holds a store already (schemas ${present.join(', ')}): restore into an empty database, or add --force to replace it`,
        );
      }
      await dropStore(admin);
    }
  } finally {
    await admin.close();
  }
  const restore = run(
    'pg_restore',
    ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname='],
    options.connectionString,
  );
  createReadStream(options.file, { start: options.payloadOffset }).pipe(restore.child.stdin!);
  await restore.done;
  return createPostgresEventStore({
    connectionString: options.connectionString,
    poolSize: 2,
    masterKeys: options.masterKeys,
    ...(options.upcasters ? { upcasters: options.upcasters } : {}),
  }) as SqlEventStore;
}

/** What --force replaces: the backed-up schemas and the read models built from them. */
async function dropStore(db: SqlQueryable): Promise<void> {
  const rows = await db.query<{ schema: string }>(
    `select nspname as schema from pg_namespace
      where nspname = any($1::text[]) or nspname = 'projections' or nspname like 'rm\\_%'`,
    [[...BACKED_UP_SCHEMAS]],
  );
  const drops = rows.map((r) => `drop schema "${r.schema}" cascade;`).join('\n');
  await db.execScript(
    `begin;\n${drops}\ndrop table if exists public.read_model_migrations;\ncommit;`,
  );
}

/**
 * A PostgreSQL client program on the server of `connectionString`, given by environment
 * variables so the password never shows in the process list. `done` fails with its stderr.
 */
function run(
  program: 'pg_dump' | 'pg_restore',
  args: readonly string[],
  connectionString: string,
): { child: ChildProcess; done: Promise<void> } {
  const url = new URL(connectionString);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username) || process.env['PGUSER'] || 'postgres',
    PGDATABASE: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    PGAPPNAME: 'samverkan-backup',
    ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}),
    ...(url.searchParams.get('sslmode') ? { PGSSLMODE: url.searchParams.get('sslmode')! } : {}),
  };
  const fullArgs = args.map((a) => (a === '--dbname=' ? `--dbname=${env['PGDATABASE']}` : a));
  const child = spawn(program, fullArgs, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const done = new Promise<void>((resolveDone, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(`${program} is not installed: install the PostgreSQL client programs`)
          : error,
      ),
    );
    child.once('close', (code) =>
      code === 0
        ? resolveDone()
        : reject(new Error(`${program} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
  return { child, done };
}

function queryableOf(client: Client): SqlQueryable {
  return {
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      return (await client.query(text, [...params])).rows as Row[];
    },
    async execScript(sql: string) {
      await client.query(sql);
    },
  };
}
