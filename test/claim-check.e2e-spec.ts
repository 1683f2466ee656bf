import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { hashApiKey } from '../apps/api/src/auth/api-keys';
import type { Actor } from '../libs/domain/src/actor';
import { AGENCIES } from '../libs/domain/src/agencies/agencies';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import type { SamverkanCloudEvent } from '../libs/integration/src/cloud-event';
import { requireKafka } from '../libs/integration/src/kafka/require-kafka';
import { agencyTopic, agencyTopics } from '../libs/integration/src/relay/feed-audience';
import { personalDataIn, topicValues } from '../libs/integration/src/relay/testing/relay-feed';
import { until } from '../libs/shared/src/eventually';
import { bearer, grantUsers, startApi, TEST_SECRET } from './support/api-harness';

const ROOT = join(__dirname, '..');
const pg = requirePostgres('the claim-check end-to-end suite (PostgreSQL)');
const kafka = requireKafka('the claim-check end-to-end suite (Kafka)');

const officer: Actor = { userId: 'polis.cc', agency: 'police', role: 'officer' };
const policeDpo: Actor = {
  userId: 'dso.polis.cc',
  agency: 'police',
  role: 'data-protection-officer',
};
const socialWorker: Actor = { userId: 'soc.cc', agency: 'social-services', role: 'social-worker' };
const socDpo: Actor = {
  userId: 'dso.soc.cc',
  agency: 'social-services',
  role: 'data-protection-officer',
};

/** Written where they should not be, and about a young person: what must never reach a topic. */
const NAMED = 'Kalle Karlsson i 9B stoppades utan hjälm';
const SUBJECT_REF = 'SOC-CLA1M';
const TALK_TEXT = 'Oro för att ungdomen säljer narkotika vid skolan';
const RECORDS_REASON = 'Namn i fritext om en elev';
const SUBJECT_REASON = 'Begäran om radering från vårdnadshavare';

const KEYS = {
  police: `svk_${randomBytes(24).toString('hex')}`,
  school: `svk_${randomBytes(24).toString('hex')}`,
};
const apiKey = (key: string) => ({ Authorization: `ApiKey ${key}` });

