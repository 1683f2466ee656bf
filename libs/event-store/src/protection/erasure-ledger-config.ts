import { resolve } from 'node:path';
import { PgSqlClient } from '../postgres/pg-sql-client';
import type { SqlClient } from '../sql/sql-client';
import type { ErasureLedger } from './erasure-ledger';
import { FileErasureLedger } from './file-erasure-ledger';
import { SqlErasureLedger } from './sql-erasure-ledger';

/**
 * Where the erasure ledger is (SAMVERKAN_ERASURE_LEDGER): a file of JSON lines, a PostgreSQL
 * database (`postgres://…`, schema `erasure_ledger`), or, by default on PostgreSQL, schema
 * `erasure_ledger` of the log's own database, which backups leave out.
 */
export type ErasureLedgerConfig =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'postgres'; readonly connectionString: string }
  | { readonly kind: 'log-database' };

/**
 * The ledger's place from the environment. Unset: beside the embedded store's data folder (never
 * inside it, where a copy of the folder would take it along), or the log's own database.
 * Undefined for a store in memory, which no backup can copy.
 */
export function erasureLedgerFromEnv(
  store:
    | { readonly adapter: 'postgres' | 'eventstoredb' }
    | { readonly adapter: 'embedded'; dataDir: string },
  env: NodeJS.ProcessEnv = process.env,
): ErasureLedgerConfig | undefined {
  const raw = env['SAMVERKAN_ERASURE_LEDGER']?.trim();
  if (raw) {
    if (/^postgres(ql)?:\/\//.test(raw)) return { kind: 'postgres', connectionString: raw };
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
      throw new Error('SAMVERKAN_ERASURE_LEDGER must be a file path or a postgres:// URL');
    }
    return { kind: 'file', path: resolve(raw) };
  }
  // On EventStoreDB the keys live in the PostgreSQL beside the log: the ledger beside them.
  if (store.adapter !== 'embedded') return { kind: 'log-database' };
  if (store.dataDir.startsWith('memory://')) return undefined;
  return { kind: 'file', path: defaultLedgerPath(store.dataDir) };
}

/** `./data` → `./data.erasure-ledger.jsonl`: beside the folder, outside it. */
export function defaultLedgerPath(dataDir: string): string {
  return `${resolve(dataDir).replace(/\/+$/, '')}.erasure-ledger.jsonl`;
}

/** The ledger the config names; `logClient` is the log's database, for the default. */
export function openErasureLedger(
  config: ErasureLedgerConfig,
  logClient: SqlClient,
): ErasureLedger {
  switch (config.kind) {
    case 'file':
      return new FileErasureLedger(config.path);
    case 'log-database':
      return new SqlErasureLedger(logClient, 'schema erasure_ledger of the log database', false);
    case 'postgres': {
      const url = new URL(config.connectionString);
      return new SqlErasureLedger(
        new PgSqlClient({
          connectionString: config.connectionString,
          max: 2,
          application_name: 'samverkan-erasure-ledger',
        }),
        `schema erasure_ledger of ${url.hostname}:${url.port || '5432'}${url.pathname}`,
        true,
      );
    }
    default: {
      const unknown: never = config;
      throw new Error(`Unknown erasure ledger ${JSON.stringify(unknown)}`);
    }
  }
}
