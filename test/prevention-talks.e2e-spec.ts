import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Actor } from '../libs/domain/src/actor';
import {
  EVENT_STORE,
  type EventStore,
  type RecordedEvent,
} from '../libs/event-store/src/event-store.port';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import { bearer, grantUsers, startApi, TEST_SECRET } from './support/api-harness';

/**
 * Prevention talks through the HTTP API, on both stores: leisure takes part in SSPF talks, and
 * every talk rests on a legal ground (consent, or 10 kap. 18 a § OSL between social services
 * and the police) that the plan, a change of participants and the talk itself must fit, and
 * that the read-access log names.
 */

const socialWorker: Actor = { userId: 'soc.1', agency: 'social-services', role: 'social-worker' };
const officer: Actor = { userId: 'polis.1', agency: 'police', role: 'officer' };
const youthWorker: Actor = { userId: 'fritid.1', agency: 'leisure', role: 'youth-worker' };
const leisureManager: Actor = { userId: 'fritid.2', agency: 'leisure', role: 'leisure-manager' };
const studentHealth: Actor = { userId: 'elevhalsa.1', agency: 'school', role: 'student-health' };
/** Everyone the suite signs in as, granted in the partnership's register before it starts. */
const users: readonly Actor[] = [socialWorker, officer, youthWorker, leisureManager, studentHealth];

const social = { agency: 'social-services', role: 'social-worker' };
const police = { agency: 'police', role: 'officer' };
const youth = { agency: 'leisure', role: 'youth-worker' };
const school = { agency: 'school', role: 'student-health' };

const consent = { basis: 'consent' };
const ground18a = {
  basis: 'osl-10-18a',
  subjectUnder21: true,
  preventivePurpose: 'Återkommande narkotikabrott; samtalet ska bryta kontakten med säljarna',
};

const plan = (talkId: string, participants: object[], legalGround: unknown) => ({
  talkId,
  subjectRef: 'SOC-7F3K9Q',
  plannedFor: '2024-10-03',
  participants,
  purpose: 'SSPF: oro för droger',
  legalGround,
});
const held = (participants: object[]) => ({
  heldOn: '2024-10-03',
  participants,
  guardiansPresent: true,
  outcome: 'Överens om kvällsverksamhet på fritidsgården.',
  agreedFollowUp: [
    { action: 'Följa med till fritidsgården', responsibleAgency: 'leisure', dueOn: '2024-10-31' },
  ],
});

interface Started {
  app: INestApplication;
  http: Awaited<ReturnType<typeof startApi>>['http'];
  close: () => Promise<void>;
}

