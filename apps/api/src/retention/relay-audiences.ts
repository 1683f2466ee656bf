import { addDays } from '@samverkan/domain/calendar';
import { startOfRetentionYear } from '@samverkan/domain/personal-data/retention';

/** What runs SQL on the log's database (the store's client, or one transaction of it). */
interface Sql {
  query<Row extends object>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

/**
 * The read-access log's streams, one per UTC day (apps/api/src/access/read-access-log.ts).
 * Every read in `read-access-<day>` is past retention once the day's last instant is before the
 * first year kept: the day before the UTC date that year begins on (its first hour in Sweden
 * is still 31 December in UTC).
 */
const READ_ACCESS_STREAM = 'read-access-';

export function lastReadAccessDayBefore(keptFromYear: number): string {
  return addDays(startOfRetentionYear(keptFromYear).toISOString().slice(0, 10), -1);
}

/**
 * The Kafka relay's memory of who a stream's events went to (`relay.stream_audiences`, see
 * libs/integration relay.ts): a talk's participants, a restricted report's readers, kept per
 * stream id. Entries of streams whose retention ended are deleted with the rest. Only where a
 * relay has run against this database: without its schema there is nothing to clear.
 */
export class RelayAudiences {
  constructor(private readonly sql: Sql) {}

  private async present(): Promise<boolean> {
    const [row] = await this.sql.query<{ present: boolean }>(
      `select to_regclass('relay.stream_audiences') is not null as present`,
    );
    return row?.present === true;
  }

  /** Deletes the entries of these streams; returns how many there were. */
  async deleteStreams(streamIds: readonly string[]): Promise<number> {
    if (streamIds.length === 0 || !(await this.present())) return 0;
    return this.count(
      `with gone as (delete from relay.stream_audiences where stream_id = any($1::text[])
         returning 1)
       select count(*)::int as n from gone`,
      [[...streamIds]],
    );
  }

  /** Deletes the entries of the read-access log's days wholly before `keptFromYear`. */
  async deleteReadAccessBefore(keptFromYear: number): Promise<number> {
    if (!(await this.present())) return 0;
    // Fixed-width dates in the ids compare as text; the prefix holds no `like` wildcard.
    return this.count(
      `with gone as (delete from relay.stream_audiences
          where stream_id like $1 and stream_id <= $2 returning 1)
       select count(*)::int as n from gone`,
      [`${READ_ACCESS_STREAM}%`, READ_ACCESS_STREAM + lastReadAccessDayBefore(keptFromYear)],
    );
  }

  private async count(text: string, params: readonly unknown[]): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(text, params);
    return row?.n ?? 0;
  }
}
