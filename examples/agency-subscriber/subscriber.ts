/**
 * An agency system's subscriber to the Samverkan feed: copy it and change `handle`.
 *
 * - Connects with the agency system's own Kafka user (SASL/SCRAM-SHA-512) and reads its
 *   agency's two topics; the broker refuses it any other topic.
 * - Delivery is at least once (the relay resends a batch it was not sure of): this de-duplicates
 *   by the CloudEvent id, keeping the ids it has handled in a file, so a restart does not
 *   handle an event twice either.
 * - Handles a batch, saves the ids, then commits the offsets: a crash in between means the
 *   batch comes again and its events are recognised.
 * - Prints each new event as one JSON line, or POSTs it to FORWARD_URL (the agency's own
 *   system), retrying until it is accepted.
 *
 * Environment:
 *   KAFKA_BROKERS        e.g. kafka.samverkan.example:9092
 *   KAFKA_USERNAME       the agency system's Kafka user, e.g. police-system (omit for a broker
 *   KAFKA_PASSWORD       without SASL, as in local development)
 *   SAMVERKAN_PARTNERSHIP_ID  e.g. hammaro
 *   AGENCY               e.g. police
 *   CONSUMER_GROUP       default <KAFKA_USERNAME or AGENCY>.subscriber (the broker allows the
 *                        groups named "<user>.<anything>")
 *   SEEN_FILE            default ./seen-ids.json
 *   KAFKA_SESSION_TIMEOUT_MS  default 30000: how long a dead subscriber holds its partitions
 *   FORWARD_URL          optional: POST each event there (application/cloudevents+json)
 *
 * Run: npx tsx examples/agency-subscriber/subscriber.ts
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Kafka, logLevel, type EachBatchPayload } from 'kafkajs';

interface CloudEvent {
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly streamrevision: number;
  readonly time: string;
  readonly data: unknown;
}

const env = (name: string, fallback?: string): string => {
  const value = process.env[name]?.trim() || fallback;
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/**
 * The ids handled lately, oldest first. Duplicates come from a resent batch (hundreds of
 * events) or a batch redelivered after a crash, so a window of recent ids is enough.
 */
class SeenIds {
  private readonly ids: Set<string>;

  constructor(
    private readonly file: string,
    private readonly capacity = 100_000,
  ) {
    this.ids = new Set(
      existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : [],
    );
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }

  /** Written whole and renamed into place: a crash leaves the old file or the new one. */
  save(): void {
    writeFileSync(`${this.file}.tmp`, JSON.stringify([...this.ids]));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

async function handle(event: CloudEvent, topic: string): Promise<void> {
  const url = process.env['FORWARD_URL'];
  if (!url) {
    process.stdout.write(`${JSON.stringify({ topic, ...event })}\n`);
    return;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
        body: JSON.stringify(event),
      });
      if (response.ok) return;
      throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      const wait = Math.min(30_000, 250 * 2 ** attempt);
      process.stderr.write(
        `forwarding ${event.id} failed (${String(error)}); again in ${wait} ms\n`,
      );
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

async function main(): Promise<void> {
  const partnership = env('SAMVERKAN_PARTNERSHIP_ID', 'hammaro');
  const agency = env('AGENCY');
  const username = process.env['KAFKA_USERNAME']?.trim();
  const password = process.env['KAFKA_PASSWORD'];
  const kafka = new Kafka({
    clientId: `${agency}-samverkan-subscriber`,
    brokers: env('KAFKA_BROKERS').split(','),
    logLevel: logLevel.WARN,
    ...(username && password
      ? { sasl: { mechanism: 'scram-sha-512' as const, username, password } }
      : {}),
  });
  const topics = [
    `samverkan.${partnership}.${agency}.events`,
    `samverkan.${partnership}.${agency}.restricted`,
  ];
  const seen = new SeenIds(env('SEEN_FILE', './seen-ids.json'));
  const consumer = kafka.consumer({
    groupId: env('CONSUMER_GROUP', `${username ?? agency}.subscriber`),
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  process.stderr.write(`subscribed to ${topics.join(', ')}\n`);

  await consumer.run({
    autoCommit: false,
    eachBatch: async (payload: EachBatchPayload) => {
      for (const message of payload.batch.messages) {
        const event = JSON.parse(message.value!.toString()) as CloudEvent;
        if (!seen.has(event.id)) {
          await handle(event, payload.batch.topic);
          seen.add(event.id);
        }
        payload.resolveOffset(message.offset);
        await payload.heartbeat();
      }
      seen.save();
      const last = payload.batch.lastOffset();
      await consumer.commitOffsets([
        {
          topic: payload.batch.topic,
          partition: payload.batch.partition,
          offset: String(BigInt(last) + 1n),
        },
      ]);
    },
  });

  const stop = () => {
    consumer.disconnect().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
