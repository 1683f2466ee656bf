import { randomUUID } from 'node:crypto';
import type {
  CitizenDialogueSubmissions,
  Claim,
  GroupCursor,
  NewSubmission,
  WaitingGroup,
} from '../citizen-dialogue.port';
import type { Migration } from './event-store-migrations';
import { migrate } from './migration-runner';
import type { SqlClient } from './sql-client';

export const CITIZEN_DIALOGUE_SCHEMA = 'citizen_dialogue';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'residents submissions of places where they feel unsafe',
    sql: `
create table citizen_dialogue.submissions (
  place_id text not null,
  category text not null,
  received_on date not null,
  status text not null default 'waiting' check (status in ('waiting', 'claimed')),
  claim_id uuid,
  check ((status = 'claimed') = (claim_id is not null))
);
create index submissions_group on citizen_dialogue.submissions (status, place_id, category);
create index submissions_received_on on citizen_dialogue.submissions (received_on);
create index submissions_claim on citizen_dialogue.submissions (claim_id) where claim_id is not null;
`,
  },
];

interface GroupRow {
  place_id: string;
  category: string;
  count: number | string;
  first_received_on: string;
  last_received_on: string;
}

const toGroup = (r: GroupRow): WaitingGroup => ({
  placeId: r.place_id,
  category: r.category,
  count: Number(r.count),
  firstReceivedOn: r.first_received_on,
  lastReceivedOn: r.last_received_on,
});

const GROUPS = `
  select place_id, category, count(*) as count,
         to_char(min(received_on), 'YYYY-MM-DD') as first_received_on,
         to_char(max(received_on), 'YYYY-MM-DD') as last_received_on
    from citizen_dialogue.submissions`;

/**
 * The submissions in the same PostgreSQL database as the log (server or embedded), in a schema
 * of their own with its own migrations. A row holds a place id, a category, the day received
 * and whether it waits or is claimed by an acceptance under way: no address, no time of day,
 * no order of arrival within a day.
 */
export class SqlCitizenDialogueSubmissions implements CitizenDialogueSubmissions {
  private started: Promise<void> | undefined;

  constructor(private readonly client: SqlClient) {}

  private start(): Promise<void> {
    this.started ??= migrate(this.client, CITIZEN_DIALOGUE_SCHEMA, migrations).then(
      () => undefined,
    );
    return this.started;
  }

  async add(submission: NewSubmission): Promise<void> {
    await this.start();
    await this.client.query(
      `insert into citizen_dialogue.submissions (place_id, category, received_on)
       values ($1, $2, $3::date)`,
      [submission.placeId, submission.category, submission.receivedOn],
    );
  }

  async waiting(limit: number, after: GroupCursor | null): Promise<WaitingGroup[]> {
    await this.start();
    const rows = await this.client.query<GroupRow>(
      `with groups as (${GROUPS} where status = 'waiting' group by place_id, category)
       select * from groups
        where $1::text is null
           or last_received_on < $1::text
           or (last_received_on = $1::text and (place_id, category) > ($2::text, $3::text))
        order by last_received_on desc, place_id, category
        limit $4`,
      [after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, limit],
    );
    return rows.map(toGroup);
  }

  async group(placeId: string, category: string): Promise<WaitingGroup | undefined> {
    await this.start();
    const [row] = await this.client.query<GroupRow>(
      `${GROUPS} where status = 'waiting' and place_id = $1 and category = $2
        group by place_id, category`,
      [placeId, category],
    );
    return row ? toGroup(row) : undefined;
  }

  async claim(placeId: string, category: string): Promise<Claim | undefined> {
    await this.start();
    const claimId = randomUUID();
    // One statement: rows another acceptance claimed meanwhile are not 'waiting' when it runs.
    await this.client.query(
      `update citizen_dialogue.submissions set status = 'claimed', claim_id = $3
        where status = 'waiting' and place_id = $1 and category = $2`,
      [placeId, category, claimId],
    );
    const [row] = await this.client.query<GroupRow>(
      `${GROUPS} where claim_id = $1 group by place_id, category`,
      [claimId],
    );
    return row ? { ...toGroup(row), claimId } : undefined;
  }

  async release(claimId: string): Promise<void> {
    await this.start();
    await this.client.query(
      `update citizen_dialogue.submissions set status = 'waiting', claim_id = null
        where claim_id = $1`,
      [claimId],
    );
  }

  async remove(claimId: string): Promise<number> {
    await this.start();
    const rows = await this.client.query<{ n: number }>(
      `with gone as (delete from citizen_dialogue.submissions where claim_id = $1 returning 1)
       select count(*)::int as n from gone`,
      [claimId],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async reject(placeId: string, category: string): Promise<number> {
    await this.start();
    const rows = await this.client.query<{ n: number }>(
      `with gone as (delete from citizen_dialogue.submissions
                      where status = 'waiting' and place_id = $1 and category = $2 returning 1)
       select count(*)::int as n from gone`,
      [placeId, category],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async deleteReceivedBefore(day: string): Promise<number> {
    await this.start();
    const rows = await this.client.query<{ n: number }>(
      `with gone as (delete from citizen_dialogue.submissions
                      where received_on < $1::date returning 1)
       select count(*)::int as n from gone`,
      [day],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
