import type { SqlQueryable } from '../sql/sql-client';

/**
 * The platform's schemas a backup copies: the log and its tamper evidence, the keys of its
 * personal fields, and the state kept beside it that the log cannot give back (sign-ins and
 * display names, residents' submissions, answers to retried writes, the relay's checkpoint…).
 * Left out: the read models (`projections`, `rm_*`: rebuilt from the log at the next start),
 * the rate limits (counters of the last minutes) and the erasure ledger (it must outlive the
 * backups: restores apply it).
 */
export const BACKED_UP_SCHEMAS = [
  'event_store',
  'protection',
  'idempotency',
  'sign_in',
  'personal_data',
  'citizen_dialogue',
  'visits',
  'security_log',
  'read_refusals',
  'relay',
] as const;

/** The state of the log in the copy's snapshot, for its manifest. */
export interface BackupState {
  readonly takenAt: string;
  readonly headPosition: number;
  readonly sealedThrough: number;
  readonly schemaVersions: Record<string, number>;
}

/**
 * Reads what the manifest says, inside the transaction whose snapshot is copied: the head is the
 * copy's own, not one a moment before or after it. Schemas not (yet) made are left out.
 */
export async function readBackupState(
  tx: SqlQueryable,
  schemas: readonly string[],
): Promise<BackupState> {
  const [log] = await tx.query<{
    taken_at: Date | string;
    head: string | number;
    sealed: string | number;
  }>(
    `select now() as taken_at,
            (select coalesce(max(global_position), 0) from event_store.events) as head,
            (select coalesce(max(through_position), 0) from event_store.blocks) as sealed`,
  );
  const present = await presentSchemas(tx, schemas);
  const schemaVersions: Record<string, number> = {};
  for (const schema of present) {
    const [row] = await tx.query<{ version: number | null }>(
      `select max(version) as version from ${schema}.schema_migrations`,
    );
    schemaVersions[schema] = Number(row?.version ?? 0);
  }
  return {
    takenAt: new Date(log!.taken_at).toISOString(),
    headPosition: Number(log!.head),
    sealedThrough: Number(log!.sealed),
    schemaVersions,
  };
}

/** Those of `schemas` the database has (with their migrations table). */
export async function presentSchemas(
  db: SqlQueryable,
  schemas: readonly string[],
): Promise<string[]> {
  const rows = await db.query<{ schema: string }>(
    `select n.nspname as schema from pg_namespace n
      where n.nspname = any($1::text[])
        and to_regclass(quote_ident(n.nspname) || '.schema_migrations') is not null
      order by array_position($1::text[], n.nspname::text)`,
    [[...schemas]],
  );
  return rows.map((r) => r.schema);
}
