import { Logger } from '@nestjs/common';
import type { Migration } from '@samverkan/event-store/sql/event-store-migrations';
import { migrate } from '@samverkan/event-store/sql/migration-runner';
import { sqlState, type SqlClient } from '@samverkan/event-store/sql/sql-client';
import type {
  EventStore,
  EventSubscription,
  RecordedEvent,
} from '@samverkan/event-store/event-store.port';
import { AGENCIES } from '@samverkan/domain/agencies/agencies';
import { Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { jsonLogTakes } from '@samverkan/shared/logging/json-logger';
import { DEFAULT_API_URL, toCloudEvent } from '../cloud-event';
import {
  agencyTopic,
  audienceAfter,
  sharedTopic,
  topicsFor,
  type StreamAudience,
} from './feed-audience';
import { InProcessRelayLease, relayLeaseKey, type RelayLease } from './relay-lease';

export const RELAY_SCHEMA = 'relay';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'relay checkpoint and stream audiences',
    sql: `
create table relay.checkpoints (
  name text primary key,
  -- Every event at or below it has been acknowledged by Kafka.
  position bigint not null default 0,
  updated_at timestamptz not null default now()
);
-- Who a stream's events go to, as its earlier events stated (see feed-audience.ts).
create table relay.stream_audiences (
  stream_id text primary key,
  audience jsonb
);
`,
  },
];

export interface RelayOptions {
  /** The partnership whose log this is: part of every topic name and the CloudEvent source. */
  readonly partnershipId: string;
  /**
   * Where agency systems reach the API, which serves the personal fields the messages withhold
   * (the CloudEvents `dataref`). Default http://localhost:3000.
   */
  readonly apiUrl?: string;
  readonly batchSize?: number;
  readonly partitions?: number;
  readonly replicationFactor?: number;
  /** Kafka retention of the agencies' topics; restricted data is kept shorter. */
  readonly retentionMs?: { readonly events: number; readonly restricted: number };
  /** Which of several relays publishes (default: in-process, for the embedded store). */
  readonly lease?: RelayLease;
  /** How often a standby relay tries to take the lease. */
  readonly leaseRetryMs?: number;
  /**
   * How often the publishing relay asks whether its lease session is still there (default 2 s):
   * a half-open connection says nothing until asked. Between two asks it may publish after
   * losing the lease; the checkpoint's compare-and-set keeps that from moving it back.
   */
  readonly leaseCheckMs?: number;
}

export interface RelayStatus {
  readonly position: number;
  readonly headPosition: number;
  readonly lag: number;
  /** `standby`: another relay holds the lease and publishes; this one takes over if it goes. */
  readonly state:
    | 'starting'
    | 'running'
    | 'standby'
    | 'broker-unreachable'
    | 'store-unreachable'
    /** Something else went wrong (a bug, an event that cannot be published): see lastError. */
    | 'failing'
    | 'stopped';
  /** While Kafka or the database cannot be reached: since when, and what it said. */
  readonly outageSince: string | null;
  readonly lastError: string | null;
  readonly published: number;
  /** Outages (Kafka or the database unreachable, or publishing failing) since this relay started. */
  readonly outages: number;
}

const DAY_MS = 86_400_000;

