import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { createEmbeddedEventStoreOn } from '../embedded/embedded-event-store';
import type { Actor, EventStore } from '../event-store.port';
import { createPostgresEventStore } from '../postgres/postgres-event-store';
import { requirePostgres, TestDatabases } from '../postgres/test-databases';
import { type SqlEventStore } from '../sql/sql-event-store';
import { sealKeysOf } from './seal-keys';
import { SqlLogSealer } from './sql-log-sealer';
import { verifyLog, type VerificationReport } from './sql-log-verifier';

const actor: Actor = { userId: 'u-tamper', agency: 'police', role: 'community-police-officer' };
const keys = sealKeysOf(generateKeyPairSync('ed25519').privateKey);

/** Plain SQL on the store's database, as someone with the owner's role would run it. */
interface Tamperer {
  run(sql: string): Promise<void>;
  rows<T>(sql: string): Promise<T[]>;
}

interface Subject {
  store: SqlEventStore;
  sql: Tamperer;
}

async function seal(store: SqlEventStore): Promise<void> {
  await new SqlLogSealer(store.sqlClient, keys).sealThrough(await store.headCoveringOwnWrites());
}

const verify = (store: SqlEventStore): Promise<VerificationReport> =>
  verifyLog(store.sqlClient, keys);

/** Three streams, events of one and of several per append, sealed. Positions 1..9. */
async function history(store: EventStore): Promise<void> {
  await store.append('walk-1', [{ type: 'SafetyWalkPlanned', data: { n: 1 } }], {
    expectedRevision: 'no_stream',
    actor,
  });
  await store.append(
    'report-1',
    [
      { type: 'SituationReported', data: { text: 'Klotter vid busshållplatsen' } },
      { type: 'SituationReportCorrected', data: { text: 'Klotter och krossat glas' } },
    ],
    { expectedRevision: 'no_stream', actor },
  );
  await store.append('walk-1', [{ type: 'SafetyWalkConducted', data: { n: 2 } }], {
    expectedRevision: 0,
    actor,
  });
  await store.append('report-1', [{ type: 'SituationReportRetracted', data: { n: 3 } }], {
    expectedRevision: 'any',
    actor,
    causationId: 'cause-1',
  });
  await store.append(
    'talk-1',
    [1, 2, 3].map((n) => ({ type: 'PreventionTalkFollowedUp', data: { n } })),
    { expectedRevision: 'no_stream', actor },
  );
  await store.append('walk-1', [{ type: 'FindingAddressed', data: { n: 4 } }], {
    expectedRevision: 'stream_exists',
    actor,
  });
}

