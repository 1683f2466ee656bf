import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Actor } from '../libs/domain/src/actor';
import { commitmentTimeline } from '../libs/domain/src/citizen-promise/commitment-timeline';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import {
  commitmentTimelineProjection,
  readPromiseCredits,
  readPromiseDocument,
} from '../libs/projections/src/commitment-timeline/commitment-timeline.projection';
import { ProjectionRunner } from '../libs/projections/src/projection-runner';
import { READ_MODELS } from '../apps/api/src/projections/read-models.token';
import { bearer, grantUsers, startApi, TEST_SECRET } from './support/api-harness';
import { binary, docxParts, pdfText } from './support/documents';

const officer: Actor = { userId: 'officer.1', agency: 'police', role: 'officer' };
const coordinator: Actor = {
  userId: 'trygghet.1',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const socialWorker: Actor = { userId: 'soc.1', agency: 'social-services', role: 'social-worker' };
const youthWorker: Actor = { userId: 'fritid.1', agency: 'leisure', role: 'youth-worker' };
/** Every actor the suite signs in as, granted in the register before the first request. */
const ACTORS: readonly Actor[] = [officer, coordinator, socialWorker, youthWorker];

const PROMISE = '/promises/hammaro-2023-2025';
const AUTUMN = 'from=2024-08-05&to=2024-12-01';
/** What the seed's prevention talk would give away: its id, the day it was held, its subject. */
const TALK_SECRETS = ['sspf-2024-001', '2024-10-03', 'SOC-7F3K9Q', 'fritidsverksamheten och uppf'];

interface Commitment {
  commitmentId: string;
  activities: number;
  creditedWork: number;
  restrictedWork: number | 'fewer than 5' | null;
  work: { source: string; id: string; date: string }[];
  fulfilment: { periodsDue: number; periodsFulfilled: number; missed: string[] } | null;
  figures: { name: string; label: string; value: number }[];
}

/** Each commitment of a report once (a commitment shows under each of its problem areas). */
function commitmentsOf(report: {
  commitments: { problemAreas: { commitments: Commitment[] }[]; general: Commitment[] };
}): Map<string, Commitment> {
  const all = [
    ...report.commitments.problemAreas.flatMap((p) => p.commitments),
    ...report.commitments.general,
  ];
  return new Map(all.map((c) => [c.commitmentId, c]));
}

function followUpSuite(
  name: string,
  describeOn: jest.Describe,
  environment: () => Promise<Record<string, string | undefined>>,
  cleanUp: () => Promise<void>,
): void {
  describeOn(`the follow-up and credits on ${name}, with the Hammarö log seeded`, () => {
    let app: INestApplication;
    let http: Awaited<ReturnType<typeof startApi>>['http'];
    let restore: () => void;
    let store: EventStore;

    const report = async (query: string, as: Actor = officer) => {
      const res = await http()
        .get(`${PROMISE}/follow-up-report?${query}`)
        .set(bearer(as))
        .expect(200);
      return res.body as Parameters<typeof commitmentsOf>[0] & Record<string, unknown>;
    };

    beforeAll(async () => {
      ({ app, http, restore } = await startApi({
        ...(await environment()),
        SAMVERKAN_JWT_SECRET: TEST_SECRET,
        SAMVERKAN_SEED: 'auto',
      }));
      store = app.get<EventStore>(EVENT_STORE);
      await grantUsers(app, ACTORS);
    });

    afterAll(async () => {
      await app?.close();
      restore?.();
      await cleanUp();
    });

    it('counts work done elsewhere where the promise names it: the walk, the talk and the confirmed picture', async () => {
      const commitments = commitmentsOf(await report(AUTUMN));
      for (const id of ['joint-safety-walks', 'municipality-safety-walks']) {
        expect(commitments.get(id)).toMatchObject({
          activities: 0,
          creditedWork: 1,
          work: [
            {
              source: 'credit',
              workKind: 'safety-walk',
              id: 'trygghetsvandring-2024',
              date: '2024-09-24',
            },
          ],
        });
      }
      for (const id of ['joint-situation-sharing', 'municipality-situation-monitoring']) {
        expect(commitments.get(id)).toMatchObject({
          creditedWork: 1,
          work: [
            {
              source: 'credit',
              workKind: 'situation-picture-confirmation',
              id: 'meeting-2024-10-15',
              date: '2024-10-15',
            },
          ],
        });
      }
      // The talk counts, as a number only.
      expect(commitments.get('joint-prevention-talks')).toMatchObject({
        activities: 0,
        creditedWork: 0,
        restrictedWork: 'fewer than 5',
        work: [],
      });
      // The police intelligence commitments have no work in the log and rightly stay at 0.
      for (const id of ['police-youth-outreach', 'police-drug-dealing']) {
        expect(commitments.get(id)).toMatchObject({
          activities: 0,
          creditedWork: 0,
          restrictedWork: null,
        });
      }
      const timeline = await http()
        .get(`${PROMISE}/timeline?${AUTUMN}`)
        .set(bearer(youthWorker))
        .expect(200);
      const status = new Map(
        (timeline.body.commitments as { commitmentId: string; status: string }[]).map((c) => [
          c.commitmentId,
          c.status,
        ]),
      );
      expect(status.get('joint-safety-walks')).toBe('active');
      // Talks count over the whole period only, so they set no status a range could date.
      expect(status.get('joint-prevention-talks')).toBe('no-activity');
      expect(status.get('police-drug-dealing')).toBe('no-activity');
    });

    it('never shows the talk’s id, date or place to a reader outside it, nor in the board report in any format', async () => {
      const json = await http()
        .get(`${PROMISE}/follow-up-report?${AUTUMN}`)
        .set(bearer(youthWorker))
        .expect(200);
      const markdown = await http()
        .get(`${PROMISE}/follow-up-report?${AUTUMN}&format=markdown`)
        .set(bearer(youthWorker))
        .expect(200);
      const pdf = await http()
        .get(`${PROMISE}/follow-up-report?${AUTUMN}&format=pdf`)
        .set(bearer(youthWorker))
        .buffer(true)
        .parse(binary)
        .expect(200);
      const docx = await http()
        .get(`${PROMISE}/follow-up-report?${AUTUMN}&format=docx`)
        .set(bearer(youthWorker))
        .buffer(true)
        .parse(binary)
        .expect(200);
      const timeline = await http()
        .get(`${PROMISE}/timeline?${AUTUMN}`)
        .set(bearer(youthWorker))
        .expect(200);
      const printView = await http()
        .get(`${PROMISE}/follow-up-report?${AUTUMN}&format=document`)
        .set(bearer(youthWorker))
        .expect(200);
      const texts = {
        json: JSON.stringify(json.body),
        document: JSON.stringify(printView.body),
        markdown: markdown.text,
        pdf: await pdfText(pdf.body as Buffer),
        docx: (await docxParts(docx.body as Buffer)).text,
        timeline: JSON.stringify(timeline.body),
      };
      for (const [format, text] of Object.entries(texts)) {
        for (const secret of TALK_SECRETS) expect(`${format}: ${text}`).not.toContain(secret);
      }
      expect(texts.pdf).toContain('färre än 5');
      expect(texts.docx).toContain('färre än 5');
      // Small counts are blurred everywhere in the board report: EST included.
      const est = (json.body as { situationPicture: { est: { weeks: { count: unknown }[] } } })
        .situationPicture.est;
      expect(est.weeks.length).toBeGreaterThan(0);
      for (const week of est.weeks) {
        expect(
          week.count === 'fewer than 5' || (typeof week.count === 'number' && week.count >= 5),
        ).toBe(true);
      }
    });

    it('gives the board Swedish headings and the same figures in JSON, PDF and Word (English on request)', async () => {
      const json = await report(AUTUMN);
      const office = commitmentsOf(json).get('police-local-office')!;
      expect(office.fulfilment).toMatchObject({ periodsDue: 17, periodsFulfilled: 15 });
      const traffic = commitmentsOf(json).get('police-traffic-controls')!;
      const vehicles = traffic.figures.find((f) => f.name === 'vehiclesChecked')!;
      expect(vehicles).toMatchObject({ label: 'Kontrollerade fordon', value: 306 });
      expect(json['position']).toEqual(expect.any(Number));
      expect(json).toMatchObject({
        language: 'sv-SE',
        followUps: [
          expect.objectContaining({
            followUpId: 'autumn-2024',
            summary: expect.stringContaining('mobila poliskontoret'),
            proposals: expect.stringContaining('Fortsätta'),
          }),
        ],
      });
      const pdf = await http()
        .get(`${PROMISE}/follow-up-report?${AUTUMN}&format=pdf`)
        .set(bearer(officer))
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const docx = await http()
        .get(`${PROMISE}/follow-up-report?${AUTUMN}&format=docx`)
        .set(bearer(officer))
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(docx.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      );
      const word = await docxParts(docx.body as Buffer);
      expect(word.styles).toContain('w:val="sv-SE"');
      // The print view's document: the blocks PDF and Word are laid out from, as text.
      const printView = await http()
        .get(`${PROMISE}/follow-up-report?${AUTUMN}&format=document`)
        .set(bearer(officer))
        .expect(200);
      expect(printView.body).toMatchObject({ language: 'sv-SE', blocks: expect.any(Array) });
      expect(word.document).toContain('w:val="Heading1"');
      for (const text of [
        await pdfText(pdf.body as Buffer),
        word.text,
        JSON.stringify(printView.body),
      ]) {
        for (const heading of [
          'Uppföljning av medborgarlöftet',
          'Sammanfattning',
          '1. Alkohol och drogrelaterad brottslighet',
          'Lägesbilden under perioden',
          'EST-rapportering',
          'Trygghetsvandringar och fynd',
          'Uppföljning och förslag',
        ]) {
          expect(text).toContain(heading);
        }
        expect(text).toContain('genomfört 15 av 17 veckor');
        expect(text).toContain('Kontrollerade fordon');
        expect(text).toContain(String(vehicles.value));
        expect(text).toContain(`position ${String(json['position'])}`);
      }
      const english = await http()
        .get(`${PROMISE}/follow-up-report?${AUTUMN}&format=markdown&lang=en`)
        .set(bearer(officer))
        .expect(200);
      expect(english.headers['content-language']).toBe('en-GB');
      expect(english.text).toContain('# Follow-up of the citizen promise');
      expect(english.text).toContain('met in 15 of 17 weeks');
    });

    it('shows how the situation picture changed, with EST counts and their trend', async () => {
      const json = (await report(AUTUMN)) as unknown as {
        situationPicture: {
          meetings: { meetingOn: string }[];
          reports: { areaId: string; restricted: unknown }[];
          est: { trends: { areaId: string; category: string; change: string }[] };
        };
      };
      expect(json.situationPicture.meetings.map((m) => m.meetingOn)).toEqual(['2024-10-15']);
      // The school's restricted report: a number only, blurred.
      expect(json.situationPicture.reports).toContainEqual(
        expect.objectContaining({ areaId: 'skoghall', restricted: 'fewer than 5' }),
      );
      const trends = json.situationPicture.est.trends;
      expect(trends.length).toBeGreaterThan(0);
      expect(trends.map((t) => t.change)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^(rising|falling)$/)]),
      );
    });

    it('takes a credit after the fact, counts it on the day the work was done, and drops it when withdrawn', async () => {
      const september = 'from=2024-09-01&to=2024-09-30';
      const credit = {
        commitmentId: 'municipality-early-interventions',
        work: { kind: 'activity', workId: 'sspf-meeting-2024-09-25' },
      };
      const before = commitmentsOf(await report(september)).get(credit.commitmentId)!;
      // The police do not carry the municipality's commitment.
      const refused = await http()
        .post(`${PROMISE}/credits`)
        .set(bearer(officer))
        .send(credit)
        .expect(403);
      expect(refused.body.code).toBe('CREDIT.NOT_COMMITMENT_OWNER');
      const own = await http()
        .post(`${PROMISE}/credits`)
        .set(bearer(socialWorker))
        .send({ ...credit, commitmentId: 'joint-social-services-cooperation' })
        .expect(422);
      expect(own.body.code).toBe('CREDIT.OWN_COMMITMENT');
      const credited = await http()
        .post(`${PROMISE}/credits`)
        .set(bearer(socialWorker))
        .send(credit)
        .expect(201);
      const after = commitmentsOf(await report(september)).get(credit.commitmentId)!;
      expect(after.creditedWork).toBe(before.creditedWork + 1);
      expect(after.work).toContainEqual(
        expect.objectContaining({
          source: 'credit',
          workKind: 'activity',
          kind: 'sspf-meeting',
          id: 'sspf-meeting-2024-09-25',
          date: '2024-09-25',
        }),
      );
      await http().post(`${PROMISE}/credits`).set(bearer(socialWorker)).send(credit).expect(409);
      const noReason = await http()
        .post(`${PROMISE}/credits/withdrawal`)
        .set(bearer(socialWorker))
        .send({ ...credit, reason: ' ' })
        .expect(422);
      expect(noReason.body.code).toBe('CREDIT.REASON_REQUIRED');
      await http()
        .post(`${PROMISE}/credits/withdrawal`)
        .set(bearer(socialWorker))
        .send({ ...credit, reason: 'Mötet gällde inte tidiga insatser' })
        .expect(201);
      const withdrawn = commitmentsOf(await report(september)).get(credit.commitmentId)!;
      expect(withdrawn.creditedWork).toBe(before.creditedWork);
      // What the report said with the credit in force is had again from its position.
      const then = await report(`${september}&asOf=${credited.body.globalPosition}`);
      expect(commitmentsOf(then).get(credit.commitmentId)!.creditedWork).toBe(
        before.creditedWork + 1,
      );
      expect(then['position']).toBe(credited.body.globalPosition);
    });

    it('counts a walk credited to a commitment with a cadence in its fulfilment', async () => {
      const promise = {
        promiseId: 'walks-2024',
        title: 'Testlöfte: månatliga trygghetsvandringar',
        municipality: 'Hammarö kommun',
        policeArea: 'Lokalpolisområde Karlstad',
        period: { from: '2024-01-01', to: '2024-12-31' },
        origin: 'Test',
        problemAreas: [{ rank: 1, code: 'vandalism-burglary', name: 'Skadegörelse och inbrott' }],
        focus: 'Trygghet',
        commitments: [
          {
            commitmentId: 'monthly-walks',
            owner: 'joint',
            description: 'En trygghetsvandring i månaden',
            problemAreaRanks: [1],
            cadence: { times: 1, per: 'month' },
          },
        ],
        signatories: [
          { signatoryId: 'lpo', name: 'Chef LPO', title: 'Chef', agency: 'police' },
          { signatoryId: 'ks', name: 'KS ordförande', title: 'Ordförande', agency: 'municipality' },
        ],
      };
      await http().post('/promises').set(bearer(coordinator)).send(promise).expect(201);
      for (const [signatoryId, by] of [
        ['lpo', officer],
        ['ks', coordinator],
      ] as const) {
        await http()
          .post('/promises/walks-2024/signatures')
          .set(bearer(by))
          .send({ signatoryId, signedOn: '2023-12-15' })
          .expect(201);
      }
      const range = 'from=2024-09-01&to=2024-10-31';
      const before = await http()
        .get(`/promises/walks-2024/timeline?${range}`)
        .set(bearer(officer))
        .expect(200);
      expect(before.body.commitments[0]).toMatchObject({
        status: 'behind',
        fulfilment: { periodsDue: 2, periodsFulfilled: 0 },
      });
      const credited = await http()
        .post('/promises/walks-2024/credits')
        .set(bearer(coordinator))
        .send({
          commitmentId: 'monthly-walks',
          work: { kind: 'safety-walk', workId: 'trygghetsvandring-2024' },
        })
        .expect(201);
      const after = await http()
        .get(`/promises/walks-2024/timeline?${range}&waitFor=${credited.body.globalPosition}`)
        .set(bearer(officer))
        .expect(200);
      expect(after.body.commitments[0]).toMatchObject({
        fulfilment: { periodsDue: 2, periodsFulfilled: 1, missed: ['2024-10-01'] },
        fulfilmentText: 'met in 1 of 2 months',
        creditedWork: [
          expect.objectContaining({ id: 'trygghetsvandring-2024', date: '2024-09-24' }),
        ],
      });
    });

    it('answers time travel with credits as a rebuild stopped at that position does', async () => {
      const runner = app.get(ProjectionRunner);
      const readModels = app.get<DataSource>(READ_MODELS);
      const end = (await store.status()).headPosition;
      const range = { from: '2024-01-01', to: '2024-12-31' };
      for (const at of [Math.floor(end / 2), end - 3, end]) {
        const rebuilt = await runner.rebuild(commitmentTimelineProjection, { until: at });
        try {
          const doc = await readPromiseDocument(readModels, 'walks-2024', rebuilt.tableSet);
          const credits = await readPromiseCredits(readModels, 'walks-2024', rebuilt.tableSet);
          const res = await http()
            .get(`/promises/walks-2024/timeline?from=${range.from}&to=${range.to}&asOf=${at}`)
            .set(bearer(officer));
          if (doc === undefined) {
            expect(res.status).toBe(404);
            continue;
          }
          expect(res.status).toBe(200);
          expect(res.body).toEqual({
            asOf: String(at),
            ...JSON.parse(JSON.stringify(commitmentTimeline(doc, credits, range))),
          });
        } finally {
          await runner.discardRebuild(commitmentTimelineProjection);
        }
      }
    });

    it('refuses an unknown place with 400 naming the field, and stores nothing', async () => {
      const head = (await store.status()).headPosition;
      const res = await http()
        .post(`${PROMISE}/activities`)
        .set(bearer(officer))
        .send({
          commitmentId: 'police-foot-patrol',
          kind: 'foot-patrol',
          date: '2024-11-29',
          placeIds: ['skoghall-centrum', 'atlantis'],
          agenciesPresent: ['police'],
          outcome: 'Fotpatrull',
          figures: {},
        })
        .expect(400);
      expect(res.body).toMatchObject({
        code: 'REQUEST.UNKNOWN_PLACE',
        errors: [{ path: 'placeIds[1]' }],
      });
      expect((await store.status()).headPosition).toBe(head);
    });

    it('refuses a period longer than the promise (or five years), naming from and to', async () => {
      for (const path of ['follow-up-report', 'timeline']) {
        const res = await http()
          .get(`${PROMISE}/${path}?from=2020-01-01&to=2026-06-30`)
          .set(bearer(officer))
          .expect(400);
        expect((res.body.errors as { path: string }[]).map((e) => e.path)).toEqual([
          'query from',
          'query to',
        ]);
      }
      await http().get(`${PROMISE}/follow-up-report?format=odt`).set(bearer(officer)).expect(400);
    });
  });
}

const embeddedDir = mkdtempSync(join(tmpdir(), 'samverkan-follow-up-'));
followUpSuite(
  'the embedded default',
  describe,
  () => Promise.resolve({ DATABASE_URL: undefined, SAMVERKAN_DATA_DIR: embeddedDir }),
  () => {
    rmSync(embeddedDir, { recursive: true, force: true });
    return Promise.resolve();
  },
);

const pg = requirePostgres('the follow-up end-to-end suite on PostgreSQL');
const databases = new TestDatabases(pg.url);
followUpSuite(
  'PostgreSQL',
  pg.describe,
  async () => ({ DATABASE_URL: await databases.create() }),
  () => databases.dropAll(),
);
