import type { RateLimitHit, RateLimits } from '../rate-limits.port';
import type { Migration } from './event-store-migrations';
import { migrate } from './migration-runner';
import type { SqlClient } from './sql-client';

export const RATE_LIMITS_SCHEMA = 'rate_limits';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'request counts per caller and window',
    sql: `
create table rate_limits.windows (
  key text not null,
  window_start timestamptz not null,
  hits integer not null,
  primary key (key, window_start)
);
create index windows_window_start on rate_limits.windows (window_start);
`,
  },
];

/** Counters of windows older than this are deleted now and then. */
const KEEP = '1 hour';

/**
 * Fixed windows in the same PostgreSQL database as the log (server or embedded): one upsert per
 * request counts it and reads the count, so concurrent requests on several instances add up
 * exactly. Keys carry no personal data beyond a pseudonymous user id or a daily digest of a
 * client address (never the address).
 */
export class SqlRateLimits implements RateLimits {
  private started: Promise<void> | undefined;
  private hits = 0;

  constructor(private readonly client: SqlClient) {}

  private start(): Promise<void> {
    this.started ??= migrate(this.client, RATE_LIMITS_SCHEMA, migrations).then(() => undefined);
    return this.started;
  }

  async hit(key: string, windowSeconds: number): Promise<RateLimitHit> {
    await this.start();
    if (++this.hits % 1000 === 1) {
      await this.client.query(
        `delete from rate_limits.windows where window_start < now() - interval '${KEEP}'`,
      );
    }
    const [row] = await this.client.query<{ hits: number; resets_at: Date | string }>(
      `insert into rate_limits.windows as w (key, window_start, hits)
       values ($1, to_timestamp(floor(extract(epoch from now()) / $2::double precision)
                                * $2::double precision), 1)
       on conflict (key, window_start) do update set hits = w.hits + 1
       returning w.hits, w.window_start + make_interval(secs => $2::double precision) as resets_at`,
      [key, windowSeconds],
    );
    return { count: Number(row!.hits), resetsAt: new Date(row!.resets_at) };
  }
}
