import { randomBytes, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel, Partitioners, type Consumer } from 'kafkajs';
import { Client } from 'pg';
import { createEventStore } from '../libs/event-store/src/event-store.config';
import { MasterKeyRing, newMasterKeyEntry } from '../libs/event-store/src/protection/master-keys';
import type {
  Actor,
  EventStore,
  NewEvent,
  RecordedEvent,
} from '../libs/event-store/src/event-store.port';
import type { SqlEventStore } from '../libs/event-store/src/sql/sql-event-store';
import { toCloudEvent } from '../libs/integration/src/cloud-event';
import { agencyTopic, topicsFor } from '../libs/integration/src/relay/feed-audience';
import { Relay } from '../libs/integration/src/relay/relay';
import {
  benchDatabaseUrl,
  formatRate,
  medianAndSpread,
  percentile,
  type Sink,
} from './bench-support';

/**
 * The Kafka relay, end to end: appends to the PostgreSQL store at a steady rate (open loop: the
 * next append is due on the clock, whether the last one has returned or not) while the relay
 * publishes and a consumer reads the police's topic; latency is from the start of the append
 * call to the consumer receiving the message. Then the relay's maximum sustained rate: a
 * backlog published from its checkpoint, beside a raw kafkajs producer sending the same
 * CloudEvents to the same topics (same acks, idempotence and batch size), in alternating rounds
 * of the same run.
 */
const actor: Actor = { userId: 'officer.1', agency: 'police', role: 'officer' };
const STREAMS = 200;
const SECONDS_PER_RATE = Number(process.env['BENCH_RELAY_SECONDS'] ?? 10);
/** Events appended as a backlog in each round of the sustained-rate measure. */
const BACKLOG = Number(process.env['BENCH_RELAY_BACKLOG'] ?? 20_000);
const ROUNDS = Number(process.env['BENCH_RELAY_ROUNDS'] ?? 4);
const BATCH = Number(process.env['BENCH_RELAY_BATCH'] ?? 500);

function activity(n: number): NewEvent {
  return {
    type: 'CommitmentActivityRecorded',
    data: {
      activityId: `a-${n}`,
      commitmentId: 'traffic',
      kind: 'traffic-control',
      date: '2024-05-02',
      place: 'Skoghall centrum',
      agenciesPresent: ['police'],
      outcome: 'Hastighetskontroll på Hammarövägen, 120 fordon, 4 rapporter',
      figures: { vehiclesChecked: 120, reports: 4 },
    },
  };
}

const PER_AGENCY = process.env['BENCH_RELAY_AUDIENCE'] === 'partners';
/** Streams whose events go to the shared topic (promises), or one per partner (open reports). */
const STREAM_PREFIX = PER_AGENCY ? 'situation-report-' : 'citizen-promise-';

function benchEvent(n: number): NewEvent {
  if (!PER_AGENCY) return activity(n);
  return {
    type: 'SituationReported',
    data: {
      reportId: `r-${n}`,
      reportingAgency: 'police',
      area: 'Skoghall centrum',
      problemArea: 'vandalism-burglary',
      period: { from: '2024-05-01', to: '2024-05-31' },
      trend: 'rising',
      severity: 'medium',
      description: 'Skadegörelse vid busshållplatserna kvällstid, främst fredagar',
      source: 'incident-reports',
      sensitivity: 'open',
      sharedWith: [],
    },
  };
}

function brokers(): string[] {
  const list = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').filter(Boolean);
  return list;
}

/** A consumer of the police's topic that notes when each CloudEvent id arrives. */
async function startTimingConsumer(
  kafka: Kafka,
  topic: string,
  arrived: Map<string, number>,
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const joined = new Promise<void>((resolve) =>
    consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
  );
  void consumer.run({
    eachBatch: ({ batch }) => {
      const now = performance.now();
      for (const message of batch.messages) {
        const { id } = JSON.parse(message.value!.toString()) as { id: string };
        if (!arrived.has(id)) arrived.set(id, now);
      }
      return Promise.resolve();
    },
  });
  await joined;
  return consumer;
}