function tamperSuite(name: string, open: () => Promise<Subject>): void {
  describe(`tamper evidence on ${name}`, () => {
    let subject: Subject;
    beforeEach(async () => {
      subject = await open();
      await history(subject.store);
      await seal(subject.store);
    });
    afterEach(() => subject.store.close());

    it('links every event as the verifier recomputes it, and a sealed log holds', async () => {
      const report = await verify(subject.store);
      expect(report).toMatchObject({
        intact: true,
        eventsChecked: 9,
        streamsChecked: 3,
        blocksChecked: 1,
        sealedThrough: 9,
        unsealedEvents: 0,
        problemCount: 0,
      });
      expect(report.firstProblem).toBeUndefined();
      // Events appended after the seal are checked by their chains and counted as unsealed.
      await subject.store.append('walk-2', [{ type: 'SafetyWalkPlanned', data: {} }], {
        expectedRevision: 'no_stream',
        actor,
      });
      expect(await verify(subject.store)).toMatchObject({ intact: true, unsealedEvents: 1 });
    });

    it("reports one event's data changed with plain SQL at its position", async () => {
      await subject.sql.run(
        `update event_store.events set data = '{"text":"Inget hände"}' where global_position = 3`,
      );
      const report = await verify(subject.store);
      expect(report.intact).toBe(false);
      expect(report.firstProblem).toMatchObject({
        kind: 'content-changed',
        globalPosition: 3,
        streamId: 'report-1',
        revision: 1,
      });
    });

    it('reports a change whose stream chain was recomputed by the sealed block', async () => {
      await subject.sql.run(
        `update event_store.events set data = '{"text":"Inget hände"}' where global_position = 3`,
      );
      await recomputeChain(subject.sql, 'report-1');
      const report = await verify(subject.store);
      expect(report.problems.filter((p) => p.kind === 'content-changed')).toEqual([]);
      expect(report.firstProblem).toMatchObject({
        kind: 'sealed-content-changed',
        globalPosition: 3,
        blockNumber: 1,
      });
    });

    it("reports a stream's newest event deleted once it is sealed", async () => {
      await subject.sql.run('delete from event_store.events where global_position = 9');
      const report = await verify(subject.store);
      // The chain alone cannot tell (nothing follows it); the block can.
      expect(report.firstProblem).toMatchObject({ kind: 'missing', globalPosition: 9 });
      expect(report.problemCount).toBe(1);
    });

    it('reports an event deleted from the middle of a stream by the chain too', async () => {
      await subject.sql.run('delete from event_store.events where global_position = 7');
      const report = await verify(subject.store);
      expect(report.firstProblem).toMatchObject({ kind: 'missing', globalPosition: 7 });
      expect(report.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'missing', globalPosition: 8, streamId: 'talk-1' }),
        ]),
      );
    });

    it('reports two events swapped at the lower position', async () => {
      // Swap the data of the talk's first and third follow-up.
      await subject.sql.run(`
        update event_store.events e set data = o.data
          from event_store.events o
         where (e.global_position, o.global_position) in ((6, 8), (8, 6))`);
      const report = await verify(subject.store);
      expect(report.firstProblem).toMatchObject({ kind: 'content-changed', globalPosition: 6 });
      expect(report.problems.map((p) => p.globalPosition)).toEqual(expect.arrayContaining([6, 8]));
    });

    it("reports an event inserted behind the store's back inside a sealed range", async () => {
      // A position drawn and never used (an append rolled back), then sealed over.
      await subject.sql.run(`select nextval('event_store.global_position_seq')`);
      await subject.store.append('walk-2', [{ type: 'SafetyWalkPlanned', data: {} }], {
        expectedRevision: 'no_stream',
        actor,
      });
      await seal(subject.store);
      expect(await verify(subject.store)).toMatchObject({ intact: true, blocksChecked: 2 });
      // The trigger links it as a proper next event of its stream: only the block can tell.
      await subject.sql.run(`
        insert into event_store.events (global_position, revision, occurred_at, schema_version,
          event_id, stream_id, type, actor_user_id, actor_agency, actor_role, correlation_id, data)
        values (10, 3, now(), 1, gen_random_uuid(), 'walk-1', 'FindingAddressed', 'u-x', 'police',
          'community-police-officer', 'c-x', '{"n":5}')`);
      const report = await verify(subject.store);
      expect(report.firstProblem).toMatchObject({
        kind: 'unexpected',
        globalPosition: 10,
        streamId: 'walk-1',
        blockNumber: 2,
      });
    });

    it('reports a changed sealed block, and a block signed by another key', async () => {
      const stranger = sealKeysOf(generateKeyPairSync('ed25519').privateKey);
      let report = await verifyLog(subject.store.sqlClient, stranger);
      expect(report.firstProblem?.detail).toMatch(/key not configured/);
      await subject.sql.run(
        `update event_store.blocks set sealed_at = sealed_at + interval '1 second'`,
      );
      report = await verify(subject.store);
      expect(report.firstProblem).toMatchObject({
        kind: 'block-invalid',
        globalPosition: 1,
        blockNumber: 1,
      });
      expect(report.firstProblem?.detail).toMatch(/head does not match/);
    });

    it('reports leaves changed to match a recomputed chain', async () => {
      await subject.sql.run(
        `update event_store.events set data = '{"text":"Inget hände"}' where global_position = 3`,
      );
      await recomputeChain(subject.sql, 'report-1');
      await subject.sql.run(`
        update event_store.blocks b set leaves = (
          select string_agg(sha256('\\x00'::bytea || int8send(e.global_position) || e.link), ''::bytea
                            order by e.global_position)
            from event_store.events e
           where e.global_position > b.after_position and e.global_position <= b.through_position)`);
      const report = await verify(subject.store);
      expect(report.firstProblem).toMatchObject({ kind: 'block-invalid', blockNumber: 1 });
      expect(report.firstProblem?.detail).toMatch(/Merkle root/);
    });

    it('chains appends racing on one stream and many streams', async () => {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          subject.store.append(
            `race-${i % 3}`,
            [
              { type: 'Raced', data: { i } },
              { type: 'Raced', data: { i, second: true } },
            ],
            { expectedRevision: 'any', actor },
          ),
        ),
      );
      await seal(subject.store);
      const report = await verify(subject.store);
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({
        intact: true,
        eventsChecked: 89,
        streamsChecked: 6,
      });
    });
  });
}

