import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../libs/domain/src/actor';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import { MAX_ATTEMPTS } from '../apps/api/src/commands/decider-runner';
import { hammaroPromise } from '../apps/api/src/seed/hammaro-promise';
import { HAMMARO_PLACES } from '../apps/api/src/seed/hammaro-places';
import { bearer, grantUsers, startApi, TEST_SECRET } from './support/api-harness';
import { signHammaroPromise } from './support/hammaro-signatures';

/**
 * The HTTP write path as the README promises it, on each adapter the API runs on: the same
 * cases on the embedded default and on PostgreSQL (If-Match, Idempotency-Key, refusals with
 * nothing stored, time travel, concurrent writers).
 */
const pg = requirePostgres('the write path end to end on PostgreSQL');
const databases = new TestDatabases(pg.url);
afterAll(() => databases.dropAll());

interface Adapter {
  readonly name: string;
  readonly describe: jest.Describe;
  /** The environment that puts the API on this adapter; `done` cleans up after. */
  env(): Promise<Record<string, string | undefined>>;
  done(): void;
}

let dataDir: string | undefined;
const ADAPTERS: readonly Adapter[] = [
  {
    name: 'the embedded store',
    describe,
    env: () => {
      dataDir = mkdtempSync(join(tmpdir(), 'samverkan-write-path-'));
      return Promise.resolve({ DATABASE_URL: undefined, SAMVERKAN_DATA_DIR: dataDir });
    },
    done: () => {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  },
  {
    name: 'PostgreSQL',
    describe: pg.describe,
    env: async () => ({ DATABASE_URL: await databases.create() }),
    done: () => undefined,
  },
];

const police: Actor = { userId: 'lpo-chef', agency: 'police', role: 'area-chief' };
const officer: Actor = { userId: 'officer.1', agency: 'police', role: 'officer' };
const chair: Actor = { userId: 'ks-ordforande', agency: 'municipality', role: 'board-chair' };
const ceo: Actor = { userId: 'kommundirektor', agency: 'municipality', role: 'chief-executive' };
const guard: Actor = { userId: 'guard.1', agency: 'municipal-security', role: 'security-guard' };
const coordinator: Actor = {
  userId: 'trygghet.1',
  agency: 'municipality',
  role: 'safety-coordinator',
};

const PROMISE = '/promises/hammaro-2023-2025';
const STREAM = 'citizen-promise-hammaro-2023-2025';
const activity = (activityId: string) => ({
  activityId,
  commitmentId: 'police-local-office',
  kind: 'mobile-police-office',
  date: '2024-09-03',
  placeIds: ['skoghall-centrum'],
  agenciesPresent: ['police'],
  outcome: 'Mobila poliskontoret på plats',
  figures: { visitors: 12 },
});

describe.each(ADAPTERS)('the write path on $name', (adapter) => {
  adapter.describe('over HTTP', () => {
    let started: Awaited<ReturnType<typeof startApi>>;
    let store: EventStore;
    const http = () => started.http();

    /** The promise stream as stored: what a refused request must leave as it was. */
    const stored = async (): Promise<{ revision: number; type: string; activityId?: string }[]> => {
      const out: { revision: number; type: string; activityId?: string }[] = [];
      for await (const e of store.readStream(STREAM)) {
        const activityId = (e.data as { activityId?: unknown }).activityId;
        out.push({
          revision: e.revision,
          type: e.type,
          ...(typeof activityId === 'string' ? { activityId } : {}),
        });
      }
      return out;
    };
    const revisionNow = async () => (await stored()).length - 1;
    const record = (id: string, by: Actor = officer) =>
      http().post(`${PROMISE}/activities`).set(bearer(by)).send(activity(id));

    beforeAll(async () => {
      started = await startApi({
        ...(await adapter.env()),
        SAMVERKAN_JWT_SECRET: TEST_SECRET,
        SAMVERKAN_SEED: 'off',
        SAMVERKAN_API_KEYS: undefined,
      });
      store = started.app.get<EventStore>(EVENT_STORE);
      await grantUsers(started.app, [police, officer, chair, ceo, guard, coordinator]);
      // Skoghall centrum, where the activities are, and the areas it lies in.
      for (const place of HAMMARO_PLACES.slice(0, 3)) {
        await http().post('/places').set(bearer(coordinator)).send(place).expect(201);
      }
      await http().post('/promises').set(bearer(police)).send(hammaroPromise).expect(201);
      await signHammaroPromise(http, {
        policeChief: police,
        boardChair: chair,
        chiefExecutive: ceo,
      });
    });
    afterAll(async () => {
      await started?.app.close();
      started?.restore();
      adapter.done();
    });

    it('If-Match: a stale revision is a 409 naming the current one and stores nothing; the current one writes', async () => {
      const read = await http().get(PROMISE).set(bearer(officer)).expect(200);
      const revision = read.body.revision as number;
      expect(read.headers['etag']).toBe(`"${revision}"`);
      await record('if-match-1').expect(201);
      const before = await stored();
      const stale = await http()
        .post(`${PROMISE}/activities`)
        .set(bearer(officer))
        .set('If-Match', `"${revision}"`)
        .send(activity('if-match-2'))
        .expect(409);
      expect(stale.body).toMatchObject({
        code: 'EVENT_STORE.WRONG_EXPECTED_REVISION',
        expectedRevision: revision,
        currentRevision: revision + 1,
      });
      expect(await stored()).toEqual(before);
      const current = await http()
        .post(`${PROMISE}/activities`)
        .set(bearer(officer))
        .set('If-Match', `"${revision + 1}"`)
        .send(activity('if-match-2'))
        .expect(201);
      expect(current.body.streamRevision).toBe(revision + 2);
    });

    it('Idempotency-Key: a retry gets the first answer and the log holds one event', async () => {
      const send = () =>
        http()
          .post(`${PROMISE}/activities`)
          .set(bearer(officer))
          .set('Idempotency-Key', 'write-path-retry-1')
          .send(activity('retried-1'));
      const first = await send().expect(201);
      const retry = await send().expect(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect((await stored()).filter((e) => e.activityId === 'retried-1')).toEqual([
        {
          revision: first.body.streamRevision,
          type: 'CommitmentActivityRecorded',
          activityId: 'retried-1',
        },
      ]);
    });

    it("another agency's write is a 403 with nothing stored", async () => {
      const before = await stored();
      const refused = await record('by-the-guard', guard).expect(403);
      expect(refused.body).toMatchObject({ status: 403, code: 'PROMISE.NOT_COMMITMENT_OWNER' });
      expect(await stored()).toEqual(before);
    });

    it('a bad body is a 400 naming the field, a refused command a 422, each with nothing stored', async () => {
      const before = await stored();
      const bad = await http()
        .post(`${PROMISE}/activities`)
        .set(bearer(officer))
        .send({ ...activity('bad-1'), date: 'soon', placeIds: ['no-such-place'] })
        .expect(400);
      expect((bad.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(
        expect.arrayContaining(['date']),
      );
      const outside = await http()
        .post(`${PROMISE}/activities`)
        .set(bearer(officer))
        .send({ ...activity('outside-1'), date: '2022-06-01' })
        .expect(422);
      expect(outside.body.code).toBe('PROMISE.ACTIVITY_OUTSIDE_PERIOD');
      expect(await stored()).toEqual(before);
    });

    it('asOf a global position answers with what the log held then', async () => {
      const earlier = await record('as-of-1').expect(201);
      await record('as-of-2').expect(201);
      const ids = (body: { activities: { activityId: string }[] }) =>
        body.activities.map((a) => a.activityId);
      const then = await http()
        .get(`${PROMISE}?asOf=${earlier.body.globalPosition}`)
        .set(bearer(officer))
        .expect(200);
      expect(then.body.revision).toBe(earlier.body.streamRevision);
      expect(ids(then.body)).toContain('as-of-1');
      expect(ids(then.body)).not.toContain('as-of-2');
      const now = await http().get(PROMISE).set(bearer(officer)).expect(200);
      expect(ids(now.body)).toEqual(expect.arrayContaining(['as-of-1', 'as-of-2']));
    });

    it('concurrent writers with the same If-Match: exactly one lands, every other gets a 409, and the log holds that one', async () => {
      const revision = await revisionNow();
      const ids = Array.from({ length: 12 }, (_, i) => `same-revision-${i}`);
      const results = await Promise.all(
        ids.map((id) =>
          http()
            .post(`${PROMISE}/activities`)
            .set(bearer(officer))
            .set('If-Match', `"${revision}"`)
            .send(activity(id)),
        ),
      );
      const landed = results.filter((r) => r.status === 201);
      expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(11).fill(409)]);
      expect(landed[0]!.body.streamRevision).toBe(revision + 1);
      const after = (await stored()).slice(revision + 1);
      expect(after).toEqual([
        {
          revision: revision + 1,
          type: 'CommitmentActivityRecorded',
          activityId: ids[results.indexOf(landed[0]!)],
        },
      ]);
    });

    it('concurrent writers without If-Match: each decides again on fresh state; what is answered 201 is in the log once, what is refused is not, and no update is lost', async () => {
      // Up to MAX_ATTEMPTS writers at once all land: each failed attempt is another's success.
      const few = Array.from({ length: MAX_ATTEMPTS }, (_, i) => `few-${i}`);
      const fewResults = await Promise.all(few.map((id) => record(id)));
      expect(fewResults.map((r) => r.status)).toEqual(few.map(() => 201));

      const revision = await revisionNow();
      const ids = Array.from({ length: 12 }, (_, i) => `many-${i}`);
      const results = await Promise.all(ids.map((id) => record(id)));
      const landed = ids.filter((_, i) => results[i]!.status === 201);
      const refused = ids.filter((_, i) => results[i]!.status === 409);
      expect(landed.length + refused.length).toBe(ids.length);
      // A writer refused after MAX_ATTEMPTS tries saw that many others land in between.
      if (refused.length > 0) expect(landed.length).toBeGreaterThanOrEqual(MAX_ATTEMPTS);
      const after = (await stored()).slice(revision + 1);
      // Exactly the ones answered 201, each once, at the revision each was told, one after another.
      expect(after.map((e) => e.activityId).sort()).toEqual([...landed].sort());
      expect(after.map((e) => e.revision)).toEqual(landed.map((_, i) => revision + 1 + i));
      for (const [i, id] of ids.entries()) {
        if (results[i]!.status !== 201) continue;
        expect(after.find((e) => e.activityId === id)?.revision).toBe(
          results[i]!.body.streamRevision,
        );
      }
      const read = await http().get(PROMISE).set(bearer(officer)).expect(200);
      const listed = (read.body.activities as { activityId: string }[]).map((a) => a.activityId);
      expect(listed).toEqual(expect.arrayContaining([...few, ...landed]));
      for (const id of refused) expect(listed).not.toContain(id);
    });
  });
});
