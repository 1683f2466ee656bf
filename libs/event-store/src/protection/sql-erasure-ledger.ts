import type { DestructionReason } from '@samverkan/domain/personal-fields';
import type { Migration } from '../sql/event-store-migrations';
import { migrate } from '../sql/migration-runner';
import type { SqlClient } from '../sql/sql-client';
import type { ErasureLedger, ErasureLedgerEntry } from './erasure-ledger';

export const ERASURE_LEDGER_SCHEMA = 'erasure_ledger';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'the erasure ledger',
    sql: `
create table erasure_ledger.entries (
  entry_number bigint generated always as identity primary key,
  at timestamptz not null,
  key_ids text[] not null,
  reason text not null check (reason in ('erased', 'redacted', 'expired')),
  decided_by text not null
);
`,
  },
];

/**
 * The erasure ledger as a table in schema `erasure_ledger` of a PostgreSQL database: the log's
 * own by default (backups leave the schema out), or another one, which survives losing the
 * log's server. Every API replica writes to the same table, which a file per host could not
 * offer.
 */
export class SqlErasureLedger implements ErasureLedger {
  private started: Promise<unknown> | undefined;

  /** `ownsClient`: the ledger's own connection, closed with it. */
  constructor(
    private readonly client: SqlClient,
    readonly location: string,
    private readonly ownsClient: boolean,
  ) {}

  async start(): Promise<void> {
    this.started ??= migrate(this.client, ERASURE_LEDGER_SCHEMA, migrations);
    await this.started;
  }

  async record(entry: ErasureLedgerEntry): Promise<void> {
    await this.start();
    await this.client.query(
      `insert into erasure_ledger.entries (at, key_ids, reason, decided_by)
       values ($1, $2::text[], $3, $4)`,
      [entry.at, [...entry.keyIds], entry.reason, entry.by],
    );
  }

  async entries(): Promise<ErasureLedgerEntry[]> {
    await this.start();
    const rows = await this.client.query<{
      at: Date | string;
      key_ids: string[];
      reason: DestructionReason;
      decided_by: string;
    }>('select at, key_ids, reason, decided_by from erasure_ledger.entries order by entry_number');
    return rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      keyIds: r.key_ids,
      reason: r.reason,
      by: r.decided_by,
    }));
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
