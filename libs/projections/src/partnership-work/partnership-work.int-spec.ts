import { type SqlEventStore } from '@samverkan/event-store/sql/sql-event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, type EventStoreConfig } from '@samverkan/event-store/event-store.config';
import type { EventStore, RecordedEvent } from '@samverkan/event-store/event-store.port';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import type { DataSource, EntityManager } from 'typeorm';
import { ProjectionRunner } from '../projection-runner';
import { createReadModelDataSource } from '../read-model-data-source';
import { readModelMigrations } from '../read-model-migrations';
import { appendPartnershipLog } from '../testing/partnership-log';
import { appendPartnershipWorkLog } from './partnership-work-log';
import { partnershipWorkProjection as projection } from './partnership-work.projection';

interface Harness {
  store: EventStore;
  dataSource: DataSource;
  runners: ProjectionRunner[];
  runner(batchSize: number): ProjectionRunner;
}

async function open(config: EventStoreConfig): Promise<Harness> {
  const store = await createEventStore(config);
  await store.start();
  const dataSource = createReadModelDataSource(config, store, [], readModelMigrations);
  await dataSource.initialize();
  await dataSource.runMigrations();
  const runners: ProjectionRunner[] = [];
  return {
    store,
    dataSource,
    runners,
    runner: (batchSize) => {
      const made = new ProjectionRunner(store, dataSource, config.adapter, batchSize);
      runners.push(made);
      return made;
    },
  };
}

async function close(h: Harness): Promise<void> {
  for (const runner of h.runners) await runner.close();
  await h.dataSource.destroy();
  await h.store.close();
}

/** Every row of every table of a table set, as text in a fixed order: to compare two sets. */
async function contents(db: DataSource | EntityManager, schema: string) {
  const out: Record<string, string[]> = {};
  for (const table of projection.tables) {
    const rows = await db.query<{ row: string }[]>(
      `select t::text as row from "${schema}"."${table}" t order by 1`,
    );
    out[table] = rows.map((r) => r.row);
  }
  return out;
}

/** The tables built from scratch by `parts` applied one after another, each its own batch. */
async function builtBy(ds: DataSource, parts: readonly (readonly RecordedEvent[])[]) {
  const scratch = 'pw_scratch';
  return ds.transaction(async (tx) => {
    await tx.query(`drop schema if exists ${scratch} cascade`);
    await tx.query(`create schema ${scratch}`);
    for (const ddl of projection.createTables(scratch)) await tx.query(ddl);
    for (const part of parts) if (part.length > 0) await projection.apply(part, tx, scratch);
    const built = await contents(tx, scratch);
    await tx.query(`drop schema ${scratch} cascade`);
    return built;
  });
}

