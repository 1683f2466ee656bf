import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { InvalidInputError } from '@samverkan/shared/errors';
import { until } from '@samverkan/shared/eventually';
import { ConcurrencyError, EventIdReusedError } from '../event-store.errors';
import type {
  Actor,
  AppendResult,
  EventStore,
  JsonObject,
  NewEvent,
  RecordedEvent,
} from '../event-store.port';
import type { Upcaster } from '../upcasting';

/**
 * The event-store contract: the architecture's six rules as tests. Every adapter runs it.
 * Each test gets a fresh, empty store, so positions and the whole log are the test's own.
 */
export interface HeldAppend {
  /** The global position the open transaction drew for its event. */
  readonly globalPosition: number;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface EventStoreHarness {
  /** A fresh, started, empty store. */
  create(options?: { upcasters?: readonly Upcaster[] }): Promise<EventStore>;
  /**
   * Appends one event inside a transaction that stays open until commit or rollback: a writer
   * that drew its position early and commits late. Null where the adapter has no such thing
   * (the server gives positions as it commits, one append at a time): the cases about it are
   * then not applicable, and say so.
   */
  readonly holdAppendOpen: ((store: EventStore, streamId: string) => Promise<HeldAppend>) | null;
  /** Closes `store` and opens another on the same data, as a restarted process would. */
  reopen(store: EventStore, options?: { upcasters?: readonly Upcaster[] }): Promise<EventStore>;
  /** True when the adapter runs one transaction at a time (others wait for a held one). */
  readonly serialisesWriters: boolean;
}

const actor: Actor = { userId: 'user-1', agency: 'police', role: 'officer' };

function event(type: string, data: JsonObject = {}, extra: Partial<NewEvent> = {}): NewEvent {
  return { type, data, ...extra };
}

async function collect<T>(
  iterable: AsyncIterable<T>,
  limit = Number.MAX_SAFE_INTEGER,
): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

async function headOf(store: EventStore): Promise<number> {
  return (await store.status()).headPosition;
}

/** Every event in the log. (A refused append may still use up positions: gaps are allowed.) */
async function logOf(store: EventStore): Promise<string[]> {
  return (await collect(store.readAll())).map((e) => e.eventId);
}

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Where an adapter cannot keep a case of the contract, by the case's name and why (documented
 * in docs/architecture.md). A known deviation still runs, as a test that must fail: it cannot
 * pass silently, and an adapter that starts to keep the rule is told to drop the entry. A case
 * that is not applicable (it needs something the adapter does not have) is skipped with its
 * reason in the name.
 */
export interface AdapterDeviations {
  readonly knownDeviations?: Readonly<Record<string, string>>;
  readonly notApplicable?: Readonly<Record<string, string>>;
}

