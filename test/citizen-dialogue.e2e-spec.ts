import { Logger, type LoggerService } from '@nestjs/common';
import { RetentionJob } from '../apps/api/src/retention/retention.job';
import { seedActors } from '../apps/api/src/seed/seed-step';
import { swedishDate } from '../libs/domain/src/calendar';
import { EVENT_STORE, type EventStore } from '../libs/event-store/src/event-store.port';
import type { SqlEventStore } from '../libs/event-store/src/sql/sql-event-store';
import { bearer, embeddedApi } from './support/api-harness';

/**
 * "Här känner jag mig otrygg": a resident picks a registered place and a category, no free
 * text, no sign-in; the submission waits in a table (not the log) until the municipality's
 * safety coordinator accepts it into the situation picture (only then an event) or rejects it.
 */
const { safetyCoordinator, policeOfficer } = seedActors;
const PLACE = 'lillangshamnen';
const today = swedishDate(new Date());

const sqlOf = (store: EventStore) => (store as SqlEventStore).sqlClient;

describe('citizen dialogue: places where residents feel unsafe, on the seeded embedded store', () => {
  const { http, app } = embeddedApi({
    SAMVERKAN_SEED: 'auto',
    SAMVERKAN_CITIZEN_DIALOGUE_RATE_LIMIT: '100',
  });
  const api = (path: string) => `/api${path}`;
  const head = async () => (await app().get<EventStore>(EVENT_STORE).status()).headPosition;
  const waiting = async () =>
    (
      await http()
        .get(api('/citizen-dialogue/submissions?limit=100'))
        .set(bearer(safetyCoordinator))
        .expect(200)
    ).body.items as { placeId: string; category: string; count: number }[];

  it('lists the registered places without sign-in: name and position only', async () => {
    const res = await http().get(api('/public/places')).expect(200);
    const items = res.body.items as Record<string, unknown>[];
    expect(items.length).toBeGreaterThan(5);
    const harbour = items.find((p) => p['placeId'] === PLACE)!;
    expect(Object.keys(harbour).sort()).toEqual(['name', 'placeId', 'position']);
    expect(Object.keys(harbour['position'] as object).sort()).toEqual(['latitude', 'longitude']);
  });

  it('takes a resident\'s "otrygg" at a place and category, with a receipt and no event', async () => {
    const before = await head();
    const res = await http()
      .post(api('/public/unsafe-places'))
      .send({ placeId: PLACE, category: 'poor-lighting' })
      .expect(202);
    expect(res.body).toEqual({
      receivedOn: today,
      placeId: PLACE,
      placeName: 'Lillängshamnen',
      category: 'poor-lighting',
      keptDays: 30,
    });
    expect(await head()).toBe(before);
    expect(await waiting()).toEqual([
      {
        placeId: PLACE,
        placeName: 'Lillängshamnen',
        category: 'poor-lighting',
        count: 1,
        firstReceivedOn: today,
        lastReceivedOn: today,
      },
    ]);
  });

  it('refuses an unknown place or category with 422 and stores nothing; free text is no field', async () => {
    const before = await waiting();
    const unknownPlace = await http()
      .post(api('/public/unsafe-places'))
      .send({ placeId: 'skogsvagen-3', category: 'poor-lighting' })
      .expect(422);
    expect(unknownPlace.body.code).toBe('CITIZEN_DIALOGUE.UNKNOWN_PLACE');
    const unknownCategory = await http()
      .post(api('/public/unsafe-places'))
      .send({ placeId: PLACE, category: 'min granne' })
      .expect(422);
    expect(unknownCategory.body.code).toBe('CITIZEN_DIALOGUE.UNKNOWN_CATEGORY');
    await http()
      .post(api('/public/unsafe-places'))
      .send({ placeId: PLACE, category: 'drugs', text: 'Han i blå jacka' })
      .expect(400);
    expect(await waiting()).toEqual(before);
    const rows = await sqlOf(app().get(EVENT_STORE)).query<{ n: number }>(
      'select count(*)::int as n from citizen_dialogue.submissions',
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('answers 401 without sign-in and 403 to anyone but the safety coordinator, before anything is shown', async () => {
    await http().get(api('/citizen-dialogue/submissions')).expect(401);
    const list = await http()
      .get(api('/citizen-dialogue/submissions'))
      .set(bearer(policeOfficer))
      .expect(403);
    expect(JSON.stringify(list.body)).not.toContain(PLACE);
    await http()
      .post(api(`/citizen-dialogue/submissions/${PLACE}/poor-lighting/rejection`))
      .set(bearer(policeOfficer))
      .expect(403);
    await http()
      .post(api(`/citizen-dialogue/submissions/${PLACE}/poor-lighting/acceptance`))
      .set(bearer(policeOfficer))
      .send(completion())
      .expect(403);
    expect((await waiting()).map((g) => g.count)).toEqual([1]);
  });

  it('groups waiting submissions by place and category with a count, newest first, paged', async () => {
    for (const [placeId, category] of [
      [PLACE, 'poor-lighting'],
      ['skoghall-centrum', 'disorder'],
      ['skoghall-centrum', 'disorder'],
      ['skoghall-centrum', 'disorder'],
    ]) {
      await http().post(api('/public/unsafe-places')).send({ placeId, category }).expect(202);
    }
    const first = await http()
      .get(api('/citizen-dialogue/submissions?limit=1'))
      .set(bearer(safetyCoordinator))
      .expect(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({ placeId: PLACE, category: 'poor-lighting', count: 2 }),
    ]);
    const second = await http()
      .get(api(`/citizen-dialogue/submissions?limit=1&cursor=${first.body.nextCursor}`))
      .set(bearer(safetyCoordinator))
      .expect(200);
    expect(second.body).toEqual({
      items: [
        expect.objectContaining({
          placeId: 'skoghall-centrum',
          placeName: 'Skoghall centrum',
          category: 'disorder',
          count: 3,
        }),
      ],
      nextCursor: null,
    });
  });

  it('keeps the submissions waiting when the report is refused (a period ending after today)', async () => {
    const before = await head();
    await http()
      .post(api(`/citizen-dialogue/submissions/${PLACE}/poor-lighting/acceptance`))
      .set(bearer(safetyCoordinator))
      .send(completion({ period: { from: today, to: '2999-12-31' } }))
      .expect(422);
    expect(await head()).toBe(before);
    expect(await waiting()).toContainEqual(
      expect.objectContaining({ placeId: PLACE, category: 'poor-lighting', count: 2 }),
    );
  });

  it('accepts a group into the situation picture as a report from citizen dialogue, once, and deletes it', async () => {
    const send = () =>
      http()
        .post(api(`/citizen-dialogue/submissions/${PLACE}/poor-lighting/acceptance`))
        .set(bearer(safetyCoordinator))
        .set('Idempotency-Key', 'accept-harbour-lighting-1')
        .send(completion());
    const accepted = await send().expect(201);
    expect(accepted.body).toMatchObject({ accepted: 2, id: expect.any(String) });
    const again = await send().expect(201);
    expect(again.body.id).toBe(accepted.body.id);
    const report = await http()
      .get(api(`/situation-reports/${accepted.body.id as string}`))
      .set(bearer(policeOfficer))
      .expect(200);
    expect(report.body).toMatchObject({
      status: 'reported',
      reportingAgency: 'municipality',
      placeIds: [PLACE],
      source: 'citizen-dialogue',
      sensitivity: 'open',
      problemArea: 'vandalism-burglary',
      description: 'Två invånare känner sig otrygga vid Lillängshamnen: dålig belysning.',
    });
    expect(await waiting()).not.toContainEqual(expect.objectContaining({ placeId: PLACE }));
    await send().expect(201); // the same key: the first answer, nothing more
    await http()
      .post(api(`/citizen-dialogue/submissions/${PLACE}/poor-lighting/acceptance`))
      .set(bearer(safetyCoordinator))
      .send(completion())
      .expect(404);
  });

  it('rejects a group: deleted, and no event', async () => {
    const before = await head();
    const res = await http()
      .post(api('/citizen-dialogue/submissions/skoghall-centrum/disorder/rejection'))
      .set(bearer(safetyCoordinator))
      .expect(200);
    expect(res.body).toEqual({ rejected: 3 });
    expect(await head()).toBe(before);
    expect(await waiting()).toEqual([]);
    await http()
      .post(api('/citizen-dialogue/submissions/skoghall-centrum/disorder/rejection'))
      .set(bearer(safetyCoordinator))
      .expect(404);
  });

  it('deletes submissions older than their days when gallring runs', async () => {
    await http()
      .post(api('/public/unsafe-places'))
      .send({ placeId: PLACE, category: 'traffic' })
      .expect(202);
    const job = app().get(RetentionJob);
    expect((await job.run(new Date(Date.now() + 29 * 86_400_000)))?.submissionsDeleted).toBe(0);
    expect(await waiting()).toHaveLength(1);
    expect((await job.run(new Date(Date.now() + 32 * 86_400_000)))?.submissionsDeleted).toBe(1);
    expect(await waiting()).toEqual([]);
  });
});

describe('citizen dialogue: the client address is counted as a daily digest, never stored or logged', () => {
  const ADDRESS = '198.51.100.231';
  const { http, app } = embeddedApi({
    SAMVERKAN_SEED: 'auto',
    SAMVERKAN_TRUST_PROXY: 'loopback',
    SAMVERKAN_CITIZEN_DIALOGUE_RATE_LIMIT: '3',
  });
  const lines: string[] = [];
  const capture: LoggerService = {
    log: (...m: unknown[]) => void lines.push(m.map(String).join(' ')),
    error: (...m: unknown[]) => void lines.push(m.map(String).join(' ')),
    warn: (...m: unknown[]) => void lines.push(m.map(String).join(' ')),
    debug: (...m: unknown[]) => void lines.push(m.map(String).join(' ')),
    verbose: (...m: unknown[]) => void lines.push(m.map(String).join(' ')),
  };
  beforeAll(() => {
    Logger.overrideLogger(capture);
  });
  afterAll(() => {
    Logger.overrideLogger(false);
  });

  const post = (address: string) =>
    http()
      .post('/api/public/unsafe-places')
      .set('X-Forwarded-For', address)
      .send({ placeId: PLACE, category: 'threats-violence' });

  it('limits submissions per address under their own limit: another address goes on', async () => {
    for (let i = 0; i < 3; i++) await post(ADDRESS).expect(202);
    const refused = await post(ADDRESS).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await post('198.51.100.232').expect(202);
    // The other public routes keep their own count.
    await http().get('/api/public/places').set('X-Forwarded-For', ADDRESS).expect(200);
    // A failed sign-in and a refusal from the address, for the security log.
    await http()
      .get('/api/worklist')
      .set('X-Forwarded-For', ADDRESS)
      .set('Authorization', 'Bearer not-a-token')
      .expect(401);
  });

  it('holds the address in no table of the database and no log line', async () => {
    const sql = sqlOf(app().get(EVENT_STORE));
    // The refusals are logged as they are answered: wait for the entries rather than race them.
    for (let i = 0; i < 50; i++) {
      const [row] = await sql.query<{ n: number }>(
        "select count(*)::int as n from security_log.entries where kind in ('rate-limited', 'authentication-failed')",
      );
      if (row!.n >= 2) break;
      await new Promise((r) => setTimeout(r, 40));
    }
    const tables = await sql.query<{ table_schema: string; table_name: string }>(
      `select table_schema, table_name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    expect(tables.map((t) => `${t.table_schema}.${t.table_name}`)).toEqual(
      expect.arrayContaining([
        'rate_limits.windows',
        'security_log.entries',
        'citizen_dialogue.submissions',
      ]),
    );
    const holding: string[] = [];
    for (const { table_schema, table_name } of tables) {
      const [row] = await sql.query<{ n: number }>(
        `select count(*)::int as n from "${table_schema}"."${table_name}" t
          where t::text like '%' || $1 || '%'`,
        [ADDRESS],
      );
      if (row!.n > 0) holding.push(`${table_schema}.${table_name}`);
    }
    expect(holding).toEqual([]);
    // What is there instead: a digest under the form's own counter, and in the security log.
    const keys = await sql.query<{ key: string }>('select key from rate_limits.windows');
    expect(keys.map((k) => k.key)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^unsafe-place:[A-Za-z0-9_-]{22}$/)]),
    );
    const entries = await sql.query<{ kind: string; address: string }>(
      'select kind, address from security_log.entries',
    );
    expect(entries).toEqual(
      expect.arrayContaining([
        { kind: 'rate-limited', address: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) },
      ]),
    );
    expect(lines.join('\n')).not.toContain(ADDRESS);
  });
});

function completion(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    problemArea: 'vandalism-burglary',
    period: { from: today, to: today },
    trend: 'stable',
    severity: 'medium',
    description: 'Två invånare känner sig otrygga vid Lillängshamnen: dålig belysning.',
    ...overrides,
  };
}
