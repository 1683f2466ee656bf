import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, type EventStoreConfig } from '@samverkan/event-store/event-store.config';
import type { EventStore, NewEvent, RecordedEvent } from '@samverkan/event-store/event-store.port';
import { type SqlEventStore } from '@samverkan/event-store/sql/sql-event-store';

/** What the API answers from a read model: its sealed fields revealed. */
function revealed<T>(store: EventStore, value: T): Promise<T> {
  return (store as SqlEventStore).protection!.fields.revealSealedTexts(value);
}
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import type { DataSource, EntityManager } from 'typeorm';
import type { CitizenPromiseEvent } from '@samverkan/domain/citizen-promise/citizen-promise.events';
import { foldPromiseDocument } from '@samverkan/domain/citizen-promise/citizen-promise.view';
import { auditTrailProjection } from './audit-trail/audit-trail.projection';
import {
  commitmentTimelineProjection,
  readPromiseDocument,
} from './commitment-timeline/commitment-timeline.projection';
import { situationPictureProjection } from './situation-picture/situation-picture.projection';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { createReadModelDataSource } from './read-model-data-source';
import { readModelMigrations } from './read-model-migrations';

interface Harness {
  config: EventStoreConfig;
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
  const runner = (batchSize: number) => {
    const made = new ProjectionRunner(store, dataSource, config.adapter, batchSize);
    runners.push(made);
    return made;
  };
  return { config, store, dataSource, runners, runner };
}

async function close(h: Harness): Promise<void> {
  for (const runner of h.runners) await runner.close();
  await h.dataSource.destroy();
  await h.store.close();
}

const agencies = ['police', 'municipality', 'school', 'social-services'] as const;

/**
 * Waits until the log is final through its last append: a transaction open anywhere on the
 * server (other suites run beside this one) holds back what readers, the runner included, see.
 */
