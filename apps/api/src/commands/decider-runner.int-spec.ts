import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '@samverkan/domain/actor';
import type { CitizenPromiseCommand } from '@samverkan/domain/citizen-promise/citizen-promise.commands';
import { citizenPromiseDecider } from '@samverkan/domain/citizen-promise/citizen-promise.decider';
import { DomainError } from '@samverkan/domain/domain-error';
import { createEventStore } from '@samverkan/event-store/event-store.config';
import { ConcurrencyError } from '@samverkan/event-store/event-store.errors';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import { hammaroPromise } from '../seed/hammaro-promise';
import type { CommandMeta } from './command-meta';
import { derivedEventId } from './idempotency.interceptor';
import { runDecider } from './decider-runner';

const police: Actor = { userId: 'u-police', agency: 'police', role: 'area-chief' };
const chair: Actor = { userId: 'u-chair', agency: 'municipality', role: 'board-chair' };
const ceo: Actor = { userId: 'u-ceo', agency: 'municipality', role: 'chief-executive' };
const at = new Date('2024-10-01T10:00:00Z');
const STREAM = 'citizen-promise-runner';

const meta = (actor: Actor, extra: Partial<CommandMeta> = {}): CommandMeta => ({
  actor,
  at,
  correlationId: 'c-1',
  ...extra,
});
const run = (command: CitizenPromiseCommand, m: CommandMeta) =>
  runDecider(store, citizenPromiseDecider, STREAM, command, m);
const record = (activityId: string): CitizenPromiseCommand => ({
  type: 'RecordActivity',
  by: police,
  at,
  activityId,
  commitmentId: 'police-local-office',
  kind: 'mobile-police-office',
  date: '2024-09-03',
  placeIds: ['skoghall-centrum'],
  agenciesPresent: ['police'],
  outcome: 'På plats',
  figures: {},
});

let store: EventStore;
const dir = mkdtempSync(join(tmpdir(), 'samverkan-runner-'));

beforeAll(async () => {
  store = await createEventStore({ adapter: 'embedded', dataDir: dir });
  await store.start();
  await run({ type: 'DraftPromise', by: police, at, ...hammaroPromise }, meta(police));
  for (const [by, signatoryId] of [
    [police, 'lpo-karlstad-chief'],
    [chair, 'board-chair'],
    [ceo, 'chief-executive'],
  ] as const) {
    await run({ type: 'SignPromise', by, at, signatoryId, signedOn: '2022-12-15' }, meta(by));
  }
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('load, decide, append', () => {
  it('records the actor and correlation of the command in the envelope', async () => {
    const result = await run(record('a-envelope'), meta(police, { correlationId: 'corr-42' }));
    const [event] = await collect(
      store.readStream(STREAM, { fromRevision: result.streamRevision }),
    );
    expect(event).toMatchObject({ actor: police, correlationId: 'corr-42', occurredAt: at });
  });

  it('answers a retry whose first attempt was written from the stream, even where deciding again would refuse', async () => {
    const ids = { eventId: (i: number) => derivedEventId('police:u', 'key-1', i) };
    const first = await run(record('a-retry'), meta(police, { eventIds: ids }));
    const head = (await store.status()).headPosition;
    // Deciding again would refuse (the activity exists): the retry is recognised by its ids.
    const again = await run(record('a-retry'), meta(police, { eventIds: ids }));
    expect(again).toEqual(first);
    expect((await store.status()).headPosition).toBe(head);
    // Without the ids it is a new command, and the decider refuses the duplicate activity.
    await expect(run(record('a-retry'), meta(police))).rejects.toBeInstanceOf(DomainError);
  });

  it('refuses at once when the stream is not at the revision the caller named, writing nothing', async () => {
    const head = (await store.status()).headPosition;
    const error = await run(record('a-stale'), meta(police, { expectedRevision: 1 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as ConcurrencyError).expectedRevision).toBe(1);
    expect((await store.status()).headPosition).toBe(head);
  });

  it('decides again on fresh state when another writer got in between: concurrent commands all land', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 3 }, (_, i) => run(record(`a-parallel-${i}`), meta(police))),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const revisions = results.map(
      (r) => (r as PromiseFulfilledResult<{ streamRevision: number }>).value.streamRevision,
    );
    expect(new Set(revisions).size).toBe(3);
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
