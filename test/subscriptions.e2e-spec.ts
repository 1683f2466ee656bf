import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Actor } from '../libs/domain/src/actor';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import { requireKafka } from '../libs/integration/src/kafka/require-kafka';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createEventStore } from '../libs/event-store/src/event-store.config';
import asyncapi from '../libs/integration/src/asyncapi/asyncapi.json';
import { feedValidator } from '../libs/integration/src/asyncapi/testing/feed-validator';
import { agencyTopics } from '../libs/integration/src/relay/feed-audience';
import {
  consume,
  countOf,
  expectedFor,
  personalDataIn,
  topicValues,
} from '../libs/integration/src/relay/testing/relay-feed';
import { AGENCIES } from '../libs/domain/src/agencies/agencies';
import { personalFieldsOf } from '../libs/domain/src/personal-fields';
import { bearer, grantUsers, startApi, TEST_SECRET } from './support/api-harness';

const pg = requirePostgres('the subscriptions end-to-end suite (PostgreSQL)');
const kafka = requireKafka('the subscriptions end-to-end suite (Kafka)');

pg.describe('GET /subscriptions', () => {
  kafka.describe('with the relay in the API process', () => {
    const databases = new TestDatabases(pg.url);
    let app: INestApplication | undefined;
    let restore: (() => void) | undefined;
    const consumers: Consumer[] = [];

    afterAll(async () => {
      for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
      await app?.close();
      restore?.();
      await databases.dropAll();
    });

    it('shows the relay catching up with the seeded log: checkpoint, lag and state, and each agency’s topics', async () => {
      const partnership = `e2e-${randomBytes(3).toString('hex')}`;
      const databaseUrl = await databases.create();
      const started = await startApi({
        DATABASE_URL: databaseUrl,
        SAMVERKAN_JWT_SECRET: TEST_SECRET,
        SAMVERKAN_SEED: 'auto',
        SAMVERKAN_PARTNERSHIP_ID: partnership,
        SAMVERKAN_RELAY: 'on',
        KAFKA_BROKERS: kafka.brokers.join(','),
        SAMVERKAN_PUBLIC_URL: 'http://samverkan.e2e.test',
      });
      ({ app, restore } = started);
      const auditor: Actor = { userId: 'rev.1', agency: 'municipality', role: 'auditor' };
      await grantUsers(started.app, [auditor]);
      const deadline = Date.now() + 60_000;
      let body: {
        relay: { position: number; headPosition: number; lag: number; state: string };
        topics: string[];
      };
      for (;;) {
        body = (await started.http().get('/subscriptions').set(bearer(auditor)).expect(200)).body;
        if (body.relay.headPosition > 0 && body.relay.lag === 0) break;
        if (Date.now() > deadline) throw new Error(`relay not caught up: ${JSON.stringify(body)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(body.relay).toMatchObject({ state: 'running', position: body.relay.headPosition });
      expect(body.topics).toContain(`samverkan.${partnership}.police.restricted`);
      expect(body.topics).toContain(`samverkan.${partnership}.social-services.events`);
      await started.http().get('/subscriptions').expect(401);

      // What was published is what the AsyncAPI document promises: the seeded Hammarö log,
      // appended through the real commands, read back by three agencies' systems.
      const topics = [
        ...new Set(
          (['police', 'social-services', 'school'] as const).flatMap((agency) =>
            agencyTopics(partnership, agency),
          ),
        ),
      ];
      const store = await createEventStore({
        adapter: 'postgres',
        connectionString: databaseUrl,
        poolSize: 2,
      });
      await store.start();
      // As far as the relay had published: the whole seeded log.
      const expected = await expectedFor(store, partnership, topics, body.relay.headPosition);
      // Every personal text of the seeded log, as those who may read it see it.
      const plaintexts = new Set<string>();
      for await (const e of store.readAll()) {
        for (const leaf of personalFieldsOf(e.type, e.data, e.streamId).leaves) {
          if (leaf.value.length >= 8) plaintexts.add(leaf.value);
        }
      }
      await store.close();
      expect(plaintexts.size).toBeGreaterThan(10);
      const client = new Kafka({
        clientId: 'e2e-asyncapi',
        brokers: kafka.brokers,
        logLevel: logLevel.NOTHING,
      });
      const { events } = await consume(client, consumers, topics, countOf(expected));
      // What the topics hold, read whole as an administrator would: no personal text, no
      // ciphertext; only nulls where it was, and the API route that serves it.
      const allTopics = [
        ...new Set(AGENCIES.flatMap((agency) => agencyTopics(partnership, agency))),
      ];
      const values = await topicValues(client, consumers, allTopics);
      expect(values.length).toBeGreaterThanOrEqual(events.length);
      expect(personalDataIn(values, [...plaintexts])).toEqual([]);
      const claimed = events.filter(({ event }) => event.withheld !== undefined);
      expect(claimed.length).toBeGreaterThan(10);
      for (const { event } of claimed) {
        expect(event.dataref).toBe(`http://samverkan.e2e.test/events/${event.id}/personal-data`);
      }
      const types = new Set(events.map(({ event }) => event.type));
      expect(types).toContain('se.samverkan.PromiseDrafted.v1');
      expect(types).toContain('se.samverkan.PreventionTalkPlanned.v2');
      expect(types).toContain('se.samverkan.SituationReported.v2');
      // Issue 11's events travel too: places (shared), credits, EST counts, findings.
      for (const type of [
        'PlaceRegistered',
        'CommitmentCredited',
        'EstCountsReported',
        'FindingReported',
      ]) {
        expect(types).toContain(`se.samverkan.${type}.v1`);
      }
      const validate = feedValidator();
      expect(events.flatMap(({ event }) => validate(event))).toEqual([]);
      const channels = (
        asyncapi as unknown as { channels: Record<string, { messages: Record<string, unknown> }> }
      ).channels;
      const offChannel = events
        .filter(({ topic, event }) => {
          const channel = channels[topic.slice(`samverkan.${partnership}.`.length)];
          return !channel || !(event.type.split('.')[2]! in channel.messages);
        })
        .map(({ topic, event }) => `${event.type} on ${topic}`);
      expect(offChannel).toEqual([]);

      // The document itself, served without credentials, names this installation's brokers.
      const served = (await started.http().get('/asyncapi.json').expect(200)).body as {
        asyncapi: string;
        servers: Record<string, { host: string }>;
        components: { parameters: { partnershipId: { default: string } } };
      };
      expect(served.asyncapi).toBe('3.0.0');
      expect(Object.values(served.servers).map((server) => server.host)).toEqual(kafka.brokers);
      expect(served.components.parameters.partnershipId.default).toBe(partnership);
    }, 120_000);
  });
});
