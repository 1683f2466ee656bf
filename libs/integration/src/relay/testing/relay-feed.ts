import { randomUUID } from 'node:crypto';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import type { Consumer, Kafka } from 'kafkajs';
import type { SamverkanCloudEvent } from '../../cloud-event';
import { audienceAfter, topicsFor, type StreamAudience } from '../feed-audience';

/**
 * What an agency's system should get: every event whose stream's audience includes it. With
 * `atLeast`, it waits until the log reads up to that position: `$all` passes a position only
 * once every transaction that could commit below it has ended, and another suite's long
 * transaction on the same PostgreSQL server holds that back for a while (nothing is skipped).
 */
export async function expectedFor(
  store: EventStore,
  partnershipId: string,
  topics: string[],
  atLeast = 0,
): Promise<Map<string, number[]>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const audiences = new Map<string, StreamAudience>();
    const byStream = new Map<string, number[]>();
    let last = 0;
    for await (const e of store.readAll()) {
      last = e.globalPosition;
      const audience = audienceAfter(audiences.get(e.streamId), e);
      audiences.set(e.streamId, audience);
      if (topicsFor(partnershipId, audience).some((t) => topics.includes(t))) {
        byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.revision]);
      }
    }
    if (last >= atLeast) return byStream;
    if (Date.now() > deadline) throw new Error(`the log read up to ${last}, not ${atLeast}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const countOf = (byStream: Map<string, number[]>): number =>
  [...byStream.values()].reduce((n, revisions) => n + revisions.length, 0);

export interface Consumed {
  /** Per stream, the revisions in arrival order after de-duplication by CloudEvent id. */
  readonly byStream: Map<string, number[]>;
  readonly duplicates: number;
  /**
   * Duplicates that were not the same message again: a second id for one stream revision, or
   * one id with another body. At least once is only safe to de-duplicate if this stays 0.
   */
  readonly inconsistentDuplicates: number;
  /** Every distinct CloudEvent as received, with the topic it first came on. */
  readonly events: { readonly topic: string; readonly event: SamverkanCloudEvent }[];
}

/** Everything on the topics, de-duplicated by CloudEvent id as an agency's consumer would. */
export async function consume(
  client: Kafka,
  consumers: Consumer[],
  topics: string[],
  count: number,
  groupPrefix = 'relay-test-',
): Promise<Consumed> {
  const consumer = client.consumer({ groupId: `${groupPrefix}${randomUUID()}` });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const bodies = new Map<string, string>();
  const idOf = new Map<string, string>();
  const byStream = new Map<string, number[]>();
  const events: Consumed['events'][number][] = [];
  let duplicates = 0;
  let inconsistentDuplicates = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`got ${bodies.size} of ${count}`)), 60_000);
    void consumer.run({
      eachMessage: ({ topic, message }) => {
        const body = message.value!.toString();
        const ce = JSON.parse(body) as SamverkanCloudEvent;
        const at = `${ce.subject}@${ce.streamrevision}`;
        if (bodies.has(ce.id)) {
          duplicates++;
          if (bodies.get(ce.id) !== body) inconsistentDuplicates++;
        } else {
          if (idOf.has(at)) inconsistentDuplicates++;
          idOf.set(at, ce.id);
          bodies.set(ce.id, body);
          events.push({ topic, event: ce });
          byStream.set(ce.subject, [...(byStream.get(ce.subject) ?? []), ce.streamrevision]);
        }
        if (bodies.size === count) {
          clearTimeout(timer);
          setTimeout(resolve, 500); // and a moment more: nothing beyond the expected comes
        }
        return Promise.resolve();
      },
    });
  });
  await consumer.stop();
  return { byStream, duplicates, inconsistentDuplicates, events };
}

/**
 * Every message value on the topics, read from the beginning up to their current end, as an
 * administrator's consumer reads them (not as an agency would): what a topic holds, whoever
 * may read it, mirror it or keep its backups.
 */
export async function topicValues(
  client: Kafka,
  consumers: Consumer[],
  topics: readonly string[],
): Promise<string[]> {
  const admin = client.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        ends.set(`${topic}/${p.partition}`, BigInt(p.high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const open = new Set([...ends].filter(([, high]) => high > 0n).map(([at]) => at));
  const values: string[] = [];
  if (open.size === 0) return values;
  const consumer = client.consumer({ groupId: `topic-audit-${randomUUID()}` });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${open.size} partitions unread`)), 60_000);
    void consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        values.push(message.value?.toString() ?? '');
        const at = `${topic}/${partition}`;
        if (BigInt(message.offset) + 1n >= (ends.get(at) ?? 0n)) open.delete(at);
        if (open.size === 0) {
          clearTimeout(timer);
          resolve();
        }
        return Promise.resolve();
      },
    });
  });
  await consumer.stop();
  return values;
}

/**
 * What must never be on a topic, found in its messages: any of the given plaintexts, or the
 * mark of an encrypted field (`$protected`: the claim check publishes neither text nor cipher).
 */
export function personalDataIn(values: readonly string[], plaintexts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const value of values) {
    if (value.includes('$protected')) found.add('$protected');
    for (const text of plaintexts) if (value.includes(text)) found.add(text);
  }
  return [...found];
}