/** A port nothing listens on now, for the API the subscriber process calls. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Kept {
  readonly eventId: string;
  readonly streamId: string;
  readonly fields: Record<string, string>;
}

pg.describe('the feed’s claim check: GET /events/:eventId/personal-data', () => {
  kafka.describe('with the relay in the API process and the example subscriber', () => {
    const databases = new TestDatabases(pg.url);
    const dir = mkdtempSync(join(tmpdir(), 'samverkan-claim-check-'));
    const contentDir = join(dir, 'personal-data');
    const partnership = `cc-${randomBytes(3).toString('hex')}`;
    const client = new Kafka({
      clientId: 'claim-check-e2e',
      brokers: kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    const consumers: Consumer[] = [];
    const children: ChildProcess[] = [];
    const printed: string[] = [];
    let started: Awaited<ReturnType<typeof startApi>>;
    let http: Awaited<ReturnType<typeof startApi>>['http'];
    let apiUrl: string;
    let activityEventId: string;
    let talkEventId: string;
    let talkStream: string;

    const withheld = (key: string, eventId: string, purpose?: string) =>
      http()
        .get(`/events/${eventId}/personal-data`)
        .query(purpose === undefined ? {} : { purpose })
        .set(apiKey(key));
    const kept = (eventId: string): Kept | undefined => {
      const file = join(contentDir, `${eventId}.json`);
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Kept) : undefined;
    };

    beforeAll(async () => {
      const port = await freePort();
      apiUrl = `http://127.0.0.1:${port}`;
      started = await startApi({
        DATABASE_URL: await databases.create(),
        SAMVERKAN_JWT_SECRET: TEST_SECRET,
        SAMVERKAN_SEED: 'auto',
        SAMVERKAN_PARTNERSHIP_ID: partnership,
        SAMVERKAN_RELAY: 'on',
        KAFKA_BROKERS: kafka.brokers.join(','),
        SAMVERKAN_PUBLIC_URL: apiUrl,
        SAMVERKAN_API_KEYS: [
          `police-records:police:${hashApiKey(KEYS.police)}`,
          `school-platform:school:${hashApiKey(KEYS.school)}`,
        ].join(','),
        // The subscriber fetches the seeded log's fields too: one request per message.
        SAMVERKAN_RATE_LIMIT: '100000',
      });
      http = started.http;
      await started.app.listen(port, '127.0.0.1');
      await grantUsers(started.app, [officer, policeDpo, socialWorker, socDpo]);

      const activity = await http()
        .post('/promises/hammaro-2023-2025/activities')
        .set(bearer(officer))
        .send({
          commitmentId: 'police-traffic-controls',
          kind: 'traffic-control',
          date: '2024-11-05',
          placeIds: ['bymiljovagen'],
          agenciesPresent: ['police'],
          outcome: `Mopedkontroll; ${NAMED}`,
          figures: { vehiclesChecked: 12 },
        })
        .expect(201);
      activityEventId = activity.body.events[0].eventId;
      const talk = await http()
        .post('/prevention-talks')
        .set(bearer(socialWorker))
        .send({
          talkId: 'talk-claim-check',
          subjectRef: SUBJECT_REF,
          plannedFor: '2024-11-20',
          participants: [
            { agency: 'social-services', role: 'social-worker' },
            { agency: 'police', role: 'officer' },
          ],
          purpose: TALK_TEXT,
          legalGround: { basis: 'osl-10-18a', subjectUnder21: true, preventivePurpose: TALK_TEXT },
        })
        .expect(201);
      talkEventId = talk.body.events[0].eventId;
      talkStream = 'prevention-talk-talk-claim-check';

      // The police's system, as an agency would run it: its topics, its API key.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'examples/agency-subscriber/subscriber.ts'],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            KAFKA_BROKERS: kafka.brokers.join(','),
            SAMVERKAN_PARTNERSHIP_ID: partnership,
            AGENCY: 'police',
            CONSUMER_GROUP: `police-system.${randomBytes(4).toString('hex')}`,
            SEEN_FILE: join(dir, 'seen-ids'),
            KAFKA_SESSION_TIMEOUT_MS: '6000',
            SAMVERKAN_API_KEY: KEYS.police,
            CONTENT_DIR: contentDir,
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      children.push(child);
      createInterface({ input: child.stdout }).on('line', (line) => printed.push(line));
    }, 120_000);

    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
      await started?.app.close();
      started?.restore();
      await databases.dropAll();
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves the withheld fields to an agency that received the event; a restricted one with a purpose, logged', async () => {
      const activity = await withheld(KEYS.police, activityEventId).expect(200);
      expect(activity.body).toEqual({
        eventId: activityEventId,
        streamId: 'citizen-promise-hammaro-2023-2025',
        fields: { outcome: `Mopedkontroll; ${NAMED}` },
      });
      expect(activity.headers['cache-control']).toBe('no-store');
      // The promise is public: the school's system receives it too.
      await withheld(KEYS.school, activityEventId).expect(200);

      const noPurpose = await withheld(KEYS.police, talkEventId).expect(400);
      expect(JSON.stringify(noPurpose.body)).toContain('purpose');
      const talk = await withheld(KEYS.police, talkEventId, 'Ärende i polisens system').expect(200);
      expect(talk.body).toEqual({
        eventId: talkEventId,
        streamId: talkStream,
        fields: {
          subjectRef: SUBJECT_REF,
          purpose: TALK_TEXT,
          'legalGround.preventivePurpose': TALK_TEXT,
        },
      });
      const store = started.app.get<EventStore>(EVENT_STORE);
      const reads = [];
      for await (const e of store.readAll({ filter: { types: ['RestrictedDataRead'] } })) {
        if (e.data['streamId'] === talkStream) reads.push(e);
      }
      expect(reads).toHaveLength(1);
      expect(reads[0]).toMatchObject({
        actor: { agency: 'police', role: 'agency-system' },
        data: {
          resourceKind: 'prevention-talk',
          purpose: 'Ärende i polisens system',
          legalGround: 'OSL 10 kap. 18 a §',
        },
      });
      // A person taking part reads it too, under the API's own rules.
      await http()
        .get(`/events/${talkEventId}/personal-data?purpose=SSPF-möte`)
        .set(bearer(officer))
        .expect(200);
    });

    it('answers an agency that did not receive the event exactly as it answers an unknown id: 404', async () => {
      const notTheirs = await withheld(KEYS.school, talkEventId, 'Elevhälsan').expect(404);
      const unknown = await withheld(
        KEYS.school,
        '0b0c0e3a-5a8a-4c89-9d4f-4a4a1e1c2b3d',
        'Elevhälsan',
      ).expect(404);
      const notAnId = await withheld(KEYS.school, 'not-an-event', 'Elevhälsan').expect(404);
      const shape = (body: Record<string, unknown>, id: string) => ({
        ...body,
        detail: String(body['detail']).replace(id, '<id>'),
        instance: undefined,
      });
      expect(shape(notTheirs.body, talkEventId)).toEqual(
        shape(unknown.body, '0b0c0e3a-5a8a-4c89-9d4f-4a4a1e1c2b3d'),
      );
      expect(shape(notAnId.body, 'not-an-event')).toEqual(
        shape(unknown.body, '0b0c0e3a-5a8a-4c89-9d4f-4a4a1e1c2b3d'),
      );
      expect(notTheirs.body).toMatchObject({ code: 'EVENT.NOT_FOUND' });
      await http().get(`/events/${talkEventId}/personal-data`).expect(401);
    });

    it('keeps the example subscriber’s copy: fetched from dataref, never printed', async () => {
      await until(
        'the subscriber kept the activity and the talk',
        () => Promise.resolve(kept(activityEventId) && kept(talkEventId) ? true : undefined),
        90_000,
      );
      expect(kept(activityEventId)?.fields).toEqual({ outcome: `Mopedkontroll; ${NAMED}` });
      expect(kept(talkEventId)?.fields['purpose']).toBe(TALK_TEXT);
      // Its line reaches this process's pipe after the copy is kept: waited for, not assumed.
      await until(
        'the subscriber printed the activity',
        () => Promise.resolve(printed.join('\n').includes(activityEventId) ? true : undefined),
        30_000,
      );
      expect(personalDataIn(printed, [NAMED, TALK_TEXT, SUBJECT_REF])).toEqual([]);
    });

    it('after erasures: the route answers [raderad], every agency is told on its events topic, and the subscriber erases its copy', async () => {
      const records = await http()
        .post('/personal-data/erasures')
        .set(bearer(policeDpo))
        .send({ scope: 'records', eventIds: [activityEventId], reason: RECORDS_REASON })
        .expect(201);
      await http()
        .post('/personal-data/erasures')
        .set(bearer(socDpo))
        .send({ scope: 'data-subject', subjectRef: SUBJECT_REF, reason: SUBJECT_REASON })
        .expect(201);

      expect((await withheld(KEYS.police, activityEventId).expect(200)).body.fields).toEqual({
        outcome: '[raderad]',
      });
      expect(
        (await withheld(KEYS.police, talkEventId, 'Uppföljning').expect(200)).body.fields,
      ).toEqual({
        subjectRef: '[raderad]',
        purpose: '[raderad]',
        'legalGround.preventivePurpose': '[raderad]',
      });

      // The example subscriber acts on both: blanks the records, fetches the talk again.
      await until(
        'the subscriber erased its copies',
        () =>
          Promise.resolve(
            kept(activityEventId)?.fields['outcome'] === '[raderad]' &&
              kept(talkEventId)?.fields['purpose'] === '[raderad]'
              ? true
              : undefined,
          ),
        90_000,
      );
      expect(JSON.stringify(kept(talkEventId))).not.toContain(SUBJECT_REF);

      // Every topic of the partnership, read whole: no personal text, no ciphertext anywhere,
      // and each erasure on every agency's events topic with its reason withheld.
      const topics = [...new Set(AGENCIES.flatMap((agency) => agencyTopics(partnership, agency)))];
      const erasureId = records.body.events[0].eventId as string;
      let values: string[] = [];
      await until(
        'both erasures on every events topic',
        async () => {
          values = await topicValues(client, consumers, topics);
          const erasures = values.filter((v) => v.includes('PersonalDataErased'));
          return erasures.length >= 2 * AGENCIES.length ? true : undefined;
        },
        60_000,
      );
      expect(
        personalDataIn(values, [NAMED, TALK_TEXT, SUBJECT_REF, RECORDS_REASON, SUBJECT_REASON]),
      ).toEqual([]);
      const erased = values
        .map((v) => JSON.parse(v) as SamverkanCloudEvent)
        .filter((e) => e.id === erasureId);
      expect(erased).toHaveLength(AGENCIES.length);
      expect(erased[0]).toMatchObject({
        type: 'se.samverkan.PersonalDataErased.v1',
        withheld: ['reason'],
        dataref: `${apiUrl}/events/${erasureId}/personal-data`,
        data: { scope: 'records', eventIds: [activityEventId], reason: null },
      });
      const onTopics = await topicValues(client, consumers, [
        agencyTopic(partnership, 'housing-company', false),
      ]);
      expect(onTopics.some((v) => v.includes(erasureId))).toBe(true);
      // The reason is served like any withheld field, to those who received the erasure.
      expect((await withheld(KEYS.school, erasureId).expect(200)).body.fields).toEqual({
        reason: RECORDS_REASON,
      });
    });
  });
});
