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
 * - Personal fields never travel on the feed: each is null in `data`, `withheld` lists where,
 *   and `dataref` is the API route that serves them to an agency that may receive the event.
 *   With SAMVERKAN_API_KEY it fetches them and keeps them in CONTENT_DIR, one file per event
 *   id (never on stdout, never forwarded: the agency's system reads them from there).
 * - Acts on PersonalDataErased: the records' fields it kept are blanked to `[raderad]` at once;
 *   for a data subject's erasure (which names no one, so no events either) it fetches again
 *   what it kept from prevention talks, and the API answers `[raderad]` where it was erased.
 *
 * Environment:
 *   KAFKA_BROKERS        e.g. kafka.samverkan.example:9092
 *   KAFKA_USERNAME       the agency system's Kafka user, e.g. police-system (omit for a broker
 *   KAFKA_PASSWORD       without SASL, as in local development)
 *   KAFKA_SSL            on: TLS to the brokers (SASL_SSL), the certificate always verified
 *   KAFKA_SSL_CA_FILE    the CA (PEM) that signed the brokers' certificates, when it is the
 *                        partnership's own; without it the system's trusted CAs
 *   SAMVERKAN_PARTNERSHIP_ID  e.g. hammaro
 *   AGENCY               e.g. police
 *   CONSUMER_GROUP       default <KAFKA_USERNAME or AGENCY>.subscriber (the broker allows the
 *                        groups named "<user>.<anything>")
 *   SEEN_FILE            default ./seen-ids (one id per line)
 *   KAFKA_SESSION_TIMEOUT_MS  default 30000: how long a dead subscriber holds its partitions
 *   FORWARD_URL          optional: POST each event there (application/cloudevents+json)
 *   SAMVERKAN_API_KEY    optional: the agency system's API key, to fetch withheld fields
 *   CONTENT_DIR          default ./personal-data: the fetched fields, <event id>.json each
 *   READ_PURPOSE         default "Agency records from the Samverkan feed": the purpose the
 *                        read-access log records for restricted events (3 to 200 characters)
 *
 * Run: npx tsx examples/agency-subscriber/subscriber.ts
 */
import type { ConnectionOptions } from 'node:tls';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type EachBatchPayload } from 'kafkajs';

interface CloudEvent {
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly streamrevision: number;
  readonly time: string;
  /** Where the API serves the withheld personal fields; only when something was withheld. */
  readonly dataref?: string;
  /** The paths in `data` that are null because their content was withheld. */
  readonly withheld?: readonly string[];
  readonly data: unknown;
}

/** `se.samverkan.PersonalDataErased.v1`'s data. */
interface PersonalDataErased {
  readonly erasureId: string;
  readonly scope: 'records' | 'data-subject';
  readonly eventIds: readonly string[];
}

/** What the claim-check route answers, and what is kept per event. */
interface PersonalData {
  readonly eventId: string;
  readonly streamId: string;
  readonly fields: Record<string, string>;
}

const ERASED = '[raderad]';
/** Only a talk's events are bound to a data subject's key: the ones a subject's erasure reaches. */
const SUBJECT_STREAM_PREFIX = 'prevention-talk-';

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

/**
 * TLS as the platform's own clients speak it: only with KAFKA_SSL=on, trusting only the named CA
 * when there is one, and never without checking the broker's certificate and name.
 */
