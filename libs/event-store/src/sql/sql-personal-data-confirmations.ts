import type {
  PersonalDataConfirmation,
  PersonalDataConfirmations,
} from '../personal-data-confirmations.port';
import type { Migration } from './event-store-migrations';
import { migrate } from './migration-runner';
import type { SqlClient } from './sql-client';

export const PERSONAL_DATA_SCHEMA = 'personal_data';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'confirmations of possible personal identity numbers',
    sql: `
create table personal_data.confirmations (
  id bigserial primary key,
  at timestamptz not null default now(),
  correlation_id text not null,
  caller text not null,
  method text not null,
  route text not null,
  paths text[] not null
);
create index confirmations_correlation on personal_data.confirmations (correlation_id);
`,
  },
];

/** The confirmations in the database of the log (server or embedded), kept as long as it. */
export class SqlPersonalDataConfirmations implements PersonalDataConfirmations {
  private started: Promise<void> | undefined;

  constructor(private readonly client: SqlClient) {}

  private start(): Promise<void> {
    this.started ??= migrate(this.client, PERSONAL_DATA_SCHEMA, migrations).then(() => undefined);
    return this.started;
  }

  async record(c: PersonalDataConfirmation): Promise<void> {
    await this.start();
    await this.client.query(
      `insert into personal_data.confirmations (correlation_id, caller, method, route, paths)
       values ($1, $2, $3, $4, $5)`,
      [c.correlationId, c.caller, c.method, c.route, [...c.paths]],
    );
  }

  async recent(limit: number): Promise<(PersonalDataConfirmation & { at: Date })[]> {
    await this.start();
    const rows = await this.client.query<{
      at: Date | string;
      correlation_id: string;
      caller: string;
      method: string;
      route: string;
      paths: string[];
    }>(
      `select at, correlation_id, caller, method, route, paths from personal_data.confirmations
        order by id desc limit $1`,
      [limit],
    );
    return rows.map((r) => ({
      at: new Date(r.at),
      correlationId: r.correlation_id,
      caller: r.caller,
      method: r.method,
      route: r.route,
      paths: r.paths,
    }));
  }
}
