import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { toCloudEvent, type SamverkanCloudEvent } from '../cloud-event';
import { requireKafka } from './require-kafka';

const kafka = requireKafka('the Kafka broker suite');

/** A recorded event as the log would hand it to the relay. */
function recorded(stream: string, revision: number, position: number): RecordedEvent {
  return {
    eventId: randomUUID(),
    type: 'CommitmentActivityRecorded',
    schemaVersion: 1,
    streamId: stream,
    revision,
    globalPosition: position,
    occurredAt: new Date(),
    recordedAt: new Date(),
    actor: { userId: 'officer.1', agency: 'police', role: 'officer' },
    correlationId: 'c',
    causationId: null,
    data: { n: revision },
  };
}

kafka.describe('the Kafka broker, with kafkajs', () => {
  const client = new Kafka({
    clientId: 'samverkan-broker-test',
    brokers: kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  let producer: Producer;
  let consumer: Consumer | undefined;

  beforeAll(async () => {
    producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });
  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
  });

  it('takes CloudEvents keyed by stream with acks from all replicas, and a consumer gets each stream in order', async () => {
    const topic = `samverkan.test.${randomUUID()}`;
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();

    const streams = ['citizen-promise-a', 'situation-report-b', 'safety-walk-c', 'talk-d'];
    const sent: SamverkanCloudEvent[] = [];
    let position = 0;
    for (let revision = 0; revision < 25; revision++) {
      const batch = streams.map((s) => toCloudEvent(recorded(s, revision, ++position), 'test'));
      await producer.send({
        topic,
        acks: -1,
        messages: batch.map((ce) => ({
          key: ce.subject,
          value: JSON.stringify(ce),
          headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
        })),
      });
      sent.push(...batch);
    }

    consumer = client.consumer({ groupId: `samverkan-test-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: SamverkanCloudEvent[] = [];
    // Kept and checked after the run: an expect() thrown inside the handler only makes kafkajs
    // retry the message, so the test would end in a timeout instead of showing the difference.
    const keys: { key: string | undefined; subject: string }[] = [];
    const seen = new Set<string>();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`got ${received.length} of ${sent.length}`)),
        30_000,
      );
      void consumer!.run({
        eachMessage: ({ message }) => {
          const ce = JSON.parse(message.value!.toString()) as SamverkanCloudEvent;
          keys.push({ key: message.key?.toString(), subject: ce.subject });
          if (!seen.has(ce.id)) {
            seen.add(ce.id);
            received.push(ce);
          }
          if (received.length === sent.length) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
    expect(keys.filter((k) => k.key !== k.subject)).toEqual([]);
    expect(new Set(received.map((e) => e.id))).toEqual(new Set(sent.map((e) => e.id)));
    for (const stream of streams) {
      const revisions = received.filter((e) => e.subject === stream).map((e) => e.streamrevision);
      expect(revisions).toEqual(Array.from({ length: 25 }, (_, i) => i));
    }
  });
});