async function settled(store: EventStore, position: number): Promise<void> {
  while ((await store.status()).headPosition < position) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

function suite(name: string, config: () => Promise<EventStoreConfig>): void {
  describe(`the partnership-work read model on ${name}`, () => {
    let h: Harness;
    let head: number;
    let events: RecordedEvent[];
    let live: Record<string, string[]>;
    let tableSet: string;

    beforeAll(async () => {
      h = await open(await config());
      // Other parts of the log around it: the projection reads only its own event types, and
      // a walk from the oldest shape (area in free text, nothing else) must not stop it.
      await appendPartnershipLog(h.store, {
        promises: 1,
        activities: 30,
        reports: 6,
        prefix: 'x-',
      });
      head = await appendPartnershipWorkLog(h.store, {
        walks: 9,
        findings: 7,
        talks: 11,
        estWeeks: 6,
      });
      await settled(h.store, head);
      events = [];
      // Sealed, as the runner reads them: the tables hold personal fields as sealed texts.
      for await (const e of h.store.readAll({
        filter: { types: projection.eventTypes },
        personalData: 'sealed',
      })) {
        events.push(e);
      }
      // Every event its own batch: each change meets rows a batch before wrote.
      const outcome = await h.runner(1).catchUp(projection);
      expect(outcome).toMatchObject({ kind: 'caught_up', position: head });
      tableSet = (await h.runner(1).status(projection.name)).tableSet!;
      live = await contents(h.dataSource, tableSet);
    });
    afterAll(() => close(h));

    it('holds walks, findings, talks and EST as the log states them', async () => {
      // What the API answers: the sealed fields revealed.
      const q = async <T>(sql: string) =>
        (h.store as SqlEventStore).protection!.fields.revealSealedTexts(
          await h.dataSource.query<T[]>(sql),
        );
      // 6 walks of 9 walked, 3 findings each; 7 reported outside walks.
      expect(live['findings']).toHaveLength(6 * 3 + 7);
      expect(
        await q(
          `select walk_id, area_id, route, unresolved_places, status from projections.safety_walks
            where walk_id in ('walk-0', 'walk-2', 'x-w-0') order by walk_id`,
        ),
      ).toEqual([
        {
          walk_id: 'walk-0',
          area_id: 'skoghall-centrum',
          route: ['skoghall-centrum'],
          unresolved_places: ['Gamla bryggan'],
          status: 'conducted',
        },
        expect.objectContaining({ walk_id: 'walk-2', status: 'planned' }),
        // The oldest shape: nothing but an area in free text.
        expect.objectContaining({ walk_id: 'x-w-0', route: [], status: 'planned' }),
      ]);
      expect(
        await q(
          `select stream_id, finding_id, walk_id, responsible_party, responsible_parties,
                  reporting_agency, invited_parties, found_on::text, addressed_on::text, action
             from projections.findings
            where (stream_id = 'safety-walk-walk-4' and finding_id in ('f-0', 'f-1'))
               or stream_id in ('finding-finding-0', 'finding-finding-1')
            order by stream_id, finding_id`,
        ),
      ).toEqual([
        {
          stream_id: 'finding-finding-0',
          finding_id: 'finding-0',
          walk_id: null,
          responsible_party: 'housing-company',
          responsible_parties: ['housing-company'],
          reporting_agency: 'housing-company',
          invited_parties: [],
          found_on: '2024-10-01',
          addressed_on: '2024-12-01',
          action: 'Lampor bytta',
        },
        expect.objectContaining({
          stream_id: 'finding-finding-1',
          responsible_party: 'municipality',
          responsible_parties: ['housing-company', 'municipality'],
          addressed_on: null,
        }),
        expect.objectContaining({
          finding_id: 'f-0',
          walk_id: 'walk-4',
          responsible_party: 'housing-company',
          responsible_parties: ['municipality', 'housing-company'],
          reporting_agency: null,
          invited_parties: ['housing-company'],
          found_on: '2024-05-24',
        }),
        expect.objectContaining({ finding_id: 'f-1', addressed_on: null }),
      ]);
      const talks = await q<{
        talk_id: string;
        status: string;
        legal_basis: string;
        participants: { agency: string; role: string }[];
        follow_ups: unknown[];
        closed: boolean;
      }>(
        `select talk_id, status, legal_basis, participants, follow_ups, closed
           from projections.prevention_talks where talk_id in ('talk-0', 'talk-1', 'talk-2')
          order by talk_id`,
      );
      expect(talks).toEqual([
        expect.objectContaining({
          talk_id: 'talk-0',
          status: 'planned',
          legal_basis: 'consent',
          follow_ups: [],
        }),
        expect.objectContaining({
          talk_id: 'talk-1',
          status: 'closed',
          legal_basis: 'osl-10-18a',
          closed: true,
          follow_ups: [
            { responsibleAgency: 'social-services', dueOn: '2024-11-15' },
            { responsibleAgency: 'police', dueOn: '2024-12-01' },
          ],
        }),
        expect.objectContaining({ talk_id: 'talk-2', status: 'held', closed: false }),
      ]);
      // Planned (as changed: the school taken off) and those who held it.
      expect(talks[2]!.participants).toEqual([
        { agency: 'social-services', role: 'social-worker' },
        { agency: 'police', role: 'municipal-police-officer' },
        { agency: 'social-services', role: 'field-worker' },
      ]);
      expect(
        await q(
          `select place_id, agency, assigned from projections.est_reporters
            where place_id = 'mormon' order by agency`,
        ),
      ).toEqual([
        { place_id: 'mormon', agency: 'municipal-security', assigned: false },
        { place_id: 'mormon', agency: 'police', assigned: true },
      ]);
      // Corrected counts replace the reported ones.
      expect(
        await q(
          `select week, week_start::text, counts->'vandalism' as vandalism from projections.est_counts
            where place_id = 'skoghall-centrum' and week = '2024-W33'`,
        ),
      ).toEqual([{ week: '2024-W33', week_start: '2024-08-12', vandalism: 1 }]);
      expect(live['est_counts']).toHaveLength(6 * 4);
    });

    it('keeps nothing personal of a talk: no subject, purpose, outcome, notes or agreed action', () => {
      const text = live['prevention_talks']!.join('\n');
      for (const personal of [
        'SOC-SUBJ',
        'Oro för ungdom',
        'Utfall',
        'Åtgärd',
        'Kontakt',
        'Anteckning',
      ]) {
        expect(text).not.toContain(personal);
      }
    });

    it('changes nothing when the same events are applied again, whole or in part', async () => {
      await h.dataSource.transaction((tx) => projection.apply(events, tx, tableSet));
      await h.dataSource.transaction((tx) =>
        projection.apply(events.slice(Math.floor(events.length / 3)), tx, tableSet),
      );
      // An older batch after newer ones (a runner that lost its lease would be refused by the
      // checkpoint, but the rows must not depend on it).
      await h.dataSource.transaction((tx) => projection.apply(events.slice(0, 20), tx, tableSet));
      expect(await contents(h.dataSource, tableSet)).toEqual(live);
    });

    it('gives the same tables for a batch split anywhere', async () => {
      expect(await builtBy(h.dataSource, [events])).toEqual(live);
      for (let k = 1; k < events.length; k += 3) {
        expect(await builtBy(h.dataSource, [events.slice(0, k), events.slice(k)])).toEqual(live);
      }
      // Three parts, the middle one applied twice.
      const a = Math.floor(events.length / 3);
      const b = 2 * a;
      expect(
        await builtBy(h.dataSource, [
          events.slice(0, a),
          events.slice(a, b),
          events.slice(a, b),
          events.slice(b),
        ]),
      ).toEqual(live);
    });

    it('rebuilds from the log into tables equal to the live ones', async () => {
      const runner = h.runner(500);
      const rebuilt = await runner.rebuild(projection, { until: head });
      expect(rebuilt.position).toBe(head);
      expect(await contents(h.dataSource, rebuilt.tableSet)).toEqual(live);
      await runner.discardRebuild(projection);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'samverkan-partnership-work-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
suite('the embedded store', () => Promise.resolve({ adapter: 'embedded', dataDir: dir }));

const pg = requirePostgres('the partnership-work read model suite on PostgreSQL');
pg.describe('PostgreSQL', () => {
  const databases = new TestDatabases(pg.url);
  afterAll(() => databases.dropAll());
  suite('PostgreSQL', async () => ({
    adapter: 'postgres',
    connectionString: await databases.create(),
    poolSize: 10,
  }));
});