function tlsOptions(): ConnectionOptions | undefined {
  const ssl = process.env['KAFKA_SSL']?.trim() || 'off';
  const caFile = process.env['KAFKA_SSL_CA_FILE']?.trim();
  if (ssl !== 'on' && ssl !== 'off') throw new Error('KAFKA_SSL must be on or off');
  if (ssl === 'off') {
    if (caFile) throw new Error('KAFKA_SSL_CA_FILE is set but KAFKA_SSL is not on');
    return undefined;
  }
  return { rejectUnauthorized: true, ...(caFile ? { ca: [readFileSync(caFile, 'utf8')] } : {}) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The personal fields fetched from the API, one file per event id, written whole and renamed
 * into place. Replace it with your system's own records; what matters is that they are kept by
 * event id, so an erasure can find them.
 */
class PersonalDataStore {
  constructor(
    private readonly dir: string,
    private readonly apiKey: string,
    private readonly purpose: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Fetches and keeps the event's withheld fields; keeps nothing if the API refuses (404). */
  async fetch(eventId: string, dataref: string): Promise<void> {
    const fetched = await this.get(dataref);
    if (fetched) this.write({ ...fetched, dataref });
    else this.remove(eventId);
  }

  /** Records erased: their text is gone at the source, so here too, without asking anyone. */
  blank(eventIds: readonly string[]): void {
    for (const id of eventIds) {
      const kept = this.read(id);
      if (!kept) continue;
      const fields = Object.fromEntries(Object.keys(kept.fields).map((path) => [path, ERASED]));
      this.write({ ...kept, fields });
    }
  }

  /**
   * A data subject erased: the message cannot say which events were about them (that would name
   * them), so every talk's fields kept here are fetched again; the API answers `[raderad]`
   * where the subject's key was destroyed.
   */
  async refreshSubjectData(heartbeat: () => Promise<void>): Promise<void> {
    for (const file of readdirSync(this.dir).filter((f) => f.endsWith('.json'))) {
      // Many requests, one message: tell the group this subscriber is alive meanwhile.
      await heartbeat();
      const kept = this.read(file.slice(0, -'.json'.length));
      if (kept?.streamId.startsWith(SUBJECT_STREAM_PREFIX)) {
        await this.fetch(kept.eventId, kept.dataref);
      }
    }
  }

  private async get(dataref: string): Promise<PersonalData | undefined> {
    const url = new URL(dataref);
    url.searchParams.set('purpose', this.purpose);
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(url, { headers: { authorization: `ApiKey ${this.apiKey}` } });
        if (response.ok) return (await response.json()) as PersonalData;
        // No such event for this agency (any more): one answer for both, by design.
        if (response.status === 404) return undefined;
        const retryAfter = Number(response.headers.get('retry-after'));
        if (response.status === 429 && retryAfter > 0) {
          await sleep(retryAfter * 1000);
          continue;
        }
        throw new Error(`HTTP ${response.status}`);
      } catch (error) {
        const wait = Math.min(30_000, 250 * 2 ** attempt);
        process.stderr.write(
          `fetching ${dataref} failed (${String(error)}); again in ${wait} ms\n`,
        );
        await sleep(wait);
      }
    }
  }

  private file(eventId: string): string {
    // Event ids are UUIDs; anything else never becomes a path.
    if (!/^[0-9a-f-]{36}$/i.test(eventId)) throw new Error(`not an event id: ${eventId}`);
    return join(this.dir, `${eventId}.json`);
  }

  private read(eventId: string): (PersonalData & { dataref: string }) | undefined {
    const file = this.file(eventId);
    return existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as PersonalData & { dataref: string })
      : undefined;
  }

  private write(kept: PersonalData & { dataref: string }): void {
    const file = this.file(kept.eventId);
    writeFileSync(`${file}.tmp`, JSON.stringify(kept));
    renameSync(`${file}.tmp`, file);
  }

  private remove(eventId: string): void {
    rmSync(this.file(eventId), { force: true });
  }
}

/** Keeps the withheld fields, and erases them when told: before the event is handed on. */
async function keepPersonalData(
  event: CloudEvent,
  store: PersonalDataStore,
  heartbeat: () => Promise<void>,
): Promise<void> {
  if (/^se\.samverkan\.PersonalDataErased\.v\d+$/.test(event.type)) {
    const erased = event.data as PersonalDataErased;
    if (erased.scope === 'records') store.blank(erased.eventIds);
    else await store.refreshSubjectData(heartbeat);
  }
  if (event.dataref && event.withheld?.length) await store.fetch(event.id, event.dataref);
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
  const ssl = tlsOptions();
  const kafka = new Kafka({
    clientId: `${agency}-samverkan-subscriber`,
    brokers: env('KAFKA_BROKERS').split(','),
    logLevel: logLevel.WARN,
    ...(ssl ? { ssl } : {}),
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
  const apiKey = process.env['SAMVERKAN_API_KEY']?.trim();
  const personalData = apiKey
    ? new PersonalDataStore(
        env('CONTENT_DIR', './personal-data'),
        apiKey,
        env('READ_PURPOSE', 'Agency records from the Samverkan feed'),
      )
    : undefined;
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
          if (personalData) {
            await keepPersonalData(event, personalData, () => payload.heartbeat());
          }
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
