/**
 * An agency system's subscriber to the Samverkan feed: copy it and change `handle`.
 *
 * - Connects with the agency system's own Kafka user (SASL/SCRAM-SHA-512) and reads the
 *   partnership's shared topic and its agency's two topics; the broker refuses it any other.
 * - Delivery is at least once (the relay resends a batch it was not sure of): this de-duplicates
 *   by the CloudEvent id, keeping the ids it has handled in a file, so a restart does not
 *   handle an event twice either.
 * - Handles an event, notes its id, then lets its offset be committed: a crash in between means
 *   the event comes again and is recognised.
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
 *   SEEN_FILE            default ./seen-ids (one id per line)
 *   KAFKA_SESSION_TIMEOUT_MS  default 30000: how long a dead subscriber holds its partitions
 *   FORWARD_URL          optional: POST each event there (application/cloudevents+json)
 *
 * Run: npx tsx examples/agency-subscriber/subscriber.ts
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
 * The ids handled lately. Duplicates come from a resent batch (hundreds of events) or a batch
 * redelivered after a crash, so a window of recent ids is enough. Each id is appended to a
 * journal as soon as its event is handled (a crash right after handling forgets at most that
 * one: make the receiving system idempotent on the CloudEvent id too); the journal is compacted
 * to the window when it has grown to twice its size.
 */
class SeenIds {
  private readonly ids = new Set<string>();
  private lines = 0;

  constructor(
    private readonly file: string,
    private readonly capacity = 100_000,
  ) {
    if (existsSync(file)) {
      for (const id of readFileSync(file, 'utf8').split('\n')) if (id) this.remember(id);
      this.compact();
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.remember(id);
    appendFileSync(this.file, `${id}\n`);
    if (++this.lines > 2 * this.capacity) this.compact();
  }

  private remember(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }

  /** Written whole and renamed into place: a crash leaves the old file or the new one. */
  private compact(): void {
    writeFileSync(`${this.file}.tmp`, [...this.ids].map((id) => `${id}\n`).join(''));
    renameSync(`${this.file}.tmp`, this.file);
    this.lines = this.ids.size;
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
    `samverkan.${partnership}.shared`,
    `samverkan.${partnership}.${agency}.events`,
    `samverkan.${partnership}.${agency}.restricted`,
  ];
  const seen = new SeenIds(env('SEEN_FILE', './seen-ids'));
  const consumer = kafka.consumer({
    groupId: env('CONSUMER_GROUP', `${username ?? agency}.subscriber`),
    // How soon the group hands a dead subscriber's partitions to a new one.
    sessionTimeout: Number(env('KAFKA_SESSION_TIMEOUT_MS', '30000')),
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  process.stderr.write(`subscribed to ${topics.join(', ')}\n`);

  await consumer.run({
    // Offsets resolved in a batch are committed at its end (and not before an event is handled).
    autoCommitThreshold: 1,
    // Only what was handled is resolved, never the whole batch on its own.
    eachBatchAutoResolve: false,
    eachBatch: async (payload: EachBatchPayload) => {
      for (const message of payload.batch.messages) {
        // After a rebalance these partitions may be another subscriber's: stop here, the
        // offsets resolved so far are committed below and the rest is theirs.
        if (!payload.isRunning() || payload.isStale()) break;
        const event = JSON.parse(message.value!.toString()) as CloudEvent;
        if (!seen.has(event.id)) {
          await handle(event, payload.batch.topic);
          seen.add(event.id);
        }
        payload.resolveOffset(message.offset);
        await payload.heartbeat();
      }
      await payload.commitOffsetsIfNecessary();
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