async function steadyRate(
  store: EventStore,
  perSecond: number,
  seconds: number,
  runId: string,
  arrived: Map<string, number>,
): Promise<{ p50: number; p99: number; max: number; appended: number; appendP99: number }> {
  const sentAt = new Map<string, number>();
  const appendMs: number[] = [];
  const total = perSecond * seconds;
  const tickMs = 10;
  const perTick = (perSecond * tickMs) / 1000;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let n = 0;
  while (n < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / tickMs + 1) * perTick));
    for (; n < due; n++) {
      const eventId = randomUUID();
      const i = n;
      const t0 = performance.now();
      sentAt.set(eventId, t0);
      pending.push(
        store
          .append(`${STREAM_PREFIX}${runId}-${i % STREAMS}`, [{ ...benchEvent(i), eventId }], {
            expectedRevision: 'any',
            actor,
          })
          .then(() => {
            appendMs.push(performance.now() - t0);
          }),
      );
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(pending);
  const deadline = performance.now() + 60_000;
  while ([...sentAt.keys()].some((id) => !arrived.has(id)) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const latencies = [...sentAt].map(([id, t0]) => (arrived.get(id) ?? Infinity) - t0);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    appended: total,
    appendP99: percentile(appendMs, 99),
  };
}

async function appendBacklog(store: EventStore, count: number, runId: string): Promise<void> {
  const per = 20;
  for (let done = 0; done < count;) {
    const appends: Promise<unknown>[] = [];
    for (let w = 0; w < 8 && done < count; w++, done += per) {
      appends.push(
        store.append(
          `${STREAM_PREFIX}${runId}-b${(done / per) % STREAMS}`,
          Array.from({ length: per }, (_, i) => benchEvent(done + i)),
          { expectedRevision: 'any', actor },
        ),
      );
    }
    await Promise.all(appends);
  }
}

/** Seconds for a fresh relay to publish the given events from its checkpoint, connecting included. */
async function relaySeconds(
  store: EventStore,
  kafka: Kafka,
  partnershipId: string,
  events: readonly RecordedEvent[],
): Promise<number> {
  const t0 = performance.now();
  const relay = new Relay(store, (store as SqlEventStore).sqlClient, kafka, {
    partnershipId,
    batchSize: BATCH,
  });
  await relay.start();
  const head = events[events.length - 1]!.globalPosition;
  while ((await relay.status()).position < head) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t0) / 1000;
  await relay.stop();
  return seconds;
}

/**
 * Seconds for a raw kafkajs producer (the relay's settings: acks=all, idempotent, one request
 * in flight) to send the same CloudEvents to the same topics, connecting included.
 */
