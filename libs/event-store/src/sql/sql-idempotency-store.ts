import type { IdempotencyClaim, IdempotencyStore, StoredAnswer } from '../idempotency.port';
import type { Migration } from './event-store-migrations';
import { migrate } from './migration-runner';
import type { SqlClient } from './sql-client';

export const IDEMPOTENCY_SCHEMA = 'idempotency';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'command answers by idempotency key',
    sql: `
create table idempotency.command_answers (
  scope text not null,
  key text not null,
  request_hash text not null,
  status_code integer,
  body jsonb,
  claimed_at timestamptz not null default now(),
  completed_at timestamptz,
  primary key (scope, key)
);
create index command_answers_claimed_at on idempotency.command_answers (claimed_at);
`,
  },
];

/** Answers are kept this long; a retry later than that runs as a new request. */
const RETENTION = '24 hours';

interface AnswerRow {
  request_hash: string;
  status_code: number | null;
  body: unknown;
}

/** Idempotency keys in the same PostgreSQL database as the log (server or embedded). */
export class SqlIdempotencyStore implements IdempotencyStore {
  private started: Promise<void> | undefined;
  private claims = 0;

  constructor(private readonly client: SqlClient) {}

  private start(): Promise<void> {
    this.started ??= migrate(this.client, IDEMPOTENCY_SCHEMA, migrations).then(() => undefined);
    return this.started;
  }

  async claim(
    scope: string,
    key: string,
    requestHash: string,
    leaseMs: number,
  ): Promise<IdempotencyClaim> {
    await this.start();
    if (++this.claims % 500 === 1) {
      await this.client.query(
        `delete from idempotency.command_answers where claimed_at < now() - interval '${RETENTION}'`,
      );
    }
    // One statement decides who holds the key: the insert wins for a new key; for a claim left
    // unfinished past its lease (its process died), a retry of the same request takes it over.
    const taken = await this.client.query<{ retry: boolean }>(
      `insert into idempotency.command_answers as a (scope, key, request_hash)
       values ($1, $2, $3)
       on conflict (scope, key) do update set claimed_at = now()
        where a.completed_at is null
          and a.request_hash = excluded.request_hash
          and a.claimed_at < now() - make_interval(secs => $4::double precision / 1000)
       returning (xmax::text <> '0') as retry`,
      [scope, key, requestHash, leaseMs],
    );
    if (taken.length > 0) return { kind: 'claimed', retryOfUnfinished: taken[0]!.retry };
    const [row] = await this.client.query<AnswerRow>(
      `select request_hash, status_code, body
         from idempotency.command_answers where scope = $1 and key = $2`,
      [scope, key],
    );
    if (!row) return this.claim(scope, key, requestHash, leaseMs); // released meanwhile
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.status_code === null) return { kind: 'in_progress' };
    return { kind: 'answered', answer: { statusCode: row.status_code, body: row.body } };
  }

  async complete(scope: string, key: string, answer: StoredAnswer): Promise<void> {
    await this.client.query(
      `update idempotency.command_answers
          set status_code = $3, body = $4::jsonb, completed_at = now()
        where scope = $1 and key = $2`,
      [scope, key, answer.statusCode, JSON.stringify(answer.body)],
    );
  }

  async release(scope: string, key: string): Promise<void> {
    await this.client.query(
      `delete from idempotency.command_answers
        where scope = $1 and key = $2 and completed_at is null`,
      [scope, key],
    );
  }
}