export function eventStoreContract(
  name: string,
  harness: () => EventStoreHarness,
  deviations: AdapterDeviations = {},
): void {
  const it = contractCase(deviations);
  describe(`EventStore contract: ${name}`, () => {
    let h: EventStoreHarness;
    let store: EventStore;
    const open: EventStore[] = [];

    async function fresh(options?: { upcasters?: readonly Upcaster[] }): Promise<EventStore> {
      const s = await h.create(options);
      open.push(s);
      return s;
    }

    beforeEach(async () => {
      h = harness();
      store = await fresh();
    });

    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    describe('rule 1: streams and expected revisions', () => {
      it('appends to a new stream and reads back the full envelope (rule 4)', async () => {
        const occurredAt = new Date('2024-03-05T18:30:00.000Z');
        const eventId = randomUUID();
        const result = await store.append(
          'promise-hammaro',
          [
            event(
              'PromiseDrafted',
              { title: 'Medborgarlöfte Hammarö', period: { from: '2023-01-01' } },
              { eventId, occurredAt, schemaVersion: 2 },
            ),
          ],
          { expectedRevision: 'no_stream', actor, correlationId: 'corr-1', causationId: 'cmd-1' },
        );
        expect(result).toMatchObject({
          streamId: 'promise-hammaro',
          streamRevision: 0,
          alreadyAppended: false,
        });
        expect(result.events).toEqual([
          { eventId, revision: 0, globalPosition: result.globalPosition },
        ]);

        const [read] = await collect(store.readStream('promise-hammaro'));
        expect(read).toEqual({
          eventId,
          type: 'PromiseDrafted',
          schemaVersion: 2,
          streamId: 'promise-hammaro',
          revision: 0,
          globalPosition: result.globalPosition,
          occurredAt,
          recordedAt: expect.any(Date) as Date,
          actor,
          correlationId: 'corr-1',
          causationId: 'cmd-1',
          data: { title: 'Medborgarlöfte Hammarö', period: { from: '2023-01-01' } },
        });
        expect(Math.abs(read!.recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
        expect(await store.streamRevision('promise-hammaro')).toBe(0);
      });

      it('gives revisions 0.. in order within a stream and increasing global positions', async () => {
        const first = await store.append('s', [event('A'), event('B')], {
          expectedRevision: 'no_stream',
          actor,
        });
        const second = await store.append('s', [event('C')], { expectedRevision: 1, actor });
        const all = [...first.events, ...second.events];
        expect(all.map((e) => e.revision)).toEqual([0, 1, 2]);
        for (let i = 1; i < all.length; i++)
          expect(all[i]!.globalPosition).toBeGreaterThan(all[i - 1]!.globalPosition);
        expect(second.streamRevision).toBe(2);
      });

      it.each([
        ['an exact revision that is behind', 0, 1],
        ['an exact revision that is ahead', 5, 1],
        ['no_stream on an existing stream', 'no_stream' as const, 1],
      ])(
        'refuses %s, naming stream, expected and actual revision, and writes nothing',
        async (_, expected, actual) => {
          await store.append('promise-1', [event('A'), event('B')], {
            expectedRevision: 'no_stream',
            actor,
          });
          const log = await logOf(store);
          const error = await store
            .append('promise-1', [event('C')], { expectedRevision: expected, actor })
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ConcurrencyError);
          expect(error).toMatchObject({
            streamId: 'promise-1',
            expectedRevision: expected,
            actualRevision: actual,
            code: 'EVENT_STORE.WRONG_EXPECTED_REVISION',
          });
          expect((error as Error).message).toContain('promise-1');
          expect(await collect(store.readStream('promise-1'))).toHaveLength(2);
          expect(await logOf(store)).toEqual(log);
        },
      );

      it('refuses stream_exists and exact revisions on a missing stream with actual revision null', async () => {
        for (const expected of ['stream_exists' as const, 0]) {
          const error = await store
            .append('missing', [event('A')], { expectedRevision: expected, actor })
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ConcurrencyError);
          expect(error).toMatchObject({
            streamId: 'missing',
            expectedRevision: expected,
            actualRevision: null,
          });
        }
        expect(await store.streamRevision('missing')).toBeNull();
        expect(await headOf(store)).toBe(0);
      });

      it('accepts any and stream_exists on an existing stream', async () => {
        await store.append('s', [event('A')], { expectedRevision: 'any', actor });
        await store.append('s', [event('B')], { expectedRevision: 'stream_exists', actor });
        await store.append('s', [event('C')], { expectedRevision: 'any', actor });
        expect((await collect(store.readStream('s'))).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('lets exactly one of many concurrent writers with the same expected revision win', async () => {
        await store.append('contested', [event('Created')], {
          expectedRevision: 'no_stream',
          actor,
        });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            store.append('contested', [event('Edited', { by: i })], { expectedRevision: 0, actor }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(refused).toHaveLength(9);
        for (const r of refused) expect(r.reason).toMatchObject({ actualRevision: 1 });
        expect(await collect(store.readStream('contested'))).toHaveLength(2);
      });

      it('serialises concurrent writers with expectation any on one stream without losing any', async () => {
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.append('busy', [event('E', { i }), event('E', { i })], {
              expectedRevision: 'any',
              actor,
            }),
          ),
        );
        const read = await collect(store.readStream('busy'));
        expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 40 }, (_, i) => i));
        // The two events of one append stay next to each other.
        for (let i = 0; i < 40; i += 2) expect(read[i]!.data).toEqual(read[i + 1]!.data);
      });

      it('creates a stream once when concurrent writers both expect no_stream', async () => {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () =>
            store.append('new-one', [event('Created')], { expectedRevision: 'no_stream', actor }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await store.streamRevision('new-one')).toBe(0);
      });

      it('commits all events of an append or none', async () => {
        const taken = randomUUID();
        await store.append('other', [event('A', {}, { eventId: taken })], {
          expectedRevision: 'no_stream',
          actor,
        });
        const log = await logOf(store);
        // The third event reuses an id stored in another stream: the whole append must fail.
        const error = await store
          .append('atomic', [event('A'), event('B'), event('C', {}, { eventId: taken })], {
            expectedRevision: 'any',
            actor,
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EventIdReusedError);
        expect(await collect(store.readStream('atomic'))).toEqual([]);
        expect(await store.streamRevision('atomic')).toBeNull();
        expect(await logOf(store)).toEqual(log);
        // And the stream is still usable from scratch.
        await store.append('atomic', [event('A')], { expectedRevision: 'no_stream', actor });
      });
    });

    describe('rule 2: one global order that no reader passes while a lower position is open', () => {
      it('16 concurrent writers x 500 events: a live $all subscriber gets each exactly once, strictly increasing, including a late commit', async () => {
        const writers = 16;
        const perWriter = 500;
        const received: RecordedEvent[] = [];
        const hold = h.holdAppendOpen;
        // The late committer and the closing event, or only the latter without held appends.
        const extra = hold ? 2 : 1;
        const subscription = store.subscribe({ after: 0, pageSize: 200 });
        let heldPosition = Number.POSITIVE_INFINITY;
        let seenAboveHeldWhileOpen = false;
        let heldOpen = false;
        const consumer = (async () => {
          for await (const e of subscription) {
            if (heldOpen && e.globalPosition > heldPosition) seenAboveHeldWhileOpen = true;
            received.push(e);
            if (received.length === writers * perWriter + extra) break;
          }
        })();

        const appended: AppendResult[] = [];
        const writer = async (w: number): Promise<void> => {
          let written = 0;
          let batch = 0;
          while (written < perWriter) {
            // 1 to 5 events per append, so appends of different sizes interleave.
            const size = Math.min(perWriter - written, 1 + ((w + batch) % 5));
            const events = Array.from({ length: size }, (_, i) =>
              event('CommitmentActivityRecorded', { writer: w, n: written + i }),
            );
            appended.push(
              await store.append(`writer-${w}`, events, {
                expectedRevision: written === 0 ? 'no_stream' : written - 1,
                actor,
              }),
            );
            written += size;
            batch++;
          }
        };

        // Start writing, then open a transaction that draws a position and commits late while
        // the writers go on committing higher positions.
        const firstHalf = Promise.all(Array.from({ length: writers / 2 }, (_, w) => writer(w)));
        let secondHalf: Promise<unknown> | undefined;
        if (hold) await new Promise((r) => setTimeout(r, 20));
        const held = hold ? await hold(store, 'late-committer') : undefined;
        if (held) {
          heldPosition = held.globalPosition;
          heldOpen = true;
        }
        if (hold && held && h.serialisesWriters) {
          // One transaction at a time: everyone else waits for the held one.
          heldOpen = false;
          await held.commit();
          const rolledBack = await hold(store, 'rolled-back');
          await rolledBack.rollback();
        } else if (hold && held) {
          const rolledBack = await hold(store, 'rolled-back');
          secondHalf = Promise.all(
            Array.from({ length: writers / 2 }, (_, w) => writer(w + writers / 2)),
          );
          // Let the other writers commit well past the held position before it commits.
          while (appended.length < 200) await new Promise((r) => setTimeout(r, 5));
          expect(appended.some((a) => a.globalPosition > heldPosition)).toBe(true);
          await new Promise((r) => setTimeout(r, 50));
          await rolledBack.rollback();
          heldOpen = false;
          await held.commit();
        }
        await firstHalf;
        await (secondHalf ??
          Promise.all(Array.from({ length: writers / 2 }, (_, w) => writer(w + writers / 2))));
        // One more event after everything, so the consumer's count includes a commit after the gap.
        await store.append('closing', [event('Closed')], { expectedRevision: 'no_stream', actor });
        await consumer;
        await subscription.close();

        expect(seenAboveHeldWhileOpen).toBe(false);
        const positions = received.map((e) => e.globalPosition);
        for (let i = 1; i < positions.length; i++)
          expect(positions[i]).toBeGreaterThan(positions[i - 1]!);
        const ids = new Set(received.map((e) => e.eventId));
        expect(ids.size).toBe(writers * perWriter + extra);
        const expectedIds = appended.flatMap((a) => a.events.map((e) => e.eventId));
        for (const id of expectedIds) expect(ids.has(id)).toBe(true);
        expect(
          received.some(
            (e) => e.globalPosition === heldPosition && e.streamId === 'late-committer',
          ),
        ).toBe(hold !== null);
        expect(received.some((e) => e.streamId === 'rolled-back')).toBe(false);
        // Per stream, revisions arrive in order.
        const lastRevision = new Map<string, number>();
        for (const e of received) {
          expect(e.revision).toBe((lastRevision.get(e.streamId) ?? -1) + 1);
          lastRevision.set(e.streamId, e.revision);
        }
      });

      it('readAll stops below a transaction that is still open and resumes after it commits', async () => {
        await store.append('before', [event('A')], { expectedRevision: 'no_stream', actor });
        expect((await collect(store.readAll())).map((e) => e.streamId)).toEqual(['before']);
        const held = await h.holdAppendOpen!(store, 'slow');
        if (!h.serialisesWriters) {
          await store.append('after', [event('B')], { expectedRevision: 'no_stream', actor });
          const visible = await collect(store.readAll());
          expect(visible.map((e) => e.streamId)).toEqual(['before']);
        }
        await held.commit();
        if (h.serialisesWriters)
          await store.append('after', [event('B')], { expectedRevision: 'no_stream', actor });
        const all = await collect(store.readAll());
        expect(all.map((e) => e.streamId).sort()).toEqual(['after', 'before', 'slow']);
      });
    });

    describe('rule 3: idempotent appends', () => {
      it('returns the first positions and writes nothing when the same event ids are appended again', async () => {
        const ids = [randomUUID(), randomUUID()];
        const events = [
          event('A', { n: 1 }, { eventId: ids[0] }),
          event('B', { n: 2 }, { eventId: ids[1] }),
        ];
        const first = await store.append('idem', events, { expectedRevision: 'no_stream', actor });
        await store.append('idem', [event('C')], { expectedRevision: 1, actor });
        const log = await logOf(store);
        for (const expectedRevision of [
          'no_stream' as const,
          'any' as const,
          0,
          'stream_exists' as const,
        ]) {
          const again = await store.append('idem', events, { expectedRevision, actor });
          expect(again.alreadyAppended).toBe(true);
          expect(again.events).toEqual(first.events);
          expect(again.globalPosition).toBe(first.globalPosition);
        }
        expect(await collect(store.readStream('idem'))).toHaveLength(3);
        expect(await logOf(store)).toEqual(log);
      });

      it('answers a retry per event id, whatever order it sends them in', async () => {
        const a = event('A', {}, { eventId: randomUUID() });
        const b = event('B', {}, { eventId: randomUUID() });
        const first = await store.append('order', [a, b], { expectedRevision: 'no_stream', actor });
        const again = await store.append('order', [b, a], { expectedRevision: 'no_stream', actor });
        expect(again.alreadyAppended).toBe(true);
        expect(again.events).toEqual([first.events[1], first.events[0]]);
      });

      it('refuses a retry that changes an event type', async () => {
        const id = randomUUID();
        await store.append('typed', [event('A', {}, { eventId: id })], {
          expectedRevision: 'no_stream',
          actor,
        });
        await expect(
          store.append('typed', [event('B', {}, { eventId: id })], {
            expectedRevision: 'no_stream',
            actor,
          }),
        ).rejects.toBeInstanceOf(EventIdReusedError);
      });

      it('writes once when the same append is retried concurrently', async () => {
        const events = [
          event('A', {}, { eventId: randomUUID() }),
          event('B', {}, { eventId: randomUUID() }),
        ];
        const results = await Promise.all(
          Array.from({ length: 6 }, () =>
            store.append('retried', events, { expectedRevision: 'any', actor }),
          ),
        );
        expect(results.filter((r) => !r.alreadyAppended)).toHaveLength(1);
        for (const r of results) expect(r.events).toEqual(results[0]!.events);
        expect(await collect(store.readStream('retried'))).toHaveLength(2);
      });

      it('refuses an event id already used in another stream and writes nothing', async () => {
        const id = randomUUID();
        await store.append('one', [event('A', {}, { eventId: id })], {
          expectedRevision: 'no_stream',
          actor,
        });
        await expect(
          store.append('two', [event('A', {}, { eventId: id })], {
            expectedRevision: 'any',
            actor,
          }),
        ).rejects.toBeInstanceOf(EventIdReusedError);
        expect(await store.streamRevision('two')).toBeNull();
      });
    });

    describe('rule 5: subscriptions', () => {
      it('catches up, then receives live appends', async () => {
        await store.append('s1', [event('A'), event('B')], {
          expectedRevision: 'no_stream',
          actor,
        });
        const subscription = store.subscribe();
        const received: RecordedEvent[] = [];
        const done = (async () => {
          for await (const e of subscription) {
            received.push(e);
            if (received.length === 4) break;
          }
        })();
        await waitUntil(() => received.length === 2);
        await store.append('s2', [event('C')], { expectedRevision: 'no_stream', actor });
        await store.append('s1', [event('D')], { expectedRevision: 1, actor });
        await done;
        expect(received.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
      });

      it('filters by event type and by stream prefix, in readAll and in subscriptions', async () => {
        await store.append(
          'situation-skoghall',
          [event('SituationReported'), event('SituationCorrected')],
          { expectedRevision: 'no_stream', actor },
        );
        await store.append(
          'promise-hammaro',
          [event('PromiseDrafted'), event('SituationReported')],
          { expectedRevision: 'no_stream', actor },
        );
        await store.append('situation-mormon', [event('SituationReported')], {
          expectedRevision: 'no_stream',
          actor,
        });
        await store.append('situatio', [event('SituationReported')], {
          expectedRevision: 'no_stream',
          actor,
        });

        const byType = await collect(store.readAll({ filter: { types: ['SituationReported'] } }));
        expect(byType.map((e) => e.streamId)).toEqual([
          'situation-skoghall',
          'promise-hammaro',
          'situation-mormon',
          'situatio',
        ]);
        const byPrefix = await collect(store.readAll({ filter: { streamPrefix: 'situation-' } }));
        expect(byPrefix.map((e) => e.type)).toEqual([
          'SituationReported',
          'SituationCorrected',
          'SituationReported',
        ]);
        const both = await collect(
          store.readAll({ filter: { streamPrefix: 'situation-', types: ['SituationCorrected'] } }),
        );
        expect(both.map((e) => e.streamId)).toEqual(['situation-skoghall']);
        // A prefix with LIKE wildcards matches literally.
        await store.append('a%b', [event('X')], { expectedRevision: 'no_stream', actor });
        await store.append('axb', [event('X')], { expectedRevision: 'no_stream', actor });
        expect(
          (await collect(store.readAll({ filter: { streamPrefix: 'a%' } }))).map((e) => e.streamId),
        ).toEqual(['a%b']);

        const subscription = store.subscribe({
          filter: { types: ['SituationReported'], streamPrefix: 'situation-' },
        });
        const live: RecordedEvent[] = [];
        const done = (async () => {
          for await (const e of subscription) {
            live.push(e);
            if (live.length === 3) break;
          }
        })();
        await store.append('promise-hammaro', [event('SituationReported')], {
          expectedRevision: 1,
          actor,
        });
        await store.append(
          'situation-bryggan',
          [event('SituationRetracted'), event('SituationReported')],
          { expectedRevision: 'no_stream', actor },
        );
        await done;
        expect(live.map((e) => `${e.streamId}:${e.type}`)).toEqual([
          'situation-skoghall:SituationReported',
          'situation-mormon:SituationReported',
          'situation-bryggan:SituationReported',
        ]);
        // The checkpoint moved past what the filter skipped.
        expect(subscription.checkpoint).toBe(live[2]!.globalPosition);
      });

      it('resumes exactly after a saved checkpoint when restarted', async () => {
        for (let i = 0; i < 10; i++)
          await store.append(`s-${i % 3}`, [event('E', { i })], { expectedRevision: 'any', actor });
        const first = store.subscribe({ after: 0 });
        const seen: RecordedEvent[] = [];
        for await (const e of first) {
          seen.push(e);
          if (seen.length === 4) break;
        }
        // The subscription's own checkpoint is what a consumer saves.
        const checkpoint = first.checkpoint;
        expect(checkpoint).toBe(seen[3]!.globalPosition);
        for (let i = 10; i < 14; i++)
          await store.append(`s-${i % 3}`, [event('E', { i })], { expectedRevision: 'any', actor });
        const resumed = store.subscribe({ after: checkpoint });
        const rest: RecordedEvent[] = [];
        for await (const e of resumed) {
          rest.push(e);
          if (rest.length === 10) break;
        }
        expect(rest.map((e) => (e.data as { i: number }).i)).toEqual([
          4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
        ]);
        expect(rest[0]!.globalPosition).toBeGreaterThan(checkpoint);
      });

      it("starts at the end with after: 'end' and delivers only what comes later", async () => {
        await store.append('old', [event('Old')], { expectedRevision: 'no_stream', actor });
        const subscription = store.subscribe({ after: 'end' });
        const iterator = subscription[Symbol.asyncIterator]();
        const next = iterator.next();
        // Once it has taken the end as its start (a fixed wait lost that race on a busy machine).
        await until('the subscription to take the end', () =>
          Promise.resolve(subscription.checkpoint >= 1 ? true : undefined),
        );
        await store.append('new', [event('New')], { expectedRevision: 'no_stream', actor });
        expect((await next).value).toMatchObject({ type: 'New' });
        await subscription.close();
      });

      it('never moves the checkpoint past what the consumer has taken', async () => {
        await store.append(
          'many',
          Array.from({ length: 50 }, (_, i) => event('E', { i })),
          { expectedRevision: 'no_stream', actor },
        );
        const subscription = store.subscribe({ pageSize: 10 });
        const iterator = subscription[Symbol.asyncIterator]();
        await iterator.next();
        await new Promise((r) => setTimeout(r, 30));
        // One event taken: the checkpoint has not run ahead to what was not consumed.
        expect(subscription.checkpoint).toBeLessThan(10);
        await subscription.close();
      });
    });

    describe('subscription life cycle', () => {
      it('moves the checkpoint past events its filter skips while it waits', async () => {
        const subscription = store.subscribe({ filter: { types: ['Wanted'] } });
        const iterator = subscription[Symbol.asyncIterator]();
        await store.append('s', [event('Other'), event('Wanted')], {
          expectedRevision: 'no_stream',
          actor,
        });
        const first = await iterator.next();
        expect(first.value).toMatchObject({ type: 'Wanted' });
        const next = iterator.next();
        const later = await store.append('s', [event('Other'), event('Other')], {
          expectedRevision: 1,
          actor,
        });
        await waitUntil(() => subscription.checkpoint === later.globalPosition);
        await subscription.close();
        expect((await next).done).toBe(true);
      });

      it('ends a live iteration without an error when the store closes', async () => {
        await store.append('s', [event('A')], { expectedRevision: 'no_stream', actor });
        const subscription = store.subscribe();
        const received: RecordedEvent[] = [];
        const consumer = (async () => {
          for await (const e of subscription) received.push(e);
        })();
        await waitUntil(() => received.length === 1);
        const writes = store.append('s', [event('B')], { expectedRevision: 0, actor });
        await writes;
        await store.close();
        await expect(consumer).resolves.toBeUndefined();
      });

      it('can be iterated once', async () => {
        const subscription = store.subscribe();
        const iterator = subscription[Symbol.asyncIterator]();
        const pending = iterator.next();
        await expect(subscription[Symbol.asyncIterator]().next()).rejects.toThrow(/once/);
        await subscription.close();
        expect((await pending).done).toBe(true);
      });
    });

    describe('rule 6: reads page through large streams in bounded memory', () => {
      it('reads a 100,000-event stream forwards and backwards without holding it', async () => {
        const total = 100_000;
        const batch = 2_000;
        const filler = 'x'.repeat(300);
        for (let start = 0; start < total; start += batch) {
          const events = Array.from({ length: batch }, (_, i) =>
            event('CommitmentActivityRecorded', {
              n: start + i,
              place: 'Lillängshamnen',
              note: filler,
            }),
          );
          await store.append('big', events, {
            expectedRevision: start === 0 ? 'no_stream' : start - 1,
            actor,
          });
        }
        const gc = exposeGc();
        gc();
        const baseline = process.memoryUsage().heapUsed;
        let peak = 0;
        let count = 0;
        let expectedN = 0;
        for await (const e of store.readStream('big', { pageSize: 500 })) {
          expect((e.data as { n: number }).n).toBe(expectedN++);
          if (++count % 5_000 === 0) {
            gc();
            peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
          }
        }
        expect(count).toBe(total);
        let backwards = 0;
        for await (const e of store.readStream('big', {
          direction: 'backwards',
          fromRevision: 999,
          pageSize: 300,
        })) {
          expect(e.revision).toBe(999 - backwards++);
        }
        expect(backwards).toBe(1000);

        // What holding every event would cost, measured on a fifth of them: the bound below
        // must be one a non-paging read would break.
        gc();
        const before = process.memoryUsage().heapUsed;
        const held = await collect(store.readStream('big', { pageSize: 5_000 }), total / 5);
        gc();
        const holdingAll = (process.memoryUsage().heapUsed - before) * 5;
        expect(held).toHaveLength(total / 5);
        const bound = 32 * 1024 * 1024;
        expect(holdingAll).toBeGreaterThan(bound);
        expect(peak).toBeLessThan(bound);
      });

      it('readAll pages through the log in order and respects after and maxCount', async () => {
        for (let i = 0; i < 25; i++)
          await store.append(`s-${i % 4}`, [event('E', { i })], { expectedRevision: 'any', actor });
        const all = await collect(store.readAll({ pageSize: 7 }));
        expect(all.map((e) => (e.data as { i: number }).i)).toEqual(
          Array.from({ length: 25 }, (_, i) => i),
        );
        const tail = await collect(
          store.readAll({ after: all[9]!.globalPosition, maxCount: 5, pageSize: 2 }),
        );
        expect(tail.map((e) => (e.data as { i: number }).i)).toEqual([10, 11, 12, 13, 14]);
      });
    });

    describe('rule 4: old event versions are upcast on read, never rewritten', () => {
      it('upcasts on read and keeps the stored version', async () => {
        await store.append(
          'up',
          [event('SituationReported', { place: 'Skoghall' }, { schemaVersion: 1 })],
          { expectedRevision: 'no_stream', actor },
        );
        const upcasting = await h.reopen(store, {
          upcasters: [
            {
              type: 'SituationReported',
              fromVersion: 1,
              upcast: (d) => ({ ...d, area: d['place'] ?? null, sensitivity: 'open' }),
            },
            { type: 'SituationReported', fromVersion: 2, upcast: ({ place: _p, ...rest }) => rest },
          ],
        });
        open.push(upcasting);
        const [viaStream] = await collect(upcasting.readStream('up'));
        // Another store instance: $all shows the append once it is final, which a transaction
        // open elsewhere on the server (a suite running beside this one) can hold back.
        let [viaAll] = await collect(upcasting.readAll());
        for (let i = 0; viaAll === undefined && i < 200; i++) {
          await new Promise((r) => setTimeout(r, 10));
          [viaAll] = await collect(upcasting.readAll());
        }
        for (const e of [viaStream, viaAll]) {
          expect(e).toMatchObject({
            schemaVersion: 3,
            data: { area: 'Skoghall', sensitivity: 'open' },
          });
        }
        const plain = await h.reopen(upcasting);
        open.push(plain);
        const [stored] = await collect(plain.readStream('up'));
        expect(stored).toMatchObject({ schemaVersion: 1, data: { place: 'Skoghall' } });
      });
    });

    describe('a restarted process finds what was committed', () => {
      it('keeps events, revisions and positions across a reopen', async () => {
        const written = await store.append('kept', [event('A', { n: 1 }), event('B', { n: 2 })], {
          expectedRevision: 'no_stream',
          actor,
        });
        const again = await h.reopen(store);
        open.push(again);
        const read = await collect(again.readStream('kept'));
        expect(read.map((e) => e.globalPosition)).toEqual(
          written.events.map((e) => e.globalPosition),
        );
        const next = await again.append('kept', [event('C')], { expectedRevision: 1, actor });
        expect(next.globalPosition).toBeGreaterThan(written.globalPosition);
      });
    });

    describe('bad input is refused with a typed error before anything is written', () => {
      const circular: Record<string, unknown> = { a: 1 };
      circular['self'] = circular;
      it.each<[string, () => Promise<unknown>, string]>([
        [
          'an unknown expected revision',
          () => store.append('s', [event('A')], { expectedRevision: 'latest' as never, actor }),
          'options.expectedRevision',
        ],
        [
          'a negative expected revision',
          () => store.append('s', [event('A')], { expectedRevision: -1, actor }),
          'options.expectedRevision',
        ],
        [
          'a fractional expected revision',
          () => store.append('s', [event('A')], { expectedRevision: 1.5, actor }),
          'options.expectedRevision',
        ],
        [
          'an empty stream id',
          () => store.append('', [event('A')], { expectedRevision: 'any', actor }),
          'streamId',
        ],
        [
          'a blank stream id',
          () => store.append('  ', [event('A')], { expectedRevision: 'any', actor }),
          'streamId',
        ],
        [
          'an event without a type',
          () =>
            store.append('s', [{ data: {} } as unknown as NewEvent], {
              expectedRevision: 'any',
              actor,
            }),
          'events[0].type',
        ],
        ['no events', () => store.append('s', [], { expectedRevision: 'any', actor }), 'events'],
        [
          'a bigint in the payload',
          () =>
            store.append('s', [event('A', { n: 1n } as unknown as JsonObject)], {
              expectedRevision: 'any',
              actor,
            }),
          'events[0].data.n',
        ],
        [
          'a cycle in the payload',
          () =>
            store.append('s', [event('A', circular as JsonObject)], {
              expectedRevision: 'any',
              actor,
            }),
          'events[0].data.self',
        ],
        [
          'a function in the payload',
          () =>
            store.append('s', [event('A', { f: (() => 1) as unknown as JsonObject })], {
              expectedRevision: 'any',
              actor,
            }),
          'events[0].data.f',
        ],
        [
          'NaN in the payload',
          () => store.append('s', [event('A', { x: NaN })], { expectedRevision: 'any', actor }),
          'events[0].data.x',
        ],
        [
          'a Date in the payload',
          () =>
            store.append('s', [event('A', { at: new Date() as unknown as JsonObject })], {
              expectedRevision: 'any',
              actor,
            }),
          'events[0].data.at',
        ],
        [
          'a NUL character in the payload',
          () =>
            store.append('s', [event('A', { s: 'a\u0000b' })], { expectedRevision: 'any', actor }),
          'events[0].data.s',
        ],
        [
          'an event id that is not a UUID',
          () =>
            store.append('s', [event('A', {}, { eventId: 'abc' })], {
              expectedRevision: 'any',
              actor,
            }),
          'events[0].eventId',
        ],
        [
          'the same event id twice in one append',
          () => {
            const id = randomUUID();
            return store.append(
              's',
              [event('A', {}, { eventId: id }), event('B', {}, { eventId: id })],
              { expectedRevision: 'any', actor },
            );
          },
          'events[1].eventId',
        ],
        [
          'a missing actor',
          () => store.append('s', [event('A')], { expectedRevision: 'any' } as never),
          'options.actor',
        ],
        [
          'a stream id with a lone surrogate',
          () => store.append('s\uD800', [event('A')], { expectedRevision: 'any', actor }),
          'streamId',
        ],
        [
          'a NUL character in a type',
          () => store.append('s', [event('A\u0000')], { expectedRevision: 'any', actor }),
          'events[0].type',
        ],
        [
          'a schema version beyond a 32-bit integer',
          () =>
            store.append('s', [event('A', {}, { schemaVersion: 2 ** 31 })], {
              expectedRevision: 'any',
              actor,
            }),
          'events[0].schemaVersion',
        ],
        [
          'a time after the year 9999',
          () =>
            store.append(
              's',
              [event('A', {}, { occurredAt: new Date('+010000-01-01T00:00:00Z') })],
              { expectedRevision: 'any', actor },
            ),
          'events[0].occurredAt',
        ],
        [
          'a hole in the events array',
          // eslint-disable-next-line no-sparse-arrays
          () => store.append('s', [, event('A')] as NewEvent[], { expectedRevision: 'any', actor }),
          'events[0]',
        ],
        [
          'a lone surrogate in the payload',
          () =>
            store.append('s', [event('A', { s: 'x\uDC00' })], { expectedRevision: 'any', actor }),
          'events[0].data.s',
        ],
        [
          'a lone surrogate in a key of the payload',
          () =>
            store.append('s', [event('A', { figures: { 'x\uD800': 1 } })], {
              expectedRevision: 'any',
              actor,
            }),
          'events[0].data.figures',
        ],
        [
          'a NUL character in a key of the payload',
          () =>
            store.append('s', [event('A', { figures: { 'a\u0000': 1 } })], {
              expectedRevision: 'any',
              actor,
            }),
          'events[0].data.figures',
        ],
        [
          'a NUL character in a stream id to read',
          () => collect(store.readStream('s\u0000')),
          'streamId',
        ],
        [
          'a NUL character in a stream prefix filter',
          () => collect(store.readAll({ filter: { streamPrefix: 'a\u0000' } })),
          'filter.streamPrefix',
        ],
        [
          'a negative global position to read after',
          () => collect(store.readAll({ after: -1 })),
          'after',
        ],
        [
          'a negative position to subscribe after',
          () => Promise.resolve().then(() => store.subscribe({ after: -5 })),
          'after',
        ],
        [
          'a negative revision to read from',
          () => collect(store.readStream('s', { fromRevision: -1 })),
          'fromRevision',
        ],
      ])('refuses %s', async (_, attempt, path) => {
        const error = await attempt().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).fields.map((f) => f.path)).toContain(path);
        expect(await headOf(store)).toBe(0);
        expect(await store.streamRevision('s')).toBeNull();
      });

      it('names every invalid field at once', async () => {
        const error = (await store
          .append('', [{ data: 'x' } as unknown as NewEvent, event('B', { n: Infinity })], {
            expectedRevision: 'nope' as never,
            actor,
          })
          .catch((e: unknown) => e)) as InvalidInputError;
        expect(error.fields.map((f) => f.path)).toEqual([
          'streamId',
          'options.expectedRevision',
          'events[0].type',
          'events[0].data',
          'events[1].data.n',
        ]);
      });
    });
  });
}

/** `it` with the adapter's known deviations and inapplicable cases marked (see above). */
function contractCase(deviations: AdapterDeviations): jest.It {
  const named = new Set([
    ...Object.keys(deviations.knownDeviations ?? {}),
    ...Object.keys(deviations.notApplicable ?? {}),
  ]);
  const marked = (name: string, fn?: jest.ProvidesCallback, timeout?: number): void => {
    named.delete(name);
    const deviation = deviations.knownDeviations?.[name];
    const notApplicable = deviations.notApplicable?.[name];
    if (deviation !== undefined)
      globalThis.it.failing(`${name} [known deviation: ${deviation}]`, fn, timeout);
    else if (notApplicable !== undefined)
      globalThis.it.skip(`${name} [not applicable: ${notApplicable}]`, fn, timeout);
    else globalThis.it(name, fn, timeout);
  };
  // A misspelt name would mark nothing: the suite says so instead of running unmarked.
  afterAll(() => {
    if (named.size > 0)
      throw new Error(`Deviations name no contract case: ${[...named].join('; ')}`);
  });
  return Object.assign(marked, globalThis.it);
}

export async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 5));
  }
}