async function rawProducerSeconds(
  kafka: Kafka,
  topics: readonly string[],
  partnershipId: string,
  events: readonly RecordedEvent[],
): Promise<number> {
  const t0 = performance.now();
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  for (let i = 0; i < events.length; i += BATCH) {
    const messages = events.slice(i, i + BATCH).map((e) => ({
      key: e.streamId,
      value: JSON.stringify(toCloudEvent(e, partnershipId)),
      headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
    }));
    await producer.sendBatch({
      topicMessages: topics.map((topic) => ({ topic, messages })),
      acks: -1,
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  await producer.disconnect();
  return seconds;
}

export async function relayBench(out: Sink): Promise<void> {
  Logger.overrideLogger(['error']);
  const url = await benchDatabaseUrl('samverkan_bench_relay');
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query('drop schema if exists event_store cascade');
  await admin.query('drop schema if exists relay cascade');
  // Its data keys are wrapped under the master key of the run before.
  await admin.query('drop schema if exists protection cascade');
  await admin.end();
  // A master key of its own, as the append benchmark has: the bench needs no configuration.
  const store = await createEventStore(
    { adapter: 'postgres', connectionString: url, poolSize: 16 },
    undefined,
    MasterKeyRing.parse(newMasterKeyEntry('bench')),
  );
  await store.start();
  const kafka = new Kafka({
    clientId: 'bench-relay',
    brokers: brokers(),
    logLevel: logLevel.NOTHING,
  });
  const probe = kafka.admin();
  try {
    await probe.connect();
    await probe.disconnect();
  } catch (error) {
    throw new Error(
      `No Kafka broker at ${brokers().join(',')} (${String(error)}): run scripts/kafka-local.sh start, or set KAFKA_BROKERS`,
    );
  }

  const partnershipId = `bench${randomBytes(3).toString('hex')}`;
  // Activities under a promise: public, so on the shared topic that every agency system reads.
  // BENCH_RELAY_AUDIENCE=partners uses open situation reports instead (one message per partner).
  const perAgency = PER_AGENCY;
  const topics = perAgency
    ? topicsFor(partnershipId, {
        kind: 'situation-report',
        reportingAgency: 'police',
        sensitivity: 'open',
        sharedWith: [],
      })
    : topicsFor(partnershipId, { kind: 'citizen-promise' });
  const policeTopic = perAgency ? agencyTopic(partnershipId, 'police', false) : topics[0]!;
  out.line(
    `broker ${brokers().join(',')}; each event goes to ${topics.length} topic(s) (${topics.map((t) => t.split('.').slice(2).join('.')).join(', ')}); latency from the start of the append call to the police system's consumer receiving it`,
  );
  const relay = new Relay(store, (store as SqlEventStore).sqlClient, kafka, {
    partnershipId,
    batchSize: BATCH,
  });
  await relay.start();
  const arrived = new Map<string, number>();
  const consumer = await startTimingConsumer(kafka, policeTopic, arrived);

  // Warm-up: connections, metadata, JIT.
  await steadyRate(store, 200, 2, `${partnershipId}-w`, arrived);
  out.line('');
  out.line('appends/s   events   p50 ms   p99 ms   max ms   (append p99 ms)');
  const results: Record<number, { p99: number }> = {};
  for (const rate of [200, 2000]) {
    const r = await steadyRate(store, rate, SECONDS_PER_RATE, `${partnershipId}-r${rate}`, arrived);
    results[rate] = r;
    out.line(
      `${String(rate).padStart(9)} ${String(r.appended).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)}   (${r.appendP99.toFixed(1)})`,
    );
  }
  await relay.stop();
  await consumer.disconnect();

  // Maximum sustained rate, in alternating rounds: each round appends a backlog, then the relay
  // publishes it from its checkpoint and a raw producer sends the same messages, in turns that
  // swap each round so that drift on a shared machine hits both alike. Each side starts cold
  // (the relay's and the producer's connections are inside their times).
  const relayRates: number[] = [];
  const rawRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const from = (await store.status()).headPosition;
    await appendBacklog(store, BACKLOG, `${partnershipId}-max${round}`);
    const events: RecordedEvent[] = [];
    for await (const e of store.readAll({ after: from })) events.push(e);
    const sides = [
      async () =>
        relayRates.push(events.length / (await relaySeconds(store, kafka, partnershipId, events))),
      async () =>
        rawRates.push(
          events.length / (await rawProducerSeconds(kafka, topics, partnershipId, events)),
        ),
    ];
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) await side();
  }
  await store.close();

  const relayRate = percentile(relayRates, 50);
  const rawRate = percentile(rawRates, 50);
  out.line('');
  out.line(
    `maximum sustained, median of ${ROUNDS} alternating rounds of a ${formatRate(BACKLOG)}-event backlog, batches of ${BATCH}:`,
  );
  out.line(
    `  relay ${formatRate(relayRate)} events/s (${formatRate(relayRate * topics.length)} messages/s); rounds ${relayRates.map(formatRate).join(', ')}`,
  );
  out.line(
    `  raw kafkajs producer, same messages, acks=all, idempotent: ${formatRate(rawRate)} events/s; rounds ${rawRates.map(formatRate).join(', ')}`,
  );
  out.line(
    `relay ratio (relay/raw producer, median of per-round ratios): ${medianAndSpread(relayRates.map((r, i) => r / rawRates[i]!))}`,
  );
  out.line(
    `relay p99 at 200 appends/s: ${results[200]!.p99.toFixed(0)} ms (target < 250 ms); at 2,000 appends/s: ${results[2000]!.p99.toFixed(0)} ms`,
  );
}
