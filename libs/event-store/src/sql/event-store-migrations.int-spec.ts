import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import type { EventStore, RecordedEvent } from '../event-store.port';
import { ConcurrencyError } from '../event-store.errors';
import { createEmbeddedEventStoreOn } from '../embedded/embedded-event-store';
import { PgliteSqlClient } from '../embedded/pglite-sql-client';
import { createPostgresEventStore } from '../postgres/postgres-event-store';
import { PgSqlClient } from '../postgres/pg-sql-client';
import { requirePostgres, TestDatabases } from '../postgres/test-databases';
import { EVENT_STORE_SCHEMA, eventStoreMigrations } from './event-store-migrations';
import { migrate } from './migration-runner';
import type { SqlClient } from './sql-client';

/**
 * A database written under an earlier schema version keeps every event, position and envelope
 * when the store starts on the newest one, and appends, retries and conflicts go on as before.
 * Run on both SQL adapters, since each applies the migrations itself.
 */

const actor = { userId: 'u-1', agency: 'police', role: 'officer' };

/** Rows written with version 1's columns, as version 1's store wrote them (data as jsonb). */
async function writeUnderVersion1(client: SqlClient): Promise<void> {
  const report = await migrate(client, EVENT_STORE_SCHEMA, eventStoreMigrations.slice(0, 1));
  expect(report.schemaVersion).toBe(1);
  const insert = `insert into event_store.events (event_id, stream_id, revision, type, schema_version,
      data, occurred_at, actor_user_id, actor_agency, actor_role, correlation_id, causation_id)
    values ($1::uuid, $2, $3, $4, $5, $6::jsonb, $7::timestamptz, $8, $9, $10, $11, $12)`;
  const rows: unknown[][] = [
    [OLD[0], 'promise-hammaro', 0, 'PromiseDrafted', 1, '{"title": "Medborgarlöfte", "n": 1}'],
    [OLD[1], 'walk-1', 0, 'SafetyWalkPlanned', 2, '{"place": "Skoghall", "agencies": ["police"]}'],
    [OLD[2], 'promise-hammaro', 1, 'PromiseSigned', 1, '{"nested": {"a": [1, 2.5, null]}}'],
  ];
  for (const [i, row] of rows.entries()) {
    await client.query(insert, [
      ...row,
      '2024-05-17T08:00:00.000Z',
      actor.userId,
      actor.agency,
      actor.role,
      `corr-${i}`,
      i === 2 ? 'cause-1' : null,
    ]);
  }
}

const OLD = [randomUUID(), randomUUID(), randomUUID()];

async function readAll(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const e of store.readAll()) events.push(e);
  return events;
}

function migrationSuite(
  name: string,
  open: () => Promise<{ client: SqlClient; store: () => EventStore; done: () => Promise<void> }>,
): void {
  describe(`${name}: a database written under schema version 1`, () => {
    let before: { globalPosition: number; eventId: string; data: unknown }[];
    let after: RecordedEvent[];
    let store: EventStore;
    let client: SqlClient;
    let done: () => Promise<void>;

    beforeAll(async () => {
      const opened = await open();
      client = opened.client;
      done = opened.done;
      await writeUnderVersion1(client);
      const columns = await client.query<{ data_type: string }>(
        `select data_type from information_schema.columns
          where table_schema = 'event_store' and table_name = 'events' and column_name = 'data'`,
      );
      expect(columns[0]!.data_type).toBe('jsonb');
      // What version 1 held, read straight from the table with its own types.
      before = (
        await client.query<{ global_position: string | number; event_id: string; data: unknown }>(
          'select global_position, event_id, data from event_store.events order by global_position',
        )
      ).map((r) => ({
        globalPosition: Number(r.global_position),
        eventId: r.event_id,
        data: r.data,
      }));
      store = opened.store();
      await store.start();
      after = await readAll(store);
    });

    afterAll(async () => {
      await store.close();
      await done();
    });

    it('is at the newest schema version, with data as json', async () => {
      expect((await store.status()).schemaVersion).toBe(eventStoreMigrations.length);
      const columns = await client.query<{ data_type: string }>(
        `select data_type from information_schema.columns
          where table_schema = 'event_store' and table_name = 'events' and column_name = 'data'`,
      );
      expect(columns[0]!.data_type).toBe('json');
    });

    it('keeps every event with its position, id, data and envelope', () => {
      expect(after.map((e) => [e.globalPosition, e.eventId, e.data])).toEqual(
        before.map((e) => [e.globalPosition, e.eventId, e.data]),
      );
      expect(after.map((e) => [e.streamId, e.revision, e.type, e.schemaVersion])).toEqual([
        ['promise-hammaro', 0, 'PromiseDrafted', 1],
        ['walk-1', 0, 'SafetyWalkPlanned', 2],
        ['promise-hammaro', 1, 'PromiseSigned', 1],
      ]);
      expect(after[2]).toMatchObject({
        occurredAt: new Date('2024-05-17T08:00:00.000Z'),
        actor,
        correlationId: 'corr-2',
        causationId: 'cause-1',
        data: { nested: { a: [1, 2.5, null] } },
      });
      expect(after.every((e) => e.recordedAt instanceof Date)).toBe(true);
    });

    it('draws positions after the old ones from the same sequence', async () => {
      const result = await store.append(
        'promise-hammaro',
        [{ type: 'PromiseFollowedUp', data: { year: 2025 } }],
        { expectedRevision: 1, actor },
      );
      expect(result.streamRevision).toBe(2);
      expect(result.globalPosition).toBeGreaterThan(before[before.length - 1]!.globalPosition);
      const owner = await client.query<{ seq: string }>(
        "select pg_get_serial_sequence('event_store.events', 'global_position') as seq",
      );
      expect(owner[0]!.seq).toBe('event_store.global_position_seq');
    });

    it('still refuses a stale expected revision on an old stream, naming the actual one', async () => {
      const refused = store.append('walk-1', [{ type: 'SafetyWalkHeld', data: {} }], {
        expectedRevision: 'no_stream',
        actor,
      });
      await expect(refused).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(refused).rejects.toMatchObject({ streamId: 'walk-1', actualRevision: 0 });
    });

    it('answers a retry of an old event id with its first position and writes nothing', async () => {
      const count = (await readAll(store)).length;
      const retry = await store.append(
        'walk-1',
        [{ eventId: OLD[1]!, type: 'SafetyWalkPlanned', data: { place: 'Skoghall' } }],
        { expectedRevision: 'any', actor },
      );
      expect(retry.alreadyAppended).toBe(true);
      expect(retry.globalPosition).toBe(before[1]!.globalPosition);
      expect((await readAll(store)).length).toBe(count);
    });
  });
}

migrationSuite('embedded (PGlite)', async () => {
  const db = await PGlite.create();
  return {
    client: new PgliteSqlClient(db),
    store: () => createEmbeddedEventStoreOn(db, {}),
    done: async () => {
      if (!db.closed) await db.close();
    },
  };
});

const postgres = requirePostgres('the event-store migration test on PostgreSQL');
postgres.describe('PostgreSQL', () => {
  const databases = new TestDatabases(postgres.url);
  afterAll(() => databases.dropAll());
  migrationSuite('PostgreSQL', async () => {
    const url = await databases.create();
    const client = new PgSqlClient({ connectionString: url, max: 2 });
    return {
      client,
      store: () => createPostgresEventStore({ connectionString: url }),
      done: () => client.close(),
    };
  });
});