async function settled(store: EventStore, position: number): Promise<void> {
  while ((await store.status()).headPosition < position) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function appendEvents(store: EventStore, count: number): Promise<void> {
  let last = 0;
  for (let i = 0; i < count; i += 10) {
    const result = await store.append(
      `log-p${i % 7}`,
      Array.from({ length: 10 }, (_, j) => ({
        type: 'SomethingNoted',
        data: { n: i + j },
      })),
      {
        expectedRevision: 'any',
        actor: { userId: `u${i % 5}`, agency: agencies[i % 4]!, role: 'officer' },
        correlationId: `c-${i}`,
      },
    );
    last = result.globalPosition;
  }
  await settled(store, last);
}

async function logRows(store: EventStore): Promise<string[]> {
  const rows: string[] = [];
  for await (const e of store.readAll()) {
    rows.push(
      [
        e.globalPosition,
        e.eventId,
        e.streamId,
        e.revision,
        e.type,
        e.actor.userId,
        e.actor.agency,
      ].join('|'),
    );
  }
  return rows;
}

async function trailRows(ds: DataSource): Promise<string[]> {
  const rows = await ds.query<
    {
      global_position: string;
      event_id: string;
      stream_id: string;
      revision: string;
      event_type: string;
      actor_user_id: string;
      actor_agency: string;
    }[]
  >(`select * from projections.audit_trail order by global_position`);
  return rows.map((r) =>
    [
      r.global_position,
      r.event_id,
      r.stream_id,
      r.revision,
      r.event_type,
      r.actor_user_id,
      r.actor_agency,
    ].join('|'),
  );
}

function runnerContract(name: string, config: () => Promise<EventStoreConfig>): void {
  describe(`projection runner on ${name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await open(await config());
    });
    afterAll(() => close(h));

    it('builds the audit trail from every envelope in batches, and applying again changes nothing', async () => {
      await appendEvents(h.store, 1200);
      const runner = h.runner(100);
      const first = await runner.catchUp(auditTrailProjection);
      expect(first).toEqual({ kind: 'caught_up', position: 1200, applied: 1200 });
      expect(await trailRows(h.dataSource)).toEqual(await logRows(h.store));
      // The same events applied once more (as after a crash before the checkpoint) change nothing.
      const events: RecordedEvent[] = [];
      for await (const e of h.store.readAll({ maxCount: 300 })) events.push(e);
      const { tableSet } = await runner.status('audit-trail');
      await h.dataSource.transaction((tx) => auditTrailProjection.apply(events, tx, tableSet!));
      expect(await trailRows(h.dataSource)).toEqual(await logRows(h.store));
      expect(await runner.catchUp(auditTrailProjection)).toEqual({
        kind: 'caught_up',
        position: 1200,
        applied: 0,
      });
    });

    it('keeps each situation report as it stands now, and replaying older events changes nothing', async () => {
      const details = {
        area: 'Skoghall',
        problemArea: 'vandalism-burglary',
        period: { from: '2024-09-01', to: '2024-09-30' },
        trend: 'rising',
        severity: 'medium',
        description: 'Klotter',
        source: 'own-observation',
        sensitivity: 'open',
        sharedWith: [],
      };
      const school = { userId: 'rektor', agency: 'school', role: 'principal' };
      for (const id of ['r1', 'r2']) {
        await h.store.append(
          `situation-report-${id}`,
          [
            {
              type: 'SituationReported',
              data: { reportId: id, reportingAgency: 'school', ...details },
            },
          ],
          { expectedRevision: 'no_stream', actor: school },
        );
      }
      await h.store.append(
        'situation-report-r1',
        [
          {
            type: 'SituationReportCorrected',
            data: { reason: 'fel', ...details, severity: 'high' },
          },
        ],
        { expectedRevision: 0, actor: school },
      );
      const retracted = await h.store.append(
        'situation-report-r2',
        [{ type: 'SituationReportRetracted', data: { reason: 'dubblett' } }],
        { expectedRevision: 0, actor: school },
      );
      await settled(h.store, retracted.globalPosition);
      const runner = h.runner(1); // every event its own batch: the paths across batches
      expect((await runner.catchUp(situationPictureProjection)).kind).toBe('caught_up');
      const snapshot = () =>
        h.dataSource.query(
          'select report_id, severity, status, last_position from projections.situation_reports order by report_id',
        );
      const once = await snapshot();
      expect(once).toEqual([
        expect.objectContaining({ report_id: 'r1', severity: 'high', status: 'reported' }),
        expect.objectContaining({ report_id: 'r2', severity: 'medium', status: 'retracted' }),
      ]);
      const events: RecordedEvent[] = [];
      for await (const e of h.store.readAll()) events.push(e);
      const { tableSet } = await runner.status('situation-picture');
      await h.dataSource.transaction((tx) =>
        situationPictureProjection.apply(events, tx, tableSet!),
      );
      expect(await snapshot()).toEqual(once);
    });

    it('keeps each promise and its activities as the domain folds them, across batches and when applied again', async () => {
      const officer = { userId: 'officer.1', agency: 'police', role: 'officer' };
      const stream = 'citizen-promise-tl';
      const details = (date: string, place: string) => ({
        kind: 'local-office',
        date,
        place,
        agenciesPresent: ['police'],
        outcome: 'På plats',
        figures: { visitors: 3 },
      });
      const events: NewEvent[] = [
        {
          type: 'PromiseDrafted',
          data: {
            promiseId: 'tl',
            title: 'Löfte',
            municipality: 'Hammarö kommun',
            policeArea: 'LPO Karlstad',
            period: { from: '2024-01-01', to: '2024-12-31' },
            origin: 'dialog',
            problemAreas: [{ rank: 1, code: 'alcohol-drug-crime', name: 'Droger' }],
            focus: 'Droger',
            commitments: [
              {
                commitmentId: 'office',
                owner: 'police',
                description: 'Poliskontor',
                problemAreaRanks: [1],
                cadence: { times: 1, per: 'week' },
              },
            ],
            signatories: [],
            draftedOn: '2023-12-01',
          },
        },
        {
          type: 'CommitmentActivityRecorded',
          data: { activityId: 'a', commitmentId: 'office', ...details('2024-01-09', 'Skoghall') },
        },
        {
          type: 'CommitmentActivityRecorded',
          data: { activityId: 'b', commitmentId: 'office', ...details('2024-01-02', 'Mörmon') },
        },
        {
          type: 'CommitmentActivityCorrected',
          data: { activityId: 'a', reason: 'fel plats', ...details('2024-01-09', 'Stubbetorp') },
        },
        {
          type: 'CommitmentActivityCorrected',
          data: { activityId: 'a', reason: 'fel dag', ...details('2024-01-10', 'Stubbetorp') },
        },
        { type: 'CommitmentActivityWithdrawn', data: { activityId: 'b', reason: 'dubblett' } },
      ];
      let last = 0;
      for (const event of events) {
        last = (await h.store.append(stream, [event], { expectedRevision: 'any', actor: officer }))
          .globalPosition;
      }
      await settled(h.store, last);
      const runner = h.runner(1); // every event its own batch: corrections meet stored rows
      expect((await runner.catchUp(commitmentTimelineProjection)).kind).toBe('caught_up');
      const recorded: RecordedEvent[] = [];
      for await (const e of h.store.readStream(stream)) recorded.push(e);
      const folded = foldPromiseDocument(
        recorded.map((e) => ({ type: e.type, data: e.data }) as unknown as CitizenPromiseEvent),
      );
      // The read model keeps personal fields sealed; the API reveals them as it answers.
      const stored = await readPromiseDocument(h.dataSource, 'tl');
      expect(JSON.stringify(stored)).not.toMatch(/fel plats|dubblett|På plats/);
      expect(await revealed(h.store, stored)).toEqual(folded);
      // Applied again, whole and overlapping (as after a crash between batches): no change.
      const { tableSet } = await runner.status('commitment-timeline');
      await h.dataSource.transaction((tx) =>
        commitmentTimelineProjection.apply(recorded, tx, tableSet!),
      );
      await h.dataSource.transaction((tx) =>
        commitmentTimelineProjection.apply(recorded.slice(3), tx, tableSet!),
      );
      expect(await revealed(h.store, await readPromiseDocument(h.dataSource, 'tl'))).toEqual(
        folded,
      );
      // Appended in the shape of schema version 1 (free-text place): read in the current shape,
      // the text that names no registered place kept as unresolved.
      expect(folded?.activities.find((a) => a.activityId === 'a')).toMatchObject({
        placeIds: [],
        unresolvedPlace: 'Stubbetorp',
        date: '2024-01-10',
        corrections: ['fel plats', 'fel dag'],
      });
    });

    it('stops a projection at its poison event with the error, keeps what came before, and resumes exactly there', async () => {
      const base = (await h.store.status()).headPosition;
      const poisonAt = base + 34;
      const end = base + 100;
      await appendEvents(h.store, 100);
      let poisoned = true;
      const flaky: Projection = {
        ...auditTrailProjection,
        async apply(events: readonly RecordedEvent[], tx: EntityManager, schema: string) {
          await auditTrailProjection.apply(events, tx, schema); // rolled back with the batch
          if (poisoned && events.some((e) => e.globalPosition === poisonAt)) {
            throw new Error('cannot project this event');
          }
        },
      };
      const runner = h.runner(50);
      const outcome = await runner.catchUp(flaky);
      expect(outcome).toEqual({
        kind: 'failed',
        failedPosition: poisonAt,
        error: 'cannot project this event',
        position: poisonAt - 1,
      });
      expect(await runner.status('audit-trail')).toMatchObject({
        status: 'failed',
        position: poisonAt - 1,
        failedPosition: poisonAt,
      });
      const trail = await trailRows(h.dataSource);
      expect(trail).toHaveLength(poisonAt - 1);
      // Another projection is not held up by this one.
      const other: Projection = {
        name: 'counter',
        version: 1,
        tables: [],
        createTables: () => [],
        apply: () => Promise.resolve(),
      };
      expect(await runner.catchUp(other)).toMatchObject({ kind: 'caught_up', position: end });
      // Stopped until resumed, then on from exactly where it stopped.
      expect((await runner.catchUp(flaky)).kind).toBe('failed');
      poisoned = false;
      await runner.resume('audit-trail');
      expect(await runner.catchUp(flaky)).toEqual({
        kind: 'caught_up',
        position: end,
        applied: end - (poisonAt - 1),
      });
      expect(await trailRows(h.dataSource)).toEqual(await logRows(h.store));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'samverkan-projections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
runnerContract('the embedded store', () => Promise.resolve({ adapter: 'embedded', dataDir: dir }));

const pg = requirePostgres('the projection runner suite on PostgreSQL');
pg.describe('PostgreSQL', () => {
  const databases = new TestDatabases(pg.url);
  afterAll(() => databases.dropAll());
  runnerContract('PostgreSQL', async () => ({
    adapter: 'postgres',
    connectionString: await databases.create(),
    poolSize: 10,
  }));
});
