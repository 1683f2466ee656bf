import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Actor } from '../libs/domain/src/actor';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import { bearer, grantUsers, startApi, TEST_SECRET } from './support/api-harness';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import type { VerificationReport } from '../libs/event-store/src/tamper-evidence/sql-log-verifier';
import { until } from '../libs/shared/src/eventually';

const run = promisify(execFile);

const officer: Actor = { userId: 'polis.e', agency: 'police', role: 'officer' };
const policeDpo: Actor = { userId: 'dso.polis', agency: 'police', role: 'data-protection-officer' };
const principal: Actor = { userId: 'rektor.e', agency: 'school', role: 'principal' };
const schoolDpo: Actor = { userId: 'dso.skola', agency: 'school', role: 'data-protection-officer' };
const socialWorker: Actor = { userId: 'soc.e', agency: 'social-services', role: 'social-worker' };
const socDpo: Actor = {
  userId: 'dso.soc',
  agency: 'social-services',
  role: 'data-protection-officer',
};
const operator: Actor = { userId: 'drift.e', agency: 'municipality', role: 'operator' };
const ACTORS = [officer, policeDpo, principal, schoolDpo, socialWorker, socDpo, operator];

const PROMISE = '/promises/hammaro-2023-2025';
const REPORT_FORM = '2024-11-01';
/** Names written where they should not be: what erasure and redaction must make unreadable. */
const NAMED = 'Kalle Karlsson i 9B';
const NAMED_AGAIN = 'Lisa Persson';
const SUBJECT_REF = 'SOC-9ERAS7';
const TALK_TEXT = 'Oro för missbruk hos ungdomen';

type Http = Awaited<ReturnType<typeof startApi>>['http'];