/** What an attacker who knows the scheme does: every link of the stream made anew, in order. */
async function recomputeChain(sql: Tamperer, streamId: string): Promise<void> {
  await sql.run(`
    do $$
    declare e record; previous bytea := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
    begin
      for e in select * from event_store.events where stream_id = '${streamId}' order by revision loop
        previous := sha256(previous || event_store.event_content(e.stream_id,
          e.revision, e.event_id, e.type, e.schema_version, e.occurred_at, e.recorded_at,
          e.actor_user_id, e.actor_agency, e.actor_role, e.correlation_id, e.causation_id, e.data));
        update event_store.events set link = previous where global_position = e.global_position;
      end loop;
    end $$`);
}

const root = mkdtempSync(join(tmpdir(), 'samverkan-tamper-'));
const template = join(root, 'template');
let copies = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

tamperSuite('the embedded store', async () => {
  // initdb costs seconds: done once, each test opens a copy of the migrated folder.
  if (!existsSync(template)) {
    const first = createEmbeddedEventStoreOn(await PGlite.create(template), {});
    await first.start();
    await first.close();
  }
  const dir = join(root, `copy-${copies++}`);
  cpSync(template, dir, { recursive: true });
  const db = await PGlite.create(dir);
  const store = createEmbeddedEventStoreOn(db, {});
  await store.start();
  return {
    store,
    sql: {
      run: async (text) => void (await db.exec(text)),
      rows: async <T>(text: string) => (await db.query<T>(text)).rows,
    },
  };
});

const postgres = requirePostgres('the tamper-evidence tests on PostgreSQL');

postgres.describe('on PostgreSQL', () => {
  const databases = new TestDatabases(postgres.url);
  const clients: Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await databases.dropAll();
  });

  tamperSuite('PostgreSQL', async () => {
    const url = await databases.create();
    const store = createPostgresEventStore({ connectionString: url, poolSize: 4 });
    await store.start();
    const client = new Client({ connectionString: url });
    await client.connect();
    clients.push(client);
    return {
      store: store as SqlEventStore,
      sql: {
        run: async (text) => void (await client.query(text)),
        rows: async <T>(text: string) => (await client.query(text)).rows as T[],
      },
    };
  });

  describe("the application's role", () => {
    const role = `samverkan_app_${process.pid}`;
    let admin: Client;
    beforeAll(async () => {
      admin = new Client({ connectionString: postgres.url });
      await admin.connect();
      await admin.query(`drop role if exists ${role}`).catch(() => undefined);
      await admin.query(`create role ${role} login`);
    });
    afterAll(async () => {
      await admin.query(`drop owned by ${role} cascade`).catch(() => undefined);
      await admin.end();
    });

    it('appends, seals and verifies, and may not update, delete or truncate events', async () => {
      const ownerUrl = await databases.create();
      const appUrl = new URL(ownerUrl);
      appUrl.username = role;
      const db = new Client({ connectionString: ownerUrl });
      await db.connect();
      await db.query(
        `grant create on database "${new URL(ownerUrl).pathname.slice(1)}" to ${role}`,
      );
      await db.end();
      const store = createPostgresEventStore({
        connectionString: appUrl.toString(),
        ownerConnectionString: ownerUrl,
        poolSize: 2,
      }) as SqlEventStore;
      await store.start();
      try {
        expect((await store.status()).detail['eventsEditable']).toBe(false);
        await history(store);
        await seal(store);
        expect(await verify(store)).toMatchObject({ intact: true, eventsChecked: 9 });
        for (const statement of [
          `update event_store.events set data = '{}' where global_position = 1`,
          'delete from event_store.events where global_position = 9',
          'truncate event_store.events',
          `update event_store.blocks set sealed_at = now()`,
          'delete from event_store.blocks',
        ]) {
          await expect(store.sqlClient.query(statement)).rejects.toMatchObject({ code: '42501' });
        }
        expect(await verify(store)).toMatchObject({ intact: true, eventsChecked: 9 });
      } finally {
        await store.close();
      }
    });
  });
});
