import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '@samverkan/domain/actor';
import { startOfRetentionYear } from '@samverkan/domain/personal-data/retention';
import {
  retentionStream,
  type RetentionApplied,
} from '@samverkan/domain/personal-data/retention.events';
import { retentionYear } from '@samverkan/domain/personal-fields';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { projectionNamed } from '@samverkan/projections/all-projections';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { ProjectionRunner } from '@samverkan/projections/projection-runner';
import type { DataSource } from 'typeorm';
import { bearer, grantUsers, startApi, TEST_SECRET } from '../../../../test/support/api-harness';
import { onServer } from '../../../../test/support/postgres-admin';
import { READ_MODELS } from '../projections/read-models.token';
import { lastReadAccessDayBefore } from './relay-audiences';
import { RetentionJob, type RetentionRun } from './retention.job';

const socialWorker: Actor = { userId: 'soc.g', agency: 'social-services', role: 'social-worker' };
const officer: Actor = { userId: 'polis.g', agency: 'police', role: 'officer' };
const principal: Actor = { userId: 'rektor.g', agency: 'school', role: 'principal' };

const PROMISE = '/promises/hammaro-2023-2025';
const FOLLOW_UP = `${PROMISE}/follow-up-report?from=2024-08-05&to=2024-12-01`;
const TALK = 'talk-gallring';
const REPORT = 'report-gallring';
const OPEN_REPORT = 'report-open';
const TALK_TEXT = 'Oro för skolfrånvaro och nya umgängen';
const REPORT_TEXT = 'Hot mot personal vid skolans entré kvällstid';
const SUBJECT_REF = 'SOC-GALL42';

type Started = Awaited<ReturnType<typeof startApi>>;

/** The board's report without the log position it was built from (that moves with every event). */
const figures = (body: object): object => ({ ...body, position: undefined });