/** 201, or a failure that shows the problem the API answered. */
function created<R extends { status: number; body: unknown }>(res: R): R {
  if (res.status !== 201) throw new Error(`${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

function erasureSuite(
  name: string,
  open: () => Promise<{
    env: Record<string, string | undefined>;
    /** Every byte the database keeps, as text: a logical dump, or the data folder's files. */
    stored: () => Promise<string>;
    cleanUp: () => Promise<void>;
  }>,
): void {
  describe(`erasure and redaction on ${name}`, () => {
    let started: Awaited<ReturnType<typeof startApi>>;
    let http: Http;
    let stored: () => Promise<string>;
    let cleanUp: () => Promise<void>;
    let activityEventId: string;
    let reportEventIds: string[];
    let reportBefore: string;
    const logged: string[] = [];

    const get = async (actor: Actor, path: string): Promise<string> =>
      JSON.stringify((await http().get(path).set(bearer(actor)).expect(200)).body);

    beforeAll(async () => {
      const opened = await open();
      stored = opened.stored;
      cleanUp = opened.cleanUp;
      started = await startApi({
        ...opened.env,
        SAMVERKAN_JWT_SECRET: TEST_SECRET,
        SAMVERKAN_SEED: 'auto',
        SAMVERKAN_SEAL_INTERVAL_SECONDS: '1',
      });
      http = started.http;
      // Everything the app logs from here on, to check that no line holds what was written.
      started.app.useLogger({
        log: (...m: unknown[]) => logged.push(m.map(String).join(' ')),
        warn: (...m: unknown[]) => logged.push(m.map(String).join(' ')),
        error: (...m: unknown[]) => logged.push(m.map(String).join(' ')),
        debug: (...m: unknown[]) => logged.push(m.map(String).join(' ')),
        verbose: (...m: unknown[]) => logged.push(m.map(String).join(' ')),
      });
      await grantUsers(started.app, ACTORS);

      const activity = await http()
        .post(`${PROMISE}/activities`)
        .set(bearer(officer))
        .send({
          commitmentId: 'police-traffic-controls',
          kind: 'traffic-control',
          date: '2024-11-05',
          placeIds: ['bymiljovagen'],
          agenciesPresent: ['police'],
          outcome: `Mopedkontroll; ${NAMED} stoppades utan hjälm`,
          figures: { vehiclesChecked: 12 },
        })
        .expect(201);
      activityEventId = activity.body.events[0].eventId;

      const report = {
        reportId: 'report-named',
        placeIds: ['hammarlundens-skola'],
        problemArea: 'vandalism-burglary',
        period: { from: REPORT_FORM, to: '2024-11-10' },
        trend: 'rising',
        severity: 'low',
        description: `Klotter; ${NAMED_AGAIN} sågs vid skolan`,
        source: 'own-observation',
        sensitivity: 'open',
        sharedWith: [],
      };
      const reported = await http().post('/situation-reports').set(bearer(principal)).send(report);
      expect(reported.status).toBe(201);
      reportEventIds = [reported.body.events[0].eventId];

      await http()
        .post('/prevention-talks')
        .set(bearer(socialWorker))
        .send({
          talkId: 'talk-erased',
          subjectRef: SUBJECT_REF,
          plannedFor: '2024-11-20',
          participants: [
            { agency: 'social-services', role: 'social-worker' },
            { agency: 'police', role: 'officer' },
          ],
          purpose: TALK_TEXT,
          legalGround: {
            basis: 'osl-10-18a',
            subjectUnder21: true,
            preventivePurpose: TALK_TEXT,
          },
        })
        .then(created);
      reportBefore = await get(
        officer,
        `${PROMISE}/follow-up-report?from=2024-08-05&to=2024-12-01`,
      );
    });

    afterAll(async () => {
      await started?.app.close();
      started?.restore();
      await cleanUp?.();
    });

    it('keeps no personal text as plaintext anywhere in the database, before any erasure', async () => {
      // Read back whole by those who may, with the read models caught up…
      expect(await get(officer, `${PROMISE}/timeline?waitFor=head`)).toContain(NAMED);
      expect(await get(principal, '/situation-reports/report-named')).toContain(NAMED_AGAIN);
      // …and yet stored only as ciphertext: in the log, the read models, every table.
      const all = await stored();
      for (const text of [NAMED, NAMED_AGAIN, SUBJECT_REF, TALK_TEXT]) {
        expect(all).not.toContain(text);
      }
    });

    it('is sealed before any erasure', async () => {
      const store = started.app.get<EventStore>(EVENT_STORE);
      const head = (await store.status()).headPosition;
      const sealed = await until('the log sealed through its head', async () => {
        const report = (await http().get('/audit/verification').set(bearer(operator)).expect(200))
          .body as VerificationReport;
        return report.sealedThrough >= head ? report : undefined;
      });
      expect(sealed.intact).toBe(true);
    });

    it('refuses an erasure by anyone but the data protection officer who controls the data', async () => {
      const body = { scope: 'records', eventIds: [activityEventId], reason: 'Namn i fritext' };
      const byOfficer = await http()
        .post('/personal-data/erasures')
        .set(bearer(officer))
        .send(body);
      expect(byOfficer.status).toBe(403);
      const bySchool = await http()
        .post('/personal-data/erasures')
        .set(bearer(schoolDpo))
        .send(body);
      expect(bySchool.status).toBe(422);
      expect(bySchool.body.code).toBe('ERASURE.NOT_CONTROLLER');
      const subjectBySchool = await http()
        .post('/personal-data/erasures')
        .set(bearer(schoolDpo))
        .send({ scope: 'data-subject', subjectRef: SUBJECT_REF, reason: 'Begäran' });
      expect(subjectBySchool.status).toBe(403);
      expect(await get(officer, `${PROMISE}/timeline`)).toContain(NAMED);
    });

    it('erases records selected by their controller: every read says [raderad], the figures stay', async () => {
      const erased = await http()
        .post('/personal-data/erasures')
        .set(bearer(policeDpo))
        .send({ scope: 'records', eventIds: [activityEventId], reason: 'Namn i fritext' })
        .expect(201);
      expect(erased.body.keysDestroyed).toBe(1);
      const timeline = await get(officer, `${PROMISE}/timeline`);
      expect(timeline).not.toContain(NAMED);
      expect(timeline).toContain('[raderad]');
      const asOf = await get(officer, `${PROMISE}?asOf=2099-01-01`);
      expect(asOf).not.toContain(NAMED);
      const report = await get(
        officer,
        `${PROMISE}/follow-up-report?from=2024-08-05&to=2024-12-01`,
      );
      // The board's figures do not move (only the log position it was built from does).
      const withoutPosition = (text: string): object => ({
        ...(JSON.parse(text) as object),
        position: undefined,
      });
      expect(withoutPosition(report)).toEqual(withoutPosition(reportBefore));
    });

    it('redacts the earlier text of a corrected report in every view of its past', async () => {
      const corrected = await http()
        .post('/situation-reports/report-named/corrections')
        .set(bearer(principal))
        .send({
          placeIds: ['hammarlundens-skola'],
          problemArea: 'vandalism-burglary',
          period: { from: REPORT_FORM, to: '2024-11-10' },
          trend: 'rising',
          severity: 'low',
          description: 'Klotter vid skolan',
          source: 'own-observation',
          sensitivity: 'open',
          sharedWith: [],
          reason: 'Namn ska inte stå i rapporten',
          redactsEarlierText: true,
        });
      expect(corrected.status).toBe(201);
      expect(await get(officer, '/situation-reports/report-named')).toContain('Klotter vid skolan');
      const past = await get(
        officer,
        `/situation-picture?asOf=${corrected.body.globalPosition - 1}`,
      );
      expect(past).not.toContain(NAMED_AGAIN);
      expect(past).toContain('[borttagen vid rättelse]');
      expect(reportEventIds).toHaveLength(1);
    });

    it('erases a data subject: the talk about them reads [raderad] for its participants', async () => {
      await http()
        .post('/personal-data/erasures')
        .set(bearer(socDpo))
        .send({ scope: 'data-subject', subjectRef: SUBJECT_REF, reason: 'Begäran om radering' })
        .expect(201);
      const talk = await get(socialWorker, '/prevention-talks/talk-erased?purpose=uppföljning');
      expect(talk).not.toContain(SUBJECT_REF);
      expect(talk).not.toContain(TALK_TEXT);
      expect(talk).toContain('[raderad]');
      const all = await stored();
      for (const text of [NAMED, NAMED_AGAIN, SUBJECT_REF, TALK_TEXT]) {
        expect(all).not.toContain(text);
      }
    });

    it('is no tampering: every chain and sealed block still holds after the erasures', async () => {
      const report = (await http().get('/audit/verification').set(bearer(operator)).expect(200))
        .body as VerificationReport;
      expect(report).toMatchObject({ intact: true, problemCount: 0 });
      expect(report.blocksChecked).toBeGreaterThanOrEqual(1);
    });

    it('logs what was done, never what was written', () => {
      expect(logged.some((line) => /Erasure .* key\(s\) destroyed/.test(line))).toBe(true);
      for (const text of [NAMED, NAMED_AGAIN, SUBJECT_REF, TALK_TEXT]) {
        expect(logged.filter((line) => line.includes(text))).toEqual([]);
      }
    });
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
  });
}

erasureSuite('the embedded store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-erasure-'));
  return Promise.resolve({
    env: { DATABASE_URL: undefined, SAMVERKAN_DATA_DIR: dataDir },
    // PGlite writes its files as it goes; every byte of them, as a physical dump would hold.
    stored: () =>
      Promise.resolve(
        filesUnder(dataDir)
          .map((f) => readFileSync(f).toString('utf8'))
          .join('\n'),
      ),
    cleanUp: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
  });
});

const postgres = requirePostgres('the erasure tests on PostgreSQL');
postgres.describe('on PostgreSQL', () => {
  const databases = new TestDatabases(postgres.url);
  erasureSuite('PostgreSQL', async () => {
    const url = await databases.create();
    return {
      env: { DATABASE_URL: url },
      stored: async () =>
        (await run('pg_dump', ['--dbname', url], { maxBuffer: 256 * 1024 * 1024 })).stdout,
      cleanUp: () => databases.dropAll(),
    };
  });
});
