import type { LastVisit, Visits } from '../visits.port';
import type { Migration } from './event-store-migrations';
import { migrate } from './migration-runner';
import type { SqlClient } from './sql-client';

export const VISITS_SCHEMA = 'visits';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'the position each user last saw the changes through',
    sql: `
create table visits.last_seen (
  agency text not null,
  user_id text not null,
  seen_through bigint not null,
  at timestamptz not null,
  primary key (agency, user_id)
);
`,
  },
];

interface Row {
  seen_through: string | number;
  at: Date | string;
}

const visit = (row: Row): LastVisit => ({
  seenThrough: Number(row.seen_through),
  at: new Date(row.at),
});

/** A visit not renewed for this long is deleted: the user's next visit is then a first one. */
const KEPT = '1 year';

/**
 * One row per user in the log's database (server or embedded), moved forward only. When a user
 * was last here is about that user: rows not renewed for a year are deleted now and then.
 */
export class SqlVisits implements Visits {
  private started: Promise<void> | undefined;
  private writes = 0;

  constructor(private readonly client: SqlClient) {}

  private start(): Promise<void> {
    this.started ??= migrate(this.client, VISITS_SCHEMA, migrations).then(() => undefined);
    return this.started;
  }

  async lastVisit(agency: string, userId: string): Promise<LastVisit | undefined> {
    await this.start();
    const [row] = await this.client.query<Row>(
      'select seen_through, at from visits.last_seen where agency = $1 and user_id = $2',
      [agency, userId],
    );
    return row ? visit(row) : undefined;
  }

  async markSeen(agency: string, userId: string, position: number): Promise<LastVisit> {
    await this.start();
    if (++this.writes % 500 === 1) {
      await this.client.query(`delete from visits.last_seen where at < now() - interval '${KEPT}'`);
    }
    const [row] = await this.client.query<Row>(
      `insert into visits.last_seen as v (agency, user_id, seen_through, at)
       values ($1, $2, $3, now())
       on conflict (agency, user_id) do update
         set seen_through = greatest(v.seen_through, excluded.seen_through), at = now()
       returning seen_through, at`,
      [agency, userId, position],
    );
    return visit(row!);
  }
}