function retentionSuite(
  name: string,
  open: () => Promise<{ env: Record<string, string | undefined>; cleanUp: () => Promise<void> }>,
): void {
  describe(`gallring on ${name}`, () => {
    let started: Started;
    let cleanUp: () => Promise<void>;
    let store: EventStore;
    let readModels: DataSource;
    let job: RetentionJob;
    /** The year the talk and the report are dated in (now, as the API's clock has it). */
    let year: number;
    let readAccessStream: string;
    let boardReportBefore: object;

    const http = () => started.http();
    const caughtUp = async (): Promise<void> => {
      const head = (await store.status()).headPosition;
      expect(await started.app.get(ProjectionDaemon).waitFor(head, 20_000)).toBe(true);
    };
    const count = async (sql: string, params: unknown[] = []): Promise<number> => {
      const [row] = await readModels.query<{ n: number }[]>(
        `select count(*)::int as n from ${sql}`,
        params,
      );
      return row!.n;
    };
    const talkRows = () => count('projections.prevention_talks where talk_id = $1', [TALK]);
    const reportRows = (id = REPORT) =>
      count('projections.situation_reports where report_id = $1', [id]);
    const readRows = () => count(`projections.audit_trail where event_type = 'RestrictedDataRead'`);
    const relayEntries = async (): Promise<string[]> =>
      (
        await readModels.query<{ stream_id: string }[]>(
          'select stream_id from relay.stream_audiences order by stream_id',
        )
      ).map((r) => r.stream_id);
    const readTalk = async () =>
      JSON.stringify(
        (
          await http()
            .get(`/prevention-talks/${TALK}?purpose=uppföljning`)
            .set(bearer(socialWorker))
            .expect(200)
        ).body,
      );
    const readReport = async () =>
      JSON.stringify(
        (
          await http()
            .get(`/situation-reports/${REPORT}?purpose=lagesbild`)
            .set(bearer(officer))
            .expect(200)
        ).body,
      );
    /** The job, driven with a clock of our own rather than waited for. */
    const gallraAt = async (at: Date): Promise<RetentionRun> => {
      const run = await job.run(at);
      expect(run).toBeDefined();
      await caughtUp();
      return run!;
    };
    const recorded = async (day: string): Promise<RetentionApplied['data'][]> => {
      const out: RetentionApplied['data'][] = [];
      for await (const e of store.readStream(retentionStream(day))) {
        expect(e.type).toBe('RetentionApplied');
        expect(e.actor).toMatchObject({ role: 'operator' });
        out.push(e.data as unknown as RetentionApplied['data']);
      }
      return out;
    };

    beforeAll(async () => {
      const opened = await open();
      cleanUp = opened.cleanUp;
      started = await startApi({
        ...opened.env,
        SAMVERKAN_JWT_SECRET: TEST_SECRET,
        SAMVERKAN_SEED: 'auto',
        // Driven by the tests, not by the calendar.
        SAMVERKAN_RETENTION: 'off',
      });
      await grantUsers(started.app, [socialWorker, officer, principal]);
      store = started.app.get<EventStore>(EVENT_STORE);
      readModels = started.app.get<DataSource>(READ_MODELS);
      job = started.app.get(RetentionJob);
      year = retentionYear(new Date());

      await http()
        .post('/prevention-talks')
        .set(bearer(socialWorker))
        .send({
          talkId: TALK,
          subjectRef: SUBJECT_REF,
          plannedFor: `${year}-12-20`,
          participants: [
            { agency: 'social-services', role: 'social-worker' },
            { agency: 'police', role: 'officer' },
          ],
          purpose: TALK_TEXT,
          legalGround: { basis: 'osl-10-18a', subjectUnder21: true, preventivePurpose: TALK_TEXT },
        })
        .expect(201);
      const report = {
        placeIds: ['hammarlundens-skola'],
        problemArea: 'vandalism-burglary',
        period: { from: '2024-11-01', to: '2024-11-10' },
        trend: 'rising',
        severity: 'medium',
        source: 'own-observation',
      };
      await http()
        .post('/situation-reports')
        .set(bearer(principal))
        .send({
          ...report,
          reportId: REPORT,
          description: REPORT_TEXT,
          sensitivity: 'restricted',
          sharedWith: ['police'],
        })
        .expect(201);
      await http()
        .post('/situation-reports')
        .set(bearer(principal))
        .send({
          ...report,
          reportId: OPEN_REPORT,
          description: 'Klotter på gaveln',
          sensitivity: 'open',
          sharedWith: [],
        })
        .expect(201);
      // Reads of restricted data: the read-access log.
      expect(await readTalk()).toContain(TALK_TEXT);
      expect(await readReport()).toContain(REPORT_TEXT);
      readAccessStream = `read-access-${new Date().toISOString().slice(0, 10)}`;

      // What a relay would have kept of these streams (no Kafka here: its table, as it makes it).
      await readModels.query(`create schema if not exists relay`);
      await readModels.query(
        `create table if not exists relay.stream_audiences (stream_id text primary key, audience jsonb)`,
      );
      await readModels.query(
        `insert into relay.stream_audiences (stream_id, audience)
         select unnest($1::text[]), '{"kind":"x"}'::jsonb on conflict do nothing`,
        [
          [
            `prevention-talk-${TALK}`,
            `situation-report-${REPORT}`,
            `situation-report-${OPEN_REPORT}`,
            readAccessStream,
          ],
        ],
      );
      await caughtUp();
      boardReportBefore = figures(
        (await http().get(FOLLOW_UP).set(bearer(officer)).expect(200)).body as object,
      );
    });

    afterAll(async () => {
      await started?.app.close();
      started?.restore();
      await cleanUp?.();
    });

    it('keeps everything of this year through the last moment of its shortest period', async () => {
      expect([await talkRows(), await reportRows(), (await readRows()) > 0]).toEqual([1, 1, true]);
      // 31 December of the second year after, 23:59:59.999 in Sweden: restricted reports and
      // the read-access log (2 years) are still kept; the seed's older years may go.
      await gallraAt(new Date(startOfRetentionYear(year + 3).getTime() - 1));
      expect(await readReport()).toContain(REPORT_TEXT);
      expect(await readTalk()).toContain(TALK_TEXT);
      expect([await talkRows(), await reportRows(), (await readRows()) > 0]).toEqual([1, 1, true]);
      expect(await relayEntries()).toEqual(
        expect.arrayContaining([`situation-report-${REPORT}`, `prevention-talk-${TALK}`]),
      );
    });

    it('gallrar a restricted report and the reads on 1 January after two whole years', async () => {
      const day = `${year + 3}-01-01`;
      const run = await gallraAt(startOfRetentionYear(year + 3));
      expect(run.appended).toBe(true);
      const [applied, ...more] = await recorded(day);
      expect(more).toEqual([]);
      const reports = applied!.classes.find((c) => c.retention === 'restricted-reports');
      expect(reports).toMatchObject({ retentionYears: 2, keptFromYear: year + 1 });
      expect(reports!.yearsDestroyed).toContain(year);
      expect(reports!.readModelRowsCleared).toBeGreaterThanOrEqual(1);
      expect(reports!.relayEntriesCleared).toBe(1);
      const reads = applied!.classes.find((c) => c.retention === 'read-access-log');
      expect(reads!.yearsDestroyed).toContain(year);
      expect(reads!.readModelRowsCleared).toBeGreaterThanOrEqual(2);
      // The record says what was done, never to what or whom.
      const text = JSON.stringify(applied);
      for (const secret of [REPORT, TALK, SUBJECT_REF, REPORT_TEXT, 'rektor', 'soc.g']) {
        expect(text).not.toContain(secret);
      }

      // The report's text is gallrad wherever it is read; its row in the picture is gone…
      const report = await readReport();
      expect(report).not.toContain(REPORT_TEXT);
      expect(report).toContain('[gallrad]');
      expect(await reportRows()).toBe(0);
      expect(await reportRows(OPEN_REPORT)).toBe(1);
      // …and so are the reads (the reads just made, dated this year, are not entered either).
      expect(await readTalk()).toContain(TALK_TEXT);
      await caughtUp();
      expect(await readRows()).toBe(0);
      // The talk is kept a year longer.
      expect(await talkRows()).toBe(1);
      const entries = await relayEntries();
      expect(entries).not.toContain(`situation-report-${REPORT}`);
      expect(entries).toContain(`prevention-talk-${TALK}`);
      if (readAccessStream <= `read-access-${lastReadAccessDayBefore(year + 1)}`) {
        expect(entries).not.toContain(readAccessStream);
      }
    });

    it('destroys anew the key a late event made for a gallrad year, then appends nothing', async () => {
      const day = `${year + 3}-01-01`;
      const hour = 3_600_000;
      // The reads above are dated this year (the tests' clock runs ahead of the API's): their
      // purpose went under a new key of a year already gallrad, which this run destroys.
      const late = await gallraAt(new Date(startOfRetentionYear(year + 3).getTime() + hour));
      expect(late.classes.find((c) => c.retention === 'read-access-log')).toMatchObject({
        keysDestroyed: 1,
        yearsDestroyed: [year],
      });
      expect(await recorded(day)).toHaveLength(2);
      const idle = await gallraAt(new Date(startOfRetentionYear(year + 3).getTime() + 2 * hour));
      expect(idle.appended).toBe(false);
      expect(idle.classes.every((c) => c.keysDestroyed === 0)).toBe(true);
      expect(await recorded(day)).toHaveLength(2);
    });

    it('gallrar the talk a year later: its text, its row and what the relay kept of it', async () => {
      const run = await gallraAt(startOfRetentionYear(year + 4));
      const talks = run.classes.find((c) => c.retention === 'prevention-talks')!;
      expect(talks).toMatchObject({
        retentionYears: 3,
        keptFromYear: year + 1,
        relayEntriesCleared: 1,
      });
      expect(talks.yearsDestroyed).toContain(year);
      expect(talks.readModelRowsCleared).toBeGreaterThanOrEqual(1);
      const talk = await readTalk();
      expect(talk).not.toContain(TALK_TEXT);
      expect(talk).not.toContain(SUBJECT_REF);
      expect(talk).toContain('[gallrad]');
      expect(await talkRows()).toBe(0);
      expect(await relayEntries()).toEqual([`situation-report-${OPEN_REPORT}`]);
    });

    it("keeps the board's figures: gallrad work still counts, since its events stay", async () => {
      const after = figures(
        (await http().get(FOLLOW_UP).set(bearer(officer)).expect(200)).body as object,
      );
      expect(after).toEqual(boardReportBefore);
    });

    it('a rebuild of the read models brings nothing gallrad back', async () => {
      const runner = started.app.get(ProjectionRunner);
      const before = {
        reports: await count('projections.situation_reports'),
        talks: await count('projections.prevention_talks'),
        trail: await count('projections.audit_trail'),
      };
      for (const name of ['partnership-work', 'situation-picture', 'audit-trail']) {
        const outcome = await runner.rebuild(projectionNamed(name));
        expect(outcome.switchedOver).toBe(true);
      }
      await caughtUp();
      expect([await talkRows(), await reportRows(), await readRows()]).toEqual([0, 0, 0]);
      expect(await reportRows(OPEN_REPORT)).toBe(1);
      expect(await count('projections.situation_reports')).toBe(before.reports);
      expect(await count('projections.prevention_talks')).toBe(before.talks);
      expect(await count('projections.audit_trail')).toBe(before.trail);
    });
  });
}

