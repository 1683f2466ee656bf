import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, type EventStoreConfig } from '@samverkan/event-store/event-store.config';
import type { EventStore, RecordedEvent } from '@samverkan/event-store/event-store.port';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import type { DataSource, EntityManager } from 'typeorm';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { createReadModelDataSource } from './read-model-data-source';
import { readModelMigrations } from './read-model-migrations';

const actor = { userId: 'u1', agency: 'police', role: 'officer' };

/** Inserts each event once; a second application of any event fails on the primary key. */
const strict: Projection = {
  name: 'strict',
  version: 1,
  tables: [],
  createTables: () => [],
  async apply(events: readonly RecordedEvent[], tx: EntityManager) {
    await tx.query(`insert into applied_once (position) select * from unnest($1::bigint[])`, [
      events.map((e) => e.globalPosition),
    ]);
  },
};

const pg = requirePostgres('the projection lease suite on PostgreSQL');
pg.describe('projection leases on PostgreSQL', () => {
  const databases = new TestDatabases(pg.url);
  afterAll(() => databases.dropAll());

  it('two projector processes started together never apply an event twice', async () => {
    const config: EventStoreConfig = {
      adapter: 'postgres',
      connectionString: await databases.create(),
      poolSize: 10,
    };
    const store = await createEventStore(config);
    await store.start();
    for (let i = 0; i < 40; i++) {
      await store.append(
        `s-${i % 3}`,
        Array.from({ length: 50 }, () => ({ type: 'T', data: {} })),
        {
          expectedRevision: 'any',
          actor,
        },
      );
    }
    // Two "processes": each its own data source (own connections) and runner.
    const sources: DataSource[] = [];
    for (let i = 0; i < 2; i++) {
      const ds = createReadModelDataSource(config, store, [], readModelMigrations);
      await ds.initialize();
      sources.push(ds);
    }
    await sources[0]!.runMigrations();
    await sources[0]!.query('create table applied_once (position bigint primary key)');
    const runners = sources.map((ds) => new ProjectionRunner(store, ds, 'postgres', 25));
    // Start together, several rounds, while more events arrive.
    const outcomes = [];
    let last = 0;
    for (let round = 0; round < 5; round++) {
      const appending = store.append('s-late', [{ type: 'T', data: { round } }], {
        expectedRevision: 'any',
        actor,
      });
      outcomes.push(...(await Promise.all(runners.map((r) => r.catchUp(strict)))));
      last = (await appending).globalPosition;
    }
    // Other suites' open transactions on the server can hold finality back for a moment.
    while ((await store.status()).headPosition < last) await new Promise((r) => setTimeout(r, 20));
    await runners[0]!.catchUp(strict);
    expect(outcomes.filter((o) => o.kind === 'failed')).toEqual([]);
    expect(outcomes.some((o) => o.kind === 'not_leader')).toBe(true);
    const [count] = await sources[0]!.query<{ n: string }[]>(
      'select count(*) as n from applied_once',
    );
    expect(Number(count?.n)).toBe(2005);
    for (const runner of runners) await runner.close();
    for (const ds of sources) await ds.destroy();
    await store.close();
  });
});

describe('read models on the embedded store share its one session safely', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samverkan-lease-'));
  let store: EventStore;
  let ds: DataSource;

  beforeAll(async () => {
    const config: EventStoreConfig = { adapter: 'embedded', dataDir: dir };
    store = await createEventStore(config);
    await store.start();
    ds = createReadModelDataSource(config, store, [], readModelMigrations);
    await ds.initialize();
    await ds.runMigrations();
    await ds.query('create table t (v int)');
  });
  afterAll(async () => {
    await ds.destroy();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an append waits for a read-model transaction instead of running inside it', async () => {
    let appended = false;
    let append: Promise<unknown> | undefined;
    await ds.transaction(async (tx) => {
      await tx.query('insert into t values (1)');
      append = store
        .append('s-1', [{ type: 'T', data: {} }], { expectedRevision: 'any', actor })
        .then(() => (appended = true));
      await new Promise((r) => setTimeout(r, 50));
      // Still waiting: it would otherwise have run inside this transaction.
      expect(appended).toBe(false);
    });
    await append;
    expect(appended).toBe(true);
  });

  it('a rolled-back read-model transaction undoes only its own writes', async () => {
    const before = (await store.status()).headPosition;
    await expect(
      ds.transaction(async (tx) => {
        await tx.query('insert into t values (2)');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await store.append('s-2', [{ type: 'T', data: {} }], { expectedRevision: 'any', actor });
    expect((await store.status()).headPosition).toBe(before + 1);
    expect(await ds.query('select v from t order by v')).toEqual([{ v: 1 }]);
  });
});
