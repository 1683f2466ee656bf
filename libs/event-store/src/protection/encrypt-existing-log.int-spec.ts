import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { createEmbeddedEventStoreOn } from '../embedded/embedded-event-store';
import type { Actor, EventStore, RecordedEvent } from '../event-store.port';
import { createPostgresEventStore } from '../postgres/postgres-event-store';
import { requirePostgres, TestDatabases } from '../postgres/test-databases';
import { type SqlEventStore } from '../sql/sql-event-store';
import { verifyLog } from '../tamper-evidence/sql-log-verifier';
import { MasterKeyRing, newMasterKeyEntry } from './master-keys';

const actor: Actor = { userId: 'u-polis', agency: 'police', role: 'officer' };
const masterKeys = MasterKeyRing.parse(newMasterKeyEntry('upgrade'));
const OUTCOME = 'Kontroll; Kalle Karlsson stoppades';

/** A log as an earlier version wrote it: personal fields as plain text. */
async function writeBeforeEncryption(store: EventStore): Promise<void> {
  await store.append(
    'citizen-promise-x',
    [
      {
        type: 'CommitmentActivityRecorded',
        schemaVersion: 2,
        data: {
          activityId: 'a-1',
          commitmentId: 'c',
          kind: 'traffic-control',
          date: '2024-05-01',
          placeIds: [],
          agenciesPresent: ['police'],
          outcome: OUTCOME,
          figures: {},
        },
      },
      { type: 'CommitmentActivityWithdrawn', data: { activityId: 'a-1', reason: 'Fel: Kalle' } },
    ],
    { expectedRevision: 'no_stream', actor },
  );
  await store.append('places-x', [{ type: 'PlaceRegistered', data: { placeId: 'p' } }], {
    expectedRevision: 'no_stream',
    actor,
  });
}

async function all(
  store: EventStore,
  form: 'revealed' | 'sealed' = 'revealed',
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const e of store.readAll({ personalData: form })) events.push(e);
  return events;
}

function upgradeSuite(
  name: string,
  open: (
    withKeys: boolean,
  ) => Promise<{ store: SqlEventStore; raw: (sql: string) => Promise<string> }>,
): void {
  describe(`upgrading a log written before encryption, on ${name}`, () => {
    it('encrypts the plain personal fields once, relinks their streams and records it', async () => {
      const before = await open(false);
      await writeBeforeEncryption(before.store);
      expect(await before.raw('select data::text from event_store.events')).toContain('Kalle');
      await before.store.close();

      const after = await open(true);
      try {
        expect(await after.raw('select data::text from event_store.events')).not.toContain('Kalle');
        const events = await all(after.store);
        expect(events.map((e) => e.type)).toEqual([
          'CommitmentActivityRecorded',
          'CommitmentActivityWithdrawn',
          'PlaceRegistered',
          'LogPersonalFieldsEncrypted',
        ]);
        expect(events[0]!.data['outcome']).toBe(OUTCOME);
        expect(events[3]!.data).toEqual({ eventsEncrypted: 2, streamsRelinked: 1 });
        expect(await verifyLog(after.store.sqlClient, { verify: () => undefined })).toMatchObject({
          intact: true,
          eventsChecked: 4,
        });
      } finally {
        await after.store.close();
      }
      // Once: a second start finds it done and records nothing more.
      const again = await open(true);
      try {
        expect(await again.raw('select count(*)::int as n from event_store.events')).toBe(
          '[{"n":4}]',
        );
      } finally {
        await again.store.close();
      }
    });
  });
}

const root = mkdtempSync(join(tmpdir(), 'samverkan-upgrade-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

upgradeSuite('the embedded store', async (withKeys) => {
  const dir = join(root, 'log');
  const db = await PGlite.create(dir);
  const store = createEmbeddedEventStoreOn(db, {
    dataDir: dir,
    ...(withKeys ? { masterKeys } : {}),
  });
  await store.start();
  return {
    store,
    raw: async (sql) => JSON.stringify((await db.query(sql)).rows),
  };
});

const postgres = requirePostgres('the upgrade of an existing log on PostgreSQL');
postgres.describe('on PostgreSQL', () => {
  const databases = new TestDatabases(postgres.url);
  afterAll(() => databases.dropAll());
  let url: string | undefined;
  upgradeSuite('PostgreSQL', async (withKeys) => {
    url ??= await databases.create();
    const store = createPostgresEventStore({
      connectionString: url,
      poolSize: 2,
      ...(withKeys ? { masterKeys } : {}),
    }) as SqlEventStore;
    await store.start();
    const target = url;
    return {
      store,
      raw: async (sql) => {
        const c = new Client({ connectionString: target });
        await c.connect();
        try {
          return JSON.stringify((await c.query(sql)).rows);
        } finally {
          await c.end();
        }
      },
    };
  });

  it("stops start-up when only the application's role is given", async () => {
    const role = `samverkan_upgrade_${process.pid}`;
    const ownerUrl = await databases.create();
    const admin = new Client({ connectionString: ownerUrl });
    await admin.connect();
    await admin.query(`drop role if exists ${role}`).catch(() => undefined);
    await admin.query(`create role ${role} login`);
    await admin.query(
      `grant create on database "${new URL(ownerUrl).pathname.slice(1)}" to ${role}`,
    );
    try {
      const plain = createPostgresEventStore({ connectionString: ownerUrl, poolSize: 2 });
      await plain.start();
      await writeBeforeEncryption(plain);
      await plain.close();
      const appUrl = new URL(ownerUrl);
      appUrl.username = role;
      // The owner granted the application its rights once, at an earlier start.
      const granting = createPostgresEventStore({
        connectionString: appUrl.toString(),
        ownerConnectionString: ownerUrl,
        poolSize: 2,
      });
      await granting.start();
      await granting.close();
      const app = createPostgresEventStore({
        connectionString: appUrl.toString(),
        poolSize: 2,
        masterKeys,
      });
      await expect(app.start()).rejects.toThrow(/DATABASE_OWNER_URL/);
      await app.close();
    } finally {
      await admin.query(`drop owned by ${role} cascade`).catch(() => undefined);
      await admin.end();
    }
  });
});
