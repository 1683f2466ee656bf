import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore } from '@samverkan/event-store/event-store.config';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import { type SqlEventStore } from '@samverkan/event-store/sql/sql-event-store';
import { appendPartnershipLog } from '@samverkan/projections/testing/partnership-log';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { requireKafka } from '../kafka/require-kafka';
import { ownBroker } from '../kafka/testing/own-broker';
import { agencyTopic, agencyTopics } from './feed-audience';
import { Relay } from './relay';
import { until } from '@samverkan/shared/eventually';
import { consume, countOf, expectedFor, personalDataIn, topicValues } from './testing/relay-feed';
import type { SamverkanCloudEvent } from '../cloud-event';
import { feedValidator } from '../asyncapi/testing/feed-validator';
import { createRelay } from './relay-config';

const pg = requirePostgres('the relay suite (PostgreSQL)');
const kafka = requireKafka('the relay suite (Kafka)');

pg.describe('the relay', () => {
  kafka.describe('on a real Kafka broker', () => {
    const databases = new TestDatabases(pg.url);
    const client = new Kafka({
      clientId: 'relay-test',
      brokers: kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    let store: EventStore;
    const consumers: Consumer[] = [];
    const relays: Relay[] = [];

    beforeAll(async () => {
      store = await databases.startedStore(10);
    });
    afterAll(async () => {
      for (const relay of relays) await relay.stop().catch(() => undefined);
      for (const consumer of consumers) await consumer.disconnect();
      await store?.close();
      await databases.dropAll();
    });

    const newRelay = (partnershipId: string) => {
      const relay = new Relay(store, (store as SqlEventStore).sqlClient, client, {
        partnershipId,
        batchSize: 50,
      });
      relays.push(relay);
      return relay;
    };

    it('routes a report made restricted after a restart by the audience it kept: the leisure system gets the open report and not the correction', async () => {
      const partnershipId = `c${randomBytes(4).toString('hex')}`;
      const stream = `situation-report-${partnershipId}`;
      const report = (sensitivity: string, sharedWith: string[]) => ({
        area: 'Skoghall centrum',
        problemArea: 'vandalism-burglary',
        period: { from: '2024-05-01', to: '2024-05-31' },
        trend: 'rising',
        severity: 'medium',
        description: 'Klotter och skadegörelse vid skolan kvällstid',
        source: 'own-observation',
        sensitivity,
        sharedWith,
      });
      const actor = { userId: 'rektor.1', agency: 'school', role: 'principal' };
      const first = newRelay(partnershipId);
      await first.start();
      const reported = await store.append(
        stream,
        [
          {
            type: 'SituationReported',
            data: { reportId: partnershipId, reportingAgency: 'school', ...report('open', []) },
          },
        ],
        { expectedRevision: 'no_stream', actor },
      );
      await until('the relay past the report', async () =>
        (await first.status()).position >= reported.globalPosition ? true : undefined,
      );
      await first.stop();
      // Made restricted while no relay runs: the next one knows the stream only from the table.
      const corrected = await store.append(
        stream,
        [
          {
            type: 'SituationReportCorrected',
            data: {
              reason: 'Uppgifter om en enskild elev',
              ...report('restricted', ['social-services']),
            },
          },
        ],
        { expectedRevision: 0, actor },
      );
      const second = newRelay(partnershipId);
      await second.start();
      await until('the relay past the correction', async () =>
        (await second.status()).position >= corrected.globalPosition ? true : undefined,
      );
      const leisure = await consume(client, consumers, agencyTopics(partnershipId, 'leisure'), 1);
      expect(leisure.byStream).toEqual(new Map([[stream, [0]]]));
      const social = await consume(
        client,
        consumers,
        agencyTopics(partnershipId, 'social-services'),
        2,
      );
      expect(social.byStream.get(stream)?.slice().sort()).toEqual([0, 1]);
      const housing = await expectedFor(
        store,
        partnershipId,
        agencyTopics(partnershipId, 'housing-company'),
      );
      expect(housing.has(stream)).toBe(false);
    });

    it('delivers every event appended while it runs, and after a restart, exactly once after de-duplication and in stream order', async () => {
      const partnershipId = `t${randomBytes(4).toString('hex')}`;
      const first = newRelay(partnershipId);
      await first.start();
      const part1 = await appendPartnershipLog(store, {
        promises: 2,
        activities: 300,
        reports: 80,
        prefix: `${partnershipId}-1-`,
      });
      await until('the relay past part 1', async () =>
        (await first.status()).position >= part1 ? true : undefined,
      );
      await first.stop();
      // Appended while no relay runs: the next one resumes from the checkpoint.
      const part2 = await appendPartnershipLog(store, {
        promises: 1,
        activities: 200,
        reports: 40,
        prefix: `${partnershipId}-2-`,
      });
      const second = newRelay(partnershipId);
      await second.start();
      await until('the relay past part 2', async () =>
        (await second.status()).position >= part2 ? true : undefined,
      );
      expect((await second.status()).published).toBeLessThanOrEqual(part2 - part1 + 50);

      const police = agencyTopics(partnershipId, 'police');
      const expected = await expectedFor(store, partnershipId, police);
      const total = [...expected.values()].reduce((n, revisions) => n + revisions.length, 0);
      expect(total).toBeGreaterThan(500);
      const { byStream, inconsistentDuplicates } = await consume(client, consumers, police, total);
      expect(inconsistentDuplicates).toBe(0);
      expect(byStream).toEqual(expected);
      // The housing company's system gets the public promise, and no report.
      const housing = agencyTopics(partnershipId, 'housing-company');
      const forHousing = await expectedFor(store, partnershipId, housing);
      expect([...forHousing.keys()].some((s) => s.startsWith('situation-report-'))).toBe(false);
      const received = await consume(
        client,
        consumers,
        housing,
        [...forHousing.values()].reduce((n, r) => n + r.length, 0),
      );
      expect(received.byStream).toEqual(forHousing);
      // Stored in plaintext here (no master keys): the claim check withholds it all the same.
      const onTopics = await topicValues(client, consumers, [...new Set([...police, ...housing])]);
      expect(onTopics.length).toBeGreaterThan(500);
      expect(
        personalDataIn(onTopics, ['Genomfört 1', 'Observation 1', 'fel plats', 'dubblett']),
      ).toEqual([]);
    });

    it('publishes no personal text and no ciphertext: each personal field is null, listed in withheld, with the API route that serves it', async () => {
      const partnershipId = `p${randomBytes(4).toString('hex')}`;
      // A store as the apps open it: personal fields encrypted under the master keys.
      const protectedStore = await createEventStore({
        adapter: 'postgres',
        connectionString: await databases.create(),
        poolSize: 4,
      });
      await protectedStore.start();
      const relay = new Relay(protectedStore, (protectedStore as SqlEventStore).sqlClient, client, {
        partnershipId,
        batchSize: 50,
        apiUrl: 'https://samverkan.kommun.example/',
      });
      relays.push(relay);
      try {
        await relay.start();
        const talkText = 'Oro för att ungdomen säljer narkotika vid skolan';
        const subjectRef = 'SOC-REL4Y';
        const social = { userId: 'soc.1', agency: 'social-services', role: 'social-worker' };
        const participants = [
          { agency: 'social-services', role: 'social-worker' },
          { agency: 'police', role: 'officer' },
        ];
        const talk = await protectedStore.append(
          `prevention-talk-${partnershipId}`,
          [
            {
              type: 'PreventionTalkPlanned',
              schemaVersion: 2,
              data: {
                talkId: partnershipId,
                subjectRef,
                plannedFor: '2024-11-20',
                participants,
                purpose: talkText,
                legalGround: {
                  basis: 'osl-10-18a',
                  subjectUnder21: true,
                  preventivePurpose: talkText,
                },
              },
            },
          ],
          { expectedRevision: 'no_stream', actor: social },
        );
        const last = await appendPartnershipLog(protectedStore, {
          promises: 1,
          activities: 40,
          reports: 12,
          prefix: `${partnershipId}-`,
        });
        await until('the relay past the log', async () =>
          (await relay.status()).position >= Math.max(last, talk.globalPosition) ? true : undefined,
        );
        // Encrypted in the log, so the relay read sealed texts (not plaintext it could null).
        const [stored] = await (protectedStore as SqlEventStore).sqlClient.query<{ data: string }>(
          `select data::text as data from event_store.events where event_id = $1`,
          [talk.events[0]!.eventId],
        );
        expect(stored?.data).toContain('$protected');
        const topics = [
          ...new Set(
            (['police', 'social-services', 'school', 'housing-company'] as const).flatMap(
              (agency) => agencyTopics(partnershipId, agency),
            ),
          ),
        ];
        const values = await topicValues(client, consumers, topics);
        expect(values.length).toBeGreaterThan(60);
        expect(
          personalDataIn(values, [talkText, subjectRef, 'Genomfört 1', 'Observation 1']),
        ).toEqual([]);

        const events = values.map((v) => JSON.parse(v) as SamverkanCloudEvent);
        const planned = events.find((e) => e.id === talk.events[0]!.eventId)!;
        expect(planned.withheld).toEqual([
          'subjectRef',
          'purpose',
          'legalGround.preventivePurpose',
        ]);
        expect(planned.data).toMatchObject({
          subjectRef: null,
          purpose: null,
          legalGround: { basis: 'osl-10-18a', preventivePurpose: null },
          participants,
        });
        expect(planned.dataref).toBe(
          `https://samverkan.kommun.example/events/${planned.id}/personal-data`,
        );
        const activity = events.find((e) => e.type.includes('CommitmentActivityRecorded'))!;
        expect(activity).toMatchObject({ withheld: ['outcome'], data: { outcome: null } });
        // Each claim-checked message as the AsyncAPI document describes it (the test log's
        // walks are sketches: the seeded log in the subscriptions e2e validates every type).
        const validate = feedValidator();
        const claimed = events.filter((e) => e.withheld !== undefined);
        expect(claimed.length).toBeGreaterThan(40);
        expect(claimed.flatMap((e) => validate(e))).toEqual([]);
      } finally {
        await relay.stop();
        relays.splice(relays.indexOf(relay), 1);
        await protectedStore.close();
      }
    });
  });
});

pg.describe('the relay through a broker outage', () => {
  kafka.describe('on its own Kafka broker', () => {
    const databases = new TestDatabases(pg.url);
    const dir = mkdtempSync(join(tmpdir(), 'samverkan-kafka-'));
    const broker = ownBroker(dir);
    let store: EventStore;
    let relay: Relay | undefined;
    const consumers: Consumer[] = [];

    beforeAll(async () => {
      await broker.start();
      store = await databases.startedStore(10);
    }, 120_000);
    afterAll(async () => {
      await relay?.stop().catch(() => undefined);
      for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
      await store?.close();
      await broker.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      await databases.dropAll();
    }, 120_000);

    it('holds its checkpoint and reports the outage while the broker is down, then delivers everything once it is back', async () => {
      const client = new Kafka({
        clientId: 'relay-outage-test',
        brokers: broker.brokers,
        logLevel: logLevel.NOTHING,
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
      });
      const partnershipId = `o${randomBytes(4).toString('hex')}`;
      relay = new Relay(store, (store as SqlEventStore).sqlClient, client, {
        partnershipId,
        batchSize: 50,
      });
      await relay.start();
      const before = await appendPartnershipLog(store, {
        promises: 1,
        activities: 100,
        reports: 20,
        prefix: 'x-',
      });
      await until('the relay past the first events', async () =>
        (await relay!.status()).position >= before ? true : undefined,
      );
      await broker.stop();
      const during = await appendPartnershipLog(store, {
        promises: 1,
        activities: 100,
        reports: 20,
        prefix: 'y-',
      });
      const down = await until('the outage in the status', async () => {
        const s = await relay!.status();
        return s.state === 'broker-unreachable' ? s : undefined;
      });
      expect(down.outageSince).not.toBeNull();
      expect(down.position).toBeLessThan(during);
      expect(down.lag).toBeGreaterThan(0);
      await broker.start();
      await until(
        'the relay past the events of the outage',
        async () => ((await relay!.status()).position >= during ? true : undefined),
        90_000,
      );
      expect(await relay.status()).toMatchObject({ state: 'running', outageSince: null });

      const police = agencyTopics(partnershipId, 'police');
      const expected = await expectedFor(store, partnershipId, police);
      const total = [...expected.values()].reduce((n, r) => n + r.length, 0);
      const { byStream } = await consume(client, consumers, police, total);
      expect(byStream).toEqual(expected);
    }, 240_000);
  });
});

describe('the relay on the embedded store', () => {
  kafka.describe('on a real Kafka broker', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samverkan-relay-embedded-'));
    let store: EventStore | undefined;
    let relay: Relay | undefined;
    const consumers: Consumer[] = [];
    afterAll(async () => {
      await relay?.stop().catch(() => undefined);
      for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('publishes from the embedded default (one process, in-process lease) with its checkpoint in the same folder', async () => {
      store = await createEventStore({ adapter: 'embedded', dataDir: dir });
      await store.start();
      const client = new Kafka({
        clientId: 'relay-embedded-test',
        brokers: kafka.brokers,
        logLevel: logLevel.NOTHING,
      });
      const partnershipId = `e${randomBytes(4).toString('hex')}`;
      relay = createRelay(store, {
        brokers: kafka.brokers,
        partnershipId,
        partitions: 2,
        retentionMs: { events: 86_400_000, restricted: 3_600_000 },
        apiUrl: 'https://samverkan.test',
      });
      await relay.start();
      const last = await appendPartnershipLog(store, { promises: 1, activities: 60, reports: 20 });
      await until('the relay past the log', async () =>
        (await relay!.status()).position >= last ? true : undefined,
      );
      const police = agencyTopics(partnershipId, 'police');
      const expected = await expectedFor(store, partnershipId, police);
      const { byStream } = await consume(client, consumers, police, countOf(expected));
      expect(byStream).toEqual(expected);
      // The topics carry the configured partitions and retention.
      const admin = client.admin();
      await admin.connect();
      const [meta] = (
        await admin.fetchTopicMetadata({ topics: [agencyTopic(partnershipId, 'police', true)] })
      ).topics;
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: 2,
            name: agencyTopic(partnershipId, 'police', true),
            configNames: ['retention.ms'],
          },
        ],
      });
      await admin.disconnect();
      expect(meta!.partitions).toHaveLength(2);
      expect(configs.resources[0]!.configEntries[0]!.configValue).toBe('3600000');
    });
  });
});