function talkScenario(describeOn: jest.Describe, name: string, start: () => Promise<Started>) {
  describeOn(`prevention talks: leisure and the legal ground (${name})`, () => {
    let started: Started | undefined;
    let store: EventStore;
    const api = () => started!.http();

    beforeAll(async () => {
      started = await start();
      await grantUsers(started.app, users);
      store = started.app.get<EventStore>(EVENT_STORE);
    });

    afterAll(async () => {
      await started?.close();
    });

    /** The read-access log as the store holds it: one stream per day of the reads. */
    const readAccessLog = async (days: readonly string[]): Promise<RecordedEvent[]> => {
      const events: RecordedEvent[] = [];
      for (const day of new Set(days)) {
        for await (const e of store.readStream(`read-access-${day}`)) events.push(e);
      }
      return events.filter((e) => e.type === 'RestrictedDataRead');
    };
    const today = () => new Date().toISOString().slice(0, 10);

    it('plans a talk on consent with leisure taking part, records consent and holds it', async () => {
      await api()
        .post('/prevention-talks')
        .set(bearer(socialWorker))
        .send(plan('talk-leisure', [social, police, youth], consent))
        .expect(201);
      await api()
        .post('/prevention-talks/talk-leisure/consent')
        .set(bearer(youthWorker))
        .send({
          consentId: 'consent-1',
          recordedOn: '2024-09-27',
          givenBy: ['guardian', 'young-person'],
          subjectAged15OrOver: true,
          scope: 'Socialtjänst, polis och fritidsgården',
        })
        .expect(201);
      await api()
        .post('/prevention-talks/talk-leisure/held')
        .set(bearer(officer))
        .send(held([social, police, youth]))
        .expect(201);
    });

    it('lets leisure take part but not plan (403)', async () => {
      const res = await api()
        .post('/prevention-talks')
        .set(bearer(youthWorker))
        .send(plan('talk-by-leisure', [social, police, youth], consent))
        .expect(403);
      expect(res.body.code).toBe('TALK.PLANNER_NOT_ALLOWED');
    });

    it('is read by the leisure participant for a purpose (200, with its ground); a leisure user outside it is told there is no such talk (404)', async () => {
      const read = await api()
        .get('/prevention-talks/talk-leisure?purpose=SSPF-möte')
        .set(bearer(youthWorker))
        .expect(200);
      expect(read.body).toMatchObject({
        status: 'held',
        legalGround: { basis: 'consent' },
        participants: [social, police, youth],
        consentInForce: true,
      });
      const refused = await api()
        .get('/prevention-talks/talk-leisure?purpose=SSPF-möte')
        .set(bearer(leisureManager))
        .expect(404);
      expect(refused.body.code).toBe('TALK.NOT_FOUND');
      expect(refused.text).not.toContain('SOC-7F3K9Q');
    });

    it('refuses an 18 a § talk with school or leisure taking part, without the age or without a preventive purpose (422, nothing stored)', async () => {
      const refusals: [string, object, string][] = [
        [
          'talk-18a-school',
          plan('talk-18a-school', [social, police, school], ground18a),
          'TALK.GROUND_EXCLUDES_AGENCY',
        ],
        [
          'talk-18a-leisure',
          plan('talk-18a-leisure', [social, police, youth], ground18a),
          'TALK.GROUND_EXCLUDES_AGENCY',
        ],
        [
          'talk-18a-age',
          plan('talk-18a-age', [social, police], { ...ground18a, subjectUnder21: false }),
          'TALK.GROUND_REQUIRES_UNDER_21',
        ],
        [
          'talk-18a-purpose',
          plan('talk-18a-purpose', [social, police], { ...ground18a, preventivePurpose: ' oro ' }),
          'TALK.GROUND_REQUIRES_PURPOSE',
        ],
      ];
      for (const [talkId, body, code] of refusals) {
        const res = await api().post('/prevention-talks').set(bearer(socialWorker)).send(body);
        expect([talkId, res.status, res.body.code]).toEqual([talkId, 422, code]);
        expect(await store.streamRevision(`prevention-talk-${talkId}`)).toBeNull();
      }
    });

    it('accepts an 18 a § talk between social services and the police, and holds it without consent', async () => {
      await api()
        .post('/prevention-talks')
        .set(bearer(officer))
        .send(plan('talk-18a', [social, police], ground18a))
        .expect(201);
      const consentRefused = await api()
        .post('/prevention-talks/talk-18a/consent')
        .set(bearer(socialWorker))
        .send({
          consentId: 'consent-1',
          recordedOn: '2024-09-27',
          givenBy: ['guardian'],
          subjectAged15OrOver: false,
          scope: 'Socialtjänst och polis',
        })
        .expect(422);
      expect(consentRefused.body.code).toBe('TALK.GROUND_IS_NOT_CONSENT');
      await api()
        .post('/prevention-talks/talk-18a/held')
        .set(bearer(officer))
        .send(held([social, police]))
        .expect(201);
      const read = await api()
        .get('/prevention-talks/talk-18a?purpose=SSPF-uppföljning')
        .set(bearer(officer))
        .expect(200);
      expect(read.body).toMatchObject({
        status: 'held',
        consentInForce: false,
        legalGround: ground18a,
      });
      await api()
        .get('/prevention-talks/talk-18a?purpose=nyfiken')
        .set(bearer(youthWorker))
        .expect(404);
    });

    it('names the ground of each read in the read-access log', async () => {
      const day = today();
      await api()
        .get('/prevention-talks/talk-leisure?purpose=Inför-uppföljning')
        .set(bearer(socialWorker))
        .expect(200);
      await api()
        .get('/prevention-talks/talk-18a?purpose=Inför-uppföljning')
        .set(bearer(socialWorker))
        .expect(200);
      const logged = (await readAccessLog([day, today()])).filter(
        (e) => e.actor.userId === socialWorker.userId,
      );
      expect(logged.map((e) => e.data)).toEqual([
        expect.objectContaining({
          streamId: 'prevention-talk-talk-leisure',
          resourceKind: 'prevention-talk',
          purpose: 'Inför-uppföljning',
          legalGround: 'samtycke (OSL 12 kap. 2 §)',
        }),
        expect.objectContaining({
          streamId: 'prevention-talk-talk-18a',
          purpose: 'Inför-uppföljning',
          legalGround: 'OSL 10 kap. 18 a §',
        }),
      ]);
      // Every read of a talk so far carries its ground.
      const talkReads = (await readAccessLog([day, today()])).filter(
        (e) => e.data['resourceKind'] === 'prevention-talk',
      );
      expect(talkReads.length).toBeGreaterThanOrEqual(4);
      for (const e of talkReads) expect(e.data).toHaveProperty('legalGround');
    });

    it('changes who takes part before the talk, only by a participant and only within the ground', async () => {
      await api()
        .post('/prevention-talks')
        .set(bearer(socialWorker))
        .send(plan('talk-change', [social, police, school], consent))
        .expect(201);
      const change = { participants: [social, police, youth], reason: 'Fritidsgården i stället' };
      const outsider = await api()
        .post('/prevention-talks/talk-change/participants')
        .set(bearer(youthWorker))
        .send(change)
        .expect(404);
      // An outsider is answered as for a talk that does not exist.
      expect(outsider.body.code).toBe('TALK.NOT_FOUND');
      await api()
        .post('/prevention-talks/talk-change/participants')
        .set(bearer(socialWorker))
        .send(change)
        .expect(201);
      // The new list decides who reads: leisure now, the school no longer.
      await api()
        .get('/prevention-talks/talk-change?purpose=SSPF-möte')
        .set(bearer(youthWorker))
        .expect(200);
      await api()
        .get('/prevention-talks/talk-change?purpose=SSPF-möte')
        .set(bearer(studentHealth))
        .expect(404);

      await api()
        .post('/prevention-talks')
        .set(bearer(officer))
        .send(plan('talk-18a-change', [social, police], ground18a))
        .expect(201);
      const breaks = await api()
        .post('/prevention-talks/talk-18a-change/participants')
        .set(bearer(officer))
        .send({ participants: [social, police, school], reason: 'Skolan vill vara med' })
        .expect(422);
      expect(breaks.body.code).toBe('TALK.GROUND_EXCLUDES_AGENCY');
      const afterHeld = await api()
        .post('/prevention-talks/talk-18a/participants')
        .set(bearer(officer))
        .send({ participants: [police, { ...social, role: 'field-worker' }], reason: 'Byte' })
        .expect(409);
      expect(afterHeld.body.code).toBe('TALK.ALREADY_HELD');
    });

    it('documents the change of participants in the OpenAPI document', async () => {
      const doc = await api().get('/api/docs-json').expect(200);
      expect(doc.body.paths['/api/prevention-talks/{talkId}/participants'].post).toBeDefined();
      expect(doc.body.components.schemas).toHaveProperty('Osl1018aGroundDto');
    });

    it('answers a bad ground with 400 naming the field, and stores nothing', async () => {
      const cases: [unknown, string][] = [
        [undefined, 'legalGround'],
        ['consent', 'legalGround'],
        [[null], 'legalGround'],
        [{ basis: 'samtycke' }, 'legalGround.basis'],
        [
          { basis: 'consent', preventivePurpose: 'Förebygga nya brott' },
          'legalGround.preventivePurpose',
        ],
        [{ ...ground18a, subjectUnder21: undefined }, 'legalGround.subjectUnder21'],
        [{ ...ground18a, subjectUnder21: 'ja' }, 'legalGround.subjectUnder21'],
        [{ ...ground18a, preventivePurpose: 42 }, 'legalGround.preventivePurpose'],
        [{ ...ground18a, consentId: 'c-1' }, 'legalGround.consentId'],
      ];
      for (const [legalGround, path] of cases) {
        const res = await api()
          .post('/prevention-talks')
          .set(bearer(socialWorker))
          .send(plan('talk-bad', [social, police], legalGround));
        expect([JSON.stringify(legalGround), res.status, res.body.code]).toEqual([
          JSON.stringify(legalGround),
          400,
          'REQUEST.INVALID',
        ]);
        const paths = (res.body as { errors: { path: string }[] }).errors.map((e) => e.path);
        expect([JSON.stringify(legalGround), paths]).toEqual([
          JSON.stringify(legalGround),
          expect.arrayContaining([path]),
        ]);
      }
      expect(await store.streamRevision('prevention-talk-talk-bad')).toBeNull();
    });
  });
}

talkScenario(describe, 'embedded store', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-talks-'));
  const { app, http, restore } = await startApi({
    DATABASE_URL: undefined,
    SAMVERKAN_DATA_DIR: dataDir,
    SAMVERKAN_SEED: 'off',
    SAMVERKAN_JWT_SECRET: TEST_SECRET,
    SAMVERKAN_API_KEYS: undefined,
  });
  return {
    app,
    http,
    close: async () => {
      await app.close();
      restore();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

const pg = requirePostgres('the prevention talks end-to-end suite on PostgreSQL');
const databases = new TestDatabases(pg.url);
talkScenario(pg.describe, 'PostgreSQL', async () => {
  const { app, http, restore } = await startApi({
    DATABASE_URL: await databases.create(),
    SAMVERKAN_JWT_SECRET: TEST_SECRET,
    SAMVERKAN_SEED: 'off',
    SAMVERKAN_API_KEYS: undefined,
  });
  return {
    app,
    http,
    close: async () => {
      await app.close();
      restore();
      await databases.dropAll();
    },
  };
});
