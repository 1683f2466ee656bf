import { Client } from 'pg';
import { eventStoreContract, type HeldAppend } from '../contract/event-store.contract';
import { HELD_APPEND_SQL, heldAppendParams } from '../contract/sql-held-append';
import type { EventStore } from '../event-store.port';
import { createPostgresEventStore } from './postgres-event-store';
import { requirePostgres, TestDatabases } from './test-databases';

const postgres = requirePostgres('the PostgreSQL event-store contract');

postgres.describe('PostgreSQL adapter', () => {
  const databases = new TestDatabases(postgres.url);
  const urls = new WeakMap<EventStore, string>();

  afterAll(() => databases.dropAll());

  async function open(
    url: string,
    upcasters?: Parameters<typeof createPostgresEventStore>[0]['upcasters'],
  ): Promise<EventStore> {
    const store = createPostgresEventStore({
      connectionString: url,
      poolSize: 12,
      ...(upcasters ? { upcasters } : {}),
    });
    await store.start();
    urls.set(store, url);
    return store;
  }

  eventStoreContract('PostgreSQL', () => ({
    serialisesWriters: false,
    async create(options) {
      return open(await databases.create(), options?.upcasters);
    },
    async reopen(store, options) {
      await store.close();
      return open(urls.get(store)!, options?.upcasters);
    },
    async holdAppendOpen(store, streamId): Promise<HeldAppend> {
      const client = new Client({ connectionString: urls.get(store)! });
      await client.connect();
      await client.query('begin');
      const { rows } = await client.query<{ global_position: string }>(
        HELD_APPEND_SQL,
        heldAppendParams(streamId),
      );
      const finish = async (sql: string): Promise<void> => {
        await client.query(sql);
        await client.end();
      };
      return {
        globalPosition: Number(rows[0]!.global_position),
        commit: () => finish('commit'),
        rollback: () => finish('rollback'),
      };
    },
  }));
});