pg.describe('the relay when its checkpoint cannot be written', () => {
  kafka.describe('on a real Kafka broker', () => {
    const databases = new TestDatabases(pg.url);
    let store: EventStore;
    let relay: Relay | undefined;
    const consumers: Consumer[] = [];
    beforeAll(async () => {
      store = await databases.startedStore(5);
    });
    afterAll(async () => {
      await relay?.stop().catch(() => undefined);
      for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
      await store?.close();
      await databases.dropAll();
    });

    it('resends the batch Kafka already has, under the same ids, reports the database outage meanwhile, and goes on when it heals', async () => {
      const client = new Kafka({
        clientId: 'relay-resend-test',
        brokers: kafka.brokers,
        logLevel: logLevel.NOTHING,
      });
      const partnershipId = `r${randomBytes(4).toString('hex')}`;
      relay = new Relay(store, (store as SqlEventStore).sqlClient, client, {
        partnershipId,
        batchSize: 40,
      });
      await relay.start();
      const sql = (store as SqlEventStore).sqlClient;
      const first = await appendPartnershipLog(store, {
        promises: 1,
        activities: 30,
        reports: 10,
        prefix: 'a-',
      });
      await until('the relay past the first events', async () =>
        (await relay!.status()).position >= first ? true : undefined,
      );
      // Kafka takes the batch; the checkpoint after it fails: the crash window of at least once.
      await sql.execScript(`
        create table relay.refuse_checkpoints (on_ boolean);
        insert into relay.refuse_checkpoints values (true);
        create function relay.refuse_checkpoint() returns trigger language plpgsql as $$
        begin
          if exists (select 1 from relay.refuse_checkpoints) then
            raise exception 'checkpoint refused by the test';
          end if;
          return new;
        end $$;
        create trigger refuse before update on relay.checkpoints
          for each row execute function relay.refuse_checkpoint();`);
      const second = await appendPartnershipLog(store, {
        promises: 1,
        activities: 30,
        reports: 10,
        prefix: 'b-',
      });
      const down = await until('the relay reporting the database', async () => {
        const s = await relay!.status();
        return s.state === 'store-unreachable' && s.lastError?.includes('refused') ? s : undefined;
      });
      expect(down.position).toBeLessThan(second);
      await new Promise((r) => setTimeout(r, 1000)); // a few more resends
      await sql.execScript('delete from relay.refuse_checkpoints');
      await until('the relay past the second events', async () =>
        (await relay!.status()).position >= second ? true : undefined,
      );
      expect(await relay.status()).toMatchObject({ state: 'running', outageSince: null });

      const police = agencyTopics(partnershipId, 'police');
      const expected = await expectedFor(store, partnershipId, police);
      const received = await consume(client, consumers, police, countOf(expected));
      expect(received.duplicates).toBeGreaterThan(0);
      expect(received.inconsistentDuplicates).toBe(0);
      expect(received.byStream).toEqual(expected);
    }, 120_000);
  });
});
