import type { SecurityLog, SecurityLogEntry, SecurityLogKind } from '../security-log.port';
import type { Migration } from './event-store-migrations';
import { migrate } from './migration-runner';
import type { SqlClient } from './sql-client';

export const SECURITY_LOG_SCHEMA = 'security_log';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'failed sign-ins and refused requests',
    sql: `
create table security_log.entries (
  id bigserial primary key,
  at timestamptz not null default now(),
  kind text not null,
  status integer not null,
  code text not null,
  method text not null,
  route text not null,
  caller text,
  address text
);
create index entries_at on security_log.entries (at);
`,
  },
];

interface Row {
  at: Date | string;
  kind: SecurityLogKind;
  status: number;
  code: string;
  method: string;
  route: string;
  caller: string | null;
  address: string | null;
}

/**
 * The security log in the database beside the event log (server or embedded). Entries older
 * than the retention period are deleted as new ones come in: a client address is personal
 * data, kept no longer than the log is useful.
 */
export class SqlSecurityLog implements SecurityLog {
  private started: Promise<void> | undefined;
  private writes = 0;

  constructor(
    private readonly client: SqlClient,
    private readonly retentionDays: number,
  ) {}

  private start(): Promise<void> {
    this.started ??= migrate(this.client, SECURITY_LOG_SCHEMA, migrations).then(() => undefined);
    return this.started;
  }

  async record(entry: SecurityLogEntry): Promise<void> {
    await this.start();
    if (++this.writes % 200 === 1) {
      await this.client.query(
        `delete from security_log.entries where at < now() - make_interval(days => $1::int)`,
        [this.retentionDays],
      );
    }
    await this.client.query(
      `insert into security_log.entries (kind, status, code, method, route, caller, address)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [
        entry.kind,
        entry.status,
        entry.code,
        entry.method,
        entry.route,
        entry.caller,
        entry.address,
      ],
    );
  }

  async recent(
    limit: number,
    kind?: SecurityLogKind,
  ): Promise<(SecurityLogEntry & { at: Date })[]> {
    await this.start();
    const rows = await this.client.query<Row>(
      `select at, kind, status, code, method, route, caller, address from security_log.entries
        where ($2::text is null or kind = $2) and at >= now() - make_interval(days => $3::int)
        order by id desc limit $1`,
      [limit, kind ?? null, this.retentionDays],
    );
    return rows.map((r) => ({ ...r, at: new Date(r.at) }));
  }
}