/** A PostgreSQL error (it has an SQLSTATE) or a broken connection to the database. */
function isDatabaseError(error: unknown): boolean {
  const { code } = sqlState(error);
  if (code && /^[0-9A-Z]{5}$/.test(code)) return true;
  if (code && /^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, ETIMEDOUT...
  const message = error instanceof Error ? error.message : '';
  return /connection|terminat|database|timeout/i.test(message);
}

/**
 * Publishes the log to Kafka, at least once: reads a batch after its checkpoint, sends each
 * event as a CloudEvent keyed by its stream, personal fields withheld (the claim check: the
 * API serves them to those who may read them), to the topics of the agencies that may receive it
 * (idempotent producer, acks from all in-sync replicas), and only once Kafka has acknowledged
 * the batch moves the checkpoint (with the streams' audiences) in one transaction. A crash in
 * between resends the batch: consumers de-duplicate by the CloudEvent id.
 */
export class Relay {
  private readonly logger = new Logger('Relay');
  private readonly name: string;
  private producer: Producer | undefined;
  private subscription: EventSubscription | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private position = 0;
  private state: RelayStatus['state'] = 'starting';
  private outageSince: Date | null = null;
  private lastError: string | null = null;
  private published = 0;
  private outages = 0;
  private readonly audiences = new Map<string, StreamAudience>();
  private readonly lease: RelayLease;
  private prefetched: { after: number; batch: Promise<RecordedEvent[]> } | undefined;
  private leaseCheckedAt = 0;
  private topicsReady = false;
  private readonly apiUrl: string;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly kafka: Kafka,
    private readonly options: RelayOptions,
  ) {
    if (!/^[a-z0-9-]+$/.test(options.partnershipId)) {
      throw new Error('The partnership id must be lowercase letters, digits and dashes');
    }
    this.name = `relay:${options.partnershipId}`;
    this.apiUrl = options.apiUrl ?? DEFAULT_API_URL;
    this.lease = options.lease ?? new InProcessRelayLease(relayLeaseKey(options.partnershipId));
  }

  /** All topics this relay writes: the shared one, and two per agency (events, restricted). */
  topics(): string[] {
    return [
      sharedTopic(this.options.partnershipId),
      ...AGENCIES.flatMap((agency) => [
        agencyTopic(this.options.partnershipId, agency, false),
        agencyTopic(this.options.partnershipId, agency, true),
      ]),
    ];
  }

  async start(): Promise<void> {
    await migrate(this.sql, RELAY_SCHEMA, migrations);
    await this.sql.query(
      `insert into relay.checkpoints (name) values ($1) on conflict (name) do nothing`,
      [this.name],
    );
    await this.readCheckpoint();
    // Kafka unreachable at start (down, or a certificate this relay does not trust) is an
    // outage like any later one, not a reason to stop the process: each pass tries again.
    await this.ensureTopics().catch((error: unknown) => this.outage(error));
    this.subscription = this.store.subscribe({ after: 'end', personalData: 'sealed' });
    const subscription = this.subscription;
    void (async () => {
      try {
        for await (const _event of subscription) this.wake?.();
      } catch {
        // Closed with the relay or the store; the loop polls meanwhile.
      }
    })();
    this.loop = this.run().catch((error: unknown) => {
      // run() handles every failure; this is the last guard so a bug cannot crash the API.
      this.logger.error(`The relay stopped: ${String(error)}`);
      this.state = 'stopped';
    });
  }

  private async readCheckpoint(): Promise<void> {
    this.position = await this.storedCheckpoint();
  }

  /** The checkpoint as the table has it (the publishing relay's, whichever that is). */
  private async storedCheckpoint(): Promise<number> {
    const [row] = await this.sql.query<{ position: string | number }>(
      `select position from relay.checkpoints where name = $1`,
      [this.name],
    );
    return Number(row?.position ?? 0);
  }

  /**
   * True when this relay holds the lease: taking it if free (then from the checkpoint the last
   * leader left), or checking now and then that the session holding it is still there.
   */
  private async lead(): Promise<boolean> {
    if (this.lease.held) {
      if (Date.now() - this.leaseCheckedAt < (this.options.leaseCheckMs ?? 2000)) return true;
      this.leaseCheckedAt = Date.now();
      if (await this.lease.stillHeld()) return true;
      this.logger.warn('The lease session is gone: no longer publishing');
    }
    if (!(await this.lease.tryAcquire())) {
      if (this.state !== 'standby') this.logger.log('Another relay publishes; standing by');
      // A standby has no outage of its own to show: the publishing relay reports its own.
      this.state = 'standby';
      this.outageSince = null;
      this.lastError = null;
      return false;
    }
    try {
      // The last leader moved the checkpoint and the audiences: start from what it left.
      this.audiences.clear();
      this.prefetched = undefined;
      await this.readCheckpoint();
    } catch (error) {
      // Not leading without knowing where from: let go, and try again later.
      await this.lease.release();
      throw error;
    }
    this.leaseCheckedAt = Date.now();
    this.state = 'running';
    this.logger.log(`Publishing from position ${this.position} to ${this.topics().length} topics`);
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    try {
      await this.subscription?.close();
      await this.loop;
      await this.producer?.disconnect();
    } finally {
      await this.lease.release();
      this.state = 'stopped';
    }
  }

  async status(): Promise<RelayStatus> {
    const headPosition = (await this.store.status()).headPosition;
    // A standby shows the checkpoint the publishing relay keeps; if it cannot be read, the
    // status fails (health answers 503) rather than show a position this relay does not know.
    const position = this.state === 'standby' ? await this.storedCheckpoint() : this.position;
    return {
      position,
      headPosition,
      lag: Math.max(0, headPosition - position),
      state: this.state,
      outageSince: this.outageSince?.toISOString() ?? null,
      lastError: this.lastError,
      published: this.published,
      outages: this.outages,
    };
  }

  private async ensureTopics(): Promise<void> {
    if (this.topicsReady) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const retention = this.options.retentionMs ?? { events: 30 * DAY_MS, restricted: 7 * DAY_MS };
      // Only the missing ones: asking for existing topics is answered with errors (and logged).
      const existing = new Set(await admin.listTopics());
      const missing = this.topics().filter((topic) => !existing.has(topic));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: this.options.partitions ?? 3,
            replicationFactor: this.options.replicationFactor ?? 1,
            configEntries: [
              {
                name: 'retention.ms',
                value: String(
                  topic.endsWith('.restricted') ? retention.restricted : retention.events,
                ),
              },
            ],
          })),
        });
      }
      this.topicsReady = true;
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Publishes until stopped. Nothing here may end the loop: Kafka down is an outage (hold the
   * checkpoint, retry), the database down is an outage too (the same), and both heal.
   */
  private async run(): Promise<void> {
    let backoffMs = 100;
    while (!this.stopped) {
      let outcome: 'published' | 'idle' | 'standby' | 'lost-lease' | 'kafka-down' | 'store-down';
      try {
        outcome = await this.pass();
      } catch (error) {
        outcome = 'store-down';
        this.failure(error);
      }
      switch (outcome) {
        case 'published':
        case 'lost-lease':
          backoffMs = 100;
          continue;
        case 'idle':
          backoffMs = 100;
          await this.idle(1000);
          continue;
        case 'standby':
          await this.idle(this.options.leaseRetryMs ?? 2000);
          continue;
        case 'kafka-down':
        case 'store-down':
          await this.idle(backoffMs);
          backoffMs = Math.min(backoffMs * 2, 5000);
          continue;
      }
    }
  }

  /** One batch: read after the checkpoint, send, then move the checkpoint. */
  private async pass(): Promise<'published' | 'idle' | 'standby' | 'lost-lease' | 'kafka-down'> {
    if (!(await this.lead())) return 'standby';
    try {
      // Until the topics are there the relay has not reached Kafka, even with nothing to send.
      await this.ensureTopics();
    } catch (error) {
      this.outage(error);
      return 'kafka-down';
    }
    const batchSize = this.options.batchSize ?? 500;
    const prefetched = this.prefetched?.after === this.position ? this.prefetched.batch : undefined;
    this.prefetched = undefined;
    const batch = (await prefetched) ?? (await this.readBatch(this.position, batchSize));
    if (batch.length === 0) {
      this.recovered();
      return 'idle';
    }
    if (batch.length === batchSize) {
      // A backlog: read the next batch while this one goes to Kafka. Used only if this one
      // moves the checkpoint to where the next one starts.
      const after = batch[batch.length - 1]!.globalPosition;
      const next = this.readBatch(after, batchSize);
      next.catch(() => undefined);
      this.prefetched = { after, batch: next };
    }
    const audiences = await this.audiencesOf(batch);
    // What the table holds now, to write back only the audiences that change (most streams'
    // never do: a promise is public from its first event to its last).
    const stored = new Map([...audiences].map(([streamId, a]) => [streamId, JSON.stringify(a)]));
    const byTopic = new Map<string, Message[]>();
    for (const event of batch) {
      const audience = audienceAfter(audiences.get(event.streamId), event);
      audiences.set(event.streamId, audience);
      // Read sealed, and withheld by the claim check: no personal text, nor its ciphertext.
      const value = JSON.stringify(
        toCloudEvent(event, this.options.partnershipId, { apiUrl: this.apiUrl }),
      );
      for (const topic of topicsFor(this.options.partnershipId, audience)) {
        const list = byTopic.get(topic) ?? [];
        list.push({
          key: event.streamId,
          value,
          headers: {
            'content-type': 'application/cloudevents+json; charset=utf-8',
            // The value (structured mode) stays the whole event; the header repeats its
            // correlation id so a consumer's log, or kcat, can follow a request into the
            // feed without parsing each message.
            ce_correlationid: event.correlationId,
          },
        });
        byTopic.set(topic, list);
      }
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({
      topic,
      messages,
    }));
    try {
      if (topicMessages.length > 0) {
        const producer = await this.connectedProducer();
        await producer.sendBatch({ topicMessages, acks: -1 });
      }
    } catch (error) {
      this.outage(error);
      // An idempotent producer that failed may be stuck on its sequence numbers: start over
      // with a new one. The batch goes again (at least once; consumers de-duplicate by id).
      const broken = this.producer;
      this.producer = undefined;
      await broken?.disconnect().catch(() => undefined);
      return 'kafka-down';
    }
    const last = batch[batch.length - 1]!.globalPosition;
    const touched = [...new Set(batch.map((e) => e.streamId))];
    const changed = touched.filter(
      (streamId) => stored.get(streamId) !== JSON.stringify(audiences.get(streamId) ?? null),
    );
    const moved = await this.sql.transaction(async (tx) => {
      // Without waiting for the WAL flush: a checkpoint lost in a database crash only makes the
      // relay send those batches again (at least once), never skip one.
      await tx.query(`set local synchronous_commit = off`);
      // Compare-and-set: a relay that lost its lease (and the batch was sent by both) must
      // not move the checkpoint back or write audiences over the new leader's.
      const rows = await tx.query(
        `update relay.checkpoints set position = $2, updated_at = now()
          where name = $1 and position = $3 returning position`,
        [this.name, last, this.position],
      );
      if (rows.length === 0) return false;
      if (changed.length > 0) {
        await tx.query(
          `insert into relay.stream_audiences (stream_id, audience)
           select * from unnest($1::text[], $2::jsonb[])
           on conflict (stream_id) do update set audience = excluded.audience`,
          [changed, changed.map((s) => JSON.stringify(audiences.get(s) ?? null))],
        );
      }
      return true;
    });
    if (!moved) {
      this.logger.warn('Another relay moved the checkpoint: this one lost its lease');
      this.prefetched = undefined;
      await this.lease.release();
      this.state = 'standby';
      return 'lost-lease';
    }
    for (const event of jsonLogTakes('debug') ? batch : []) {
      // One line per event at debug level, with the request's correlation id: where a write
      // went can be followed from the API's log to Kafka. Never the stream id or the data.
      this.logger.debug({
        message: `Published ${event.type} at position ${event.globalPosition}`,
        eventId: event.eventId,
        position: event.globalPosition,
        correlationId: event.correlationId,
      });
    }
    if (this.audiences.size > 100_000) this.audiences.clear(); // the table has them all
    for (const s of touched) this.audiences.set(s, audiences.get(s) ?? null);
    this.position = last;
    this.published += batch.length;
    this.recovered();
    return 'published';
  }

  /** Kafka and the database answered: whatever outage there was is over. */
  private recovered(): void {
    if (this.outageSince && this.state !== 'running') {
      const what =
        this.state === 'store-unreachable'
          ? 'The database is reachable again'
          : this.state === 'broker-unreachable'
            ? 'Kafka is reachable again'
            : 'Publishing again';
      this.logger.log(`${what} after ${Date.now() - this.outageSince.getTime()} ms`);
    }
    this.state = 'running';
    this.outageSince = null;
  }

  /** A failure outside Kafka: the database, or (not to be mistaken for it) anything else. */
  private failure(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const state = isDatabaseError(error) ? 'store-unreachable' : 'failing';
    if (this.state !== state) {
      this.outageSince = new Date();
      this.outages++;
      const what = state === 'store-unreachable' ? 'The database failed' : 'Publishing failed';
      this.logger.warn(`${what}, holding at position ${this.position}: ${message}`);
    }
    this.state = state;
    this.lastError = message;
  }

  private async readBatch(after: number, maxCount: number): Promise<RecordedEvent[]> {
    const batch: RecordedEvent[] = [];
    for await (const e of this.store.readAll({ after, maxCount, personalData: 'sealed' })) {
      batch.push(e);
    }
    return batch;
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    // The Java client's partitioner (murmur2 of the key): a stream maps to the same partition
    // whichever client language an agency uses to reason about it.
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  /** The audiences of the batch's streams before it: from memory, else from the table. */
  private async audiencesOf(batch: readonly RecordedEvent[]): Promise<Map<string, StreamAudience>> {
    const out = new Map<string, StreamAudience>();
    const missing: string[] = [];
    for (const streamId of new Set(batch.map((e) => e.streamId))) {
      if (this.audiences.has(streamId)) out.set(streamId, this.audiences.get(streamId)!);
      else missing.push(streamId);
    }
    if (missing.length > 0) {
      const rows = await this.sql.query<{ stream_id: string; audience: StreamAudience }>(
        `select stream_id, audience from relay.stream_audiences where stream_id = any($1::text[])`,
        [missing],
      );
      for (const row of rows) out.set(row.stream_id, row.audience);
    }
    return out;
  }

  private outage(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.state !== 'broker-unreachable') {
      this.outageSince = new Date();
      this.outages++;
      this.logger.warn(`Kafka unreachable, holding at position ${this.position}: ${message}`);
    }
    this.state = 'broker-unreachable';
    this.lastError = message;
  }

  private idle(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
