import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { EventStore } from '../libs/event-store/src/event-store.port';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import type { SqlEventStore } from '../libs/event-store/src/sql/sql-event-store';
import { toCloudEvent } from '../libs/integration/src/cloud-event';
import { requireKafka } from '../libs/integration/src/kafka/require-kafka';
import { agencyTopics } from '../libs/integration/src/relay/feed-audience';
import { Relay } from '../libs/integration/src/relay/relay';
import {
  countOf,
  expectedFor,
  personalDataIn,
  topicValues,
} from '../libs/integration/src/relay/testing/relay-feed';
import { appendPartnershipLog } from '../libs/projections/src/testing/partnership-log';
import { until } from '../libs/shared/src/eventually';

const ROOT = join(__dirname, '..');
const pg = requirePostgres('the example subscriber suite (PostgreSQL)');
const kafka = requireKafka('the example subscriber suite (Kafka)');

pg.describe('the example agency subscriber (examples/agency-subscriber)', () => {
  kafka.describe('against the relay on a real broker', () => {
    const databases = new TestDatabases(pg.url);
    const dir = mkdtempSync(join(tmpdir(), 'samverkan-subscriber-'));
    const partnershipId = `x${randomBytes(4).toString('hex')}`;
    const group = `police-system.${randomBytes(4).toString('hex')}`;
    const client = new Kafka({
      clientId: 'subscriber-test',
      brokers: kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    let store: EventStore;
    let relay: Relay;
    const children: ChildProcess[] = [];
    const printed: { id: string; topic: string; subject: string }[] = [];
    const consumers: Consumer[] = [];

    const startSubscriber = () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'examples/agency-subscriber/subscriber.ts'],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            KAFKA_BROKERS: kafka.brokers.join(','),
            SAMVERKAN_PARTNERSHIP_ID: partnershipId,
            AGENCY: 'police',
            CONSUMER_GROUP: group,
            SEEN_FILE: join(dir, 'seen-ids.json'),
            KAFKA_SESSION_TIMEOUT_MS: '6000',
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      createInterface({ input: child.stdout }).on('line', (line) => {
        printed.push(JSON.parse(line) as (typeof printed)[number]);
      });
      children.push(child);
      return child;
    };

    beforeAll(async () => {
      store = await databases.startedStore(5);
      relay = new Relay(store, (store as SqlEventStore).sqlClient, client, {
        partnershipId,
        batchSize: 100,
      });
      await relay.start();
    });
    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
      await relay?.stop();
      await store?.close();
      await databases.dropAll();
      rmSync(dir, { recursive: true, force: true });
    });

    const relayed = async (position: number) =>
      until('the relay past the log', async () =>
        (await relay.status()).position >= position ? true : undefined,
      );

    it('prints each event its agency may read once, through resent duplicates and its own restart', async () => {
      const topics = agencyTopics(partnershipId, 'police');
      const part1 = await appendPartnershipLog(store, {
        promises: 1,
        activities: 120,
        reports: 30,
        prefix: 'a-',
      });
      await relayed(part1);
      const first = startSubscriber();
      const expected1 = countOf(await expectedFor(store, partnershipId, topics, part1));
      await until(
        'the first part printed',
        () => Promise.resolve(printed.length >= expected1 ? true : undefined),
        60_000,
      );

      // The relay's at-least-once in the worst case: what was sent goes again, same ids.
      const again: { key: string; value: string }[] = [];
      for await (const event of store.readAll({ maxCount: 80 })) {
        if (event.streamId.startsWith('citizen-promise-')) {
          again.push({
            key: event.streamId,
            value: JSON.stringify(toCloudEvent(event, partnershipId)),
          });
        }
      }
      const producer = client.producer();
      await producer.connect();
      await producer.send({ topic: topics[0]!, messages: again });
      await producer.disconnect();

      // Killed and started again: the seen ids and the committed offsets carry over.
      await new Promise((r) => setTimeout(r, 1500));
      first.kill('SIGKILL');
      const part2 = await appendPartnershipLog(store, {
        promises: 1,
        activities: 60,
        reports: 10,
        prefix: 'b-',
      });
      await relayed(part2);
      startSubscriber();
      const expected = await expectedFor(store, partnershipId, topics, part2);
      await until(
        'the second part printed',
        () => Promise.resolve(printed.length >= countOf(expected) ? true : undefined),
        60_000,
      );
      await new Promise((r) => setTimeout(r, 1500)); // nothing more comes

      expect(again.length).toBeGreaterThan(20);
      const ids = printed.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(countOf(expected));
      const printedStreams = new Set(printed.map((p) => p.subject));
      expect(printedStreams).toEqual(new Set(expected.keys()));
      // The topics it read hold no personal text (the claim check), resent duplicates included.
      const values = await topicValues(client, consumers, topics);
      expect(values.length).toBeGreaterThan(ids.length);
      expect(personalDataIn(values, ['Genomfört 1', 'Observation 1', 'fel plats'])).toEqual([]);
    }, 180_000);
  });
});
