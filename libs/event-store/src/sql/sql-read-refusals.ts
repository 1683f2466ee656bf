import type { ReadRefusal, ReadRefusals } from '../read-refusals.port';
import type { Migration } from './event-store-migrations';
import { migrate } from './migration-runner';
import type { SqlClient } from './sql-client';

export const READ_REFUSALS_SCHEMA = 'read_refusals';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'refused reads of restricted data',
    sql: `
create table read_refusals.entries (
  id bigserial primary key,
  at timestamptz not null default now(),
  reader_user_id text not null,
  reader_agency text not null,
  reader_role text not null,
  stream_id text not null,
  resource_kind text not null,
  controller_agency text not null,
  reason text not null,
  correlation_id text not null
);
create index entries_controller_at on read_refusals.entries (controller_agency, at desc);
create index entries_at on read_refusals.entries (at);
`,
  },
];

interface Row {
  at: Date | string;
  reader_user_id: string;
  reader_agency: string;
  reader_role: string;
  stream_id: string;
  resource_kind: string;
  controller_agency: string;
  reason: string;
  correlation_id: string;
}

/**
 * Refused reads beside the log (server or embedded), deleted after the retention period as new
 * ones come in. No purpose is kept: it is text the refused caller chose.
 */
export class SqlReadRefusals implements ReadRefusals {
  private started: Promise<void> | undefined;
  private writes = 0;

  constructor(
    private readonly client: SqlClient,
    private readonly retentionDays: number,
  ) {}

  private start(): Promise<void> {
    this.started ??= migrate(this.client, READ_REFUSALS_SCHEMA, migrations).then(() => undefined);
    return this.started;
  }

  async record(r: ReadRefusal): Promise<void> {
    await this.start();
    // Now and then, not on every write: the delete is an index range scan.
    if (this.writes++ % 100 === 0) {
      await this.client.query(
        `delete from read_refusals.entries where at < now() - make_interval(days => $1::int)`,
        [this.retentionDays],
      );
    }
    await this.client.query(
      `insert into read_refusals.entries (reader_user_id, reader_agency, reader_role, stream_id,
         resource_kind, controller_agency, reason, correlation_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        r.readerUserId,
        r.readerAgency,
        r.readerRole,
        r.streamId,
        r.resourceKind,
        r.controllerAgency,
        r.reason,
        r.correlationId,
      ],
    );
  }

  async ofController(agency: string, limit: number): Promise<(ReadRefusal & { at: Date })[]> {
    await this.start();
    const rows = await this.client.query<Row>(
      `select at, reader_user_id, reader_agency, reader_role, stream_id, resource_kind,
              controller_agency, reason, correlation_id
         from read_refusals.entries
        where controller_agency = $1 and at >= now() - make_interval(days => $3::int)
        order by at desc, id desc limit $2`,
      [agency, limit, this.retentionDays],
    );
    return rows.map((r) => ({
      at: new Date(r.at),
      readerUserId: r.reader_user_id,
      readerAgency: r.reader_agency,
      readerRole: r.reader_role,
      streamId: r.stream_id,
      resourceKind: r.resource_kind,
      controllerAgency: r.controller_agency,
      reason: r.reason,
      correlationId: r.correlation_id,
    }));
  }
}