retentionSuite('the embedded store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-gallring-'));
  return Promise.resolve({
    env: { DATABASE_URL: undefined, SAMVERKAN_DATA_DIR: dataDir },
    cleanUp: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
  });
});

describe('gallring on schedule', () => {
  it('runs once at start when SAMVERKAN_RETENTION=on, and is awaited at shutdown', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-gallring-'));
    const started = await startApi({
      DATABASE_URL: undefined,
      SAMVERKAN_DATA_DIR: dataDir,
      SAMVERKAN_JWT_SECRET: TEST_SECRET,
      SAMVERKAN_SEED: 'off',
      SAMVERKAN_RETENTION: 'on',
    });
    try {
      const readModels = started.app.get<DataSource>(READ_MODELS);
      const year = retentionYear(new Date());
      const deadline = Date.now() + 20_000;
      let cutoffs: { retention_class: string; kept_from_year: number }[] = [];
      while (cutoffs.length < 3 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        cutoffs = await readModels.query(
          'select retention_class, kept_from_year from projections.retention_cutoffs order by 1',
        );
      }
      expect(cutoffs).toEqual([
        { retention_class: 'prevention-talks', kept_from_year: year - 3 },
        { retention_class: 'read-access-log', kept_from_year: year - 2 },
        { retention_class: 'restricted-reports', kept_from_year: year - 2 },
      ]);
    } finally {
      await started.app.close();
      started.restore();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/**
 * A database of its own beside the one DATABASE_URL names (apps reach the store's PostgreSQL
 * helpers only through the port, so the suite makes it itself). Skipped without DATABASE_URL,
 * failing instead under CI=true, as the store's suites do.
 */
const serverUrl = process.env['DATABASE_URL']?.trim();
const onPostgres = serverUrl || process.env['CI'] === 'true' ? describe : describe.skip;
if (!serverUrl && process.env['CI'] !== 'true') {
  process.stderr.write(
    '\nSkipped the gallring tests on PostgreSQL: set DATABASE_URL to run them.\n',
  );
}
onPostgres('on PostgreSQL', () => {
  const name = `gallring_${process.pid}_${Date.now().toString(36)}`;
  const admin = async (sql: string): Promise<void> => {
    if (!serverUrl)
      throw new Error(
        'CI=true but DATABASE_URL is not set: the gallring tests on PostgreSQL must run',
      );
    await onServer(serverUrl, sql);
  };
  retentionSuite('PostgreSQL', async () => {
    await admin(`create database ${name}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() },
      cleanUp: () => admin(`drop database if exists ${name} with (force)`),
    };
  });
});
