import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Actor } from '../libs/domain/src/actor';
import { isoWeekOf, swedishDate } from '../libs/domain/src/calendar';
import {
  EVENT_STORE,
  type EventStore,
  type RecordedEvent,
} from '../libs/event-store/src/event-store.port';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import { ProjectionDaemon } from '../libs/projections/src/projection-daemon';
import { bearer, grantUsers, startApi, TEST_SECRET } from './support/api-harness';

/**
 * Lists and worklists through the HTTP API on the Hammarö demo data, on both stores: keyset
 * paging, filters and their refusals, the access policy deciding each item before it is
 * returned (restricted reports counted, never shown without a purpose; talks only to those
 * taking part, each read logged), the worklist following a finding until it is addressed, and
 * the EST picture exact for partners and blurred for a housing company.
 */

const coordinator: Actor = {
  userId: 'trygghetssamordnare',
  agency: 'municipality',
  role: 'safety-coordinator',
};
const kommunpolis: Actor = {
  userId: 'kommunpolis.hammaro',
  agency: 'police',
  role: 'municipal-police-officer',
};
const socialWorker: Actor = {
  userId: 'socialsekreterare.ungdom',
  agency: 'social-services',
  role: 'social-worker',
};
const fieldWorker: Actor = {
  userId: 'faltare.hammaro',
  agency: 'social-services',
  role: 'field-worker',
};
const studentHealth: Actor = {
  userId: 'elevhalsa.mormo',
  agency: 'school',
  role: 'student-health',
};
const principal: Actor = { userId: 'rektor.hammarlunden', agency: 'school', role: 'principal' };
const youthWorker: Actor = { userId: 'fritidsledare', agency: 'leisure', role: 'youth-worker' };
const guard: Actor = {
  userId: 'vaktare.hammaro',
  agency: 'municipal-security',
  role: 'security-guard',
};
const housing: Actor = {
  userId: 'hammarobostader',
  agency: 'housing-company',
  role: 'property-manager',
};
const rescue: Actor = { userId: 'rtj.1', agency: 'rescue-service', role: 'rescue-officer' };
/** Every actor the suite signs in as, granted in the register before the first request. */
const ACTORS: readonly Actor[] = [
  coordinator,
  kommunpolis,
  socialWorker,
  fieldWorker,
  studentHealth,
  principal,
  youthWorker,
  guard,
  housing,
  rescue,
];

const RESTRICTED_REPORT = '2024-09-school-hammarlunden';
const SEED_TALK = 'sspf-2024-001';
const PURPOSE = 'SSPF-möte om uppföljning';

interface Started {
  app: INestApplication;
  http: Awaited<ReturnType<typeof startApi>>['http'];
  close: () => Promise<void>;
}

interface Problem {
  errors: { path: string; reason: string }[];
}
const paths = (body: unknown) => (body as Problem).errors.map((e) => e.path);

function listsScenario(describeOn: jest.Describe, name: string, start: () => Promise<Started>) {
  describeOn(`lists and worklists on the Hammarö demo data (${name})`, () => {
    let started: Started | undefined;
    let store: EventStore;
    const api = () => started!.http();
    const thisWeek = isoWeekOf(swedishDate(new Date()));

    beforeAll(async () => {
      started = await start();
      store = started.app.get<EventStore>(EVENT_STORE);
      await grantUsers(started.app, ACTORS);
      // The seed is in the log; its read models catch up in the background.
      const head = (await store.status()).headPosition;
      expect(head).toBeGreaterThan(100);
      expect(await started.app.get(ProjectionDaemon).waitFor(head, 120_000)).toBe(true);
    });

    afterAll(async () => {
      await started?.close();
    });

    /** GET with a bearer token; the body typed loosely, as a client reads JSON. */
    const get = async (actor: Actor, path: string, status = 200) => {
      const res = await api().get(path).set(bearer(actor)).expect(status);
      return res.body as Record<string, unknown> & { items: Record<string, unknown>[] };
    };

    /** Every page of a list, following nextCursor; the ids in the order given. */
    const everyPage = async (
      actor: Actor,
      path: string,
      id: (item: Record<string, unknown>) => string,
    ) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const body = await get(
          actor,
          `${path}${sep}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(body.items.length).toBeLessThanOrEqual(2);
        ids.push(...body.items.map(id));
        cursor = body['nextCursor'] as string | null;
        pages += 1;
      } while (cursor !== null && pages < 100);
      return { ids, pages };
    };

    const readsLogged = async (streamId: string): Promise<RecordedEvent[]> => {
      const events: RecordedEvent[] = [];
      const day = new Date().toISOString().slice(0, 10);
      for await (const e of store.readStream(`read-access-${day}`)) {
        if (e.type === 'RestrictedDataRead' && e.data['streamId'] === streamId) events.push(e);
      }
      return events;
    };

    const findingId = (f: Record<string, unknown>) =>
      `${String(f['walkId'])}/${String(f['findingId'])}`;

    it('pages through every finding two at a time, none twice and none lost', async () => {
      // More findings than the seed's four, so that pages and found-on dates repeat.
      let position = 0;
      for (let i = 0; i < 5; i++) {
        const res = await api()
          .post('/findings')
          .set(bearer(housing))
          .send({
            findingId: `paging-${i}`,
            placeIds: ['innergard-skoghall-centrum'],
            kind: 'littering',
            description: `Skräp vid soprummet ${i}`,
            responsibleParty: i % 2 ? 'municipality' : 'housing-company',
            reportedOn: i < 3 ? '2024-11-20' : '2024-11-21',
          })
          .expect(201);
        position = (res.body as { globalPosition: number }).globalPosition;
      }
      const all = await get(coordinator, `/findings?limit=100&waitFor=${position}`);
      expect(all['nextCursor']).toBeNull();
      expect(all.items).toHaveLength(4 + 5);
      const { ids, pages } = await everyPage(coordinator, '/findings', findingId);
      expect(pages).toBe(5);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(all.items.map(findingId));
      // Newest first.
      const foundOn = all.items.map((f) => String(f['foundOn']));
      expect([...foundOn].sort().reverse()).toEqual(foundOn);
    });

    it('pages situation reports, walks and promises the same way', async () => {
      const reports = await everyPage(youthWorker, '/situation-reports', (r) =>
        String(r['reportId']),
      );
      // Four reports in the seed, one restricted to others than leisure.
      expect(reports.ids.sort()).toEqual([
        '2024-09-guards-harbours',
        '2024-09-leisure-youth',
        '2024-09-police-centre',
      ]);
      const walks = await everyPage(housing, '/safety-walks', (w) => String(w['walkId']));
      expect(walks.ids).toEqual(['trygghetsvandring-2024']);
      const promises = await everyPage(youthWorker, '/promises', (p) => String(p['promiseId']));
      expect(promises.ids).toEqual(['hammaro-2023-2025']);
      const list = await get(youthWorker, '/promises?from=2024-01-01&to=2024-12-31');
      expect(list.items).toEqual([
        {
          promiseId: 'hammaro-2023-2025',
          title: expect.any(String),
          municipality: 'Hammarö kommun',
          period: { from: '2023-01-01', to: '2025-12-31' },
          status: 'in_force',
        },
      ]);
      expect((await get(youthWorker, '/promises?from=2030-01-01')).items).toEqual([]);
    });

    it('refuses a bad cursor, a cursor of another list, a limit over 100 and unknown filters (400 naming each)', async () => {
      expect(paths(await get(coordinator, '/findings?cursor=not-a-cursor', 400))).toEqual([
        'query cursor',
      ]);
      const first = await get(coordinator, '/findings?limit=1');
      const cursor = encodeURIComponent(String(first['nextCursor']));
      // A findings cursor has three parts; a walk's has two.
      expect(paths(await get(coordinator, `/safety-walks?cursor=${cursor}`, 400))).toEqual([
        'query cursor',
      ]);
      expect(paths(await get(coordinator, '/findings?limit=101', 400))).toEqual(['query limit']);
      expect(paths(await get(coordinator, '/findings?state=open', 400))).toEqual(['query state']);
      expect(
        paths(await get(coordinator, '/findings?status=done&agency=nobody&from=2024-13-01', 400)),
      ).toEqual(['query status', 'query agency', 'query from']);
      expect(paths(await get(coordinator, '/findings?areaId=no-such-area', 400))).toEqual([
        'query areaId',
      ]);
    });

    it('bounds every from/to to five years (400 naming from and to)', async () => {
      for (const path of [
        '/findings',
        '/situation-reports',
        '/safety-walks',
        '/promises',
        '/prevention-talks?purpose=granskning',
      ]) {
        const sep = path.includes('?') ? '&' : '?';
        expect(
          paths(await get(socialWorker, `${path}${sep}from=2020-01-01&to=2025-06-01`, 400)),
        ).toEqual(['query from', 'query to']);
        expect(
          paths(await get(socialWorker, `${path}${sep}from=2024-02-01&to=2024-01-01`, 400)),
        ).toEqual(['query from', 'query to']);
      }
      expect(
        paths(await get(coordinator, '/situation-picture/est?from=2019-W01&to=2024-W40', 400)),
      ).toEqual(['query from', 'query to']);
    });

    it('filters findings by status, responsible party, place, area and day found', async () => {
      const ids = async (query: string) =>
        (await get(coordinator, `/findings?limit=100&${query}`)).items.map(findingId).sort();
      expect(await ids('status=addressed')).toEqual([
        'null/entrance-lighting-2024-10',
        'trygghetsvandring-2024/lighting-path',
        'trygghetsvandring-2024/vegetation-courtyard',
      ]);
      expect(await ids('status=open&agency=municipality')).toEqual([
        'null/paging-1',
        'null/paging-3',
        'trygghetsvandring-2024/vandalism-harbour',
      ]);
      expect(await ids('placeId=lillangshamnen')).toEqual([
        'trygghetsvandring-2024/vandalism-harbour',
      ]);
      // Lillängshamnen and the path to it lie in Skoghall centrum; so does the courtyard.
      expect(await ids('areaId=skoghall-centrum&from=2024-09-01&to=2024-10-31')).toEqual([
        'null/entrance-lighting-2024-10',
        'trygghetsvandring-2024/lighting-path',
        'trygghetsvandring-2024/vandalism-harbour',
        'trygghetsvandring-2024/vegetation-courtyard',
      ]);
      expect(await ids('areaId=hammaro')).toEqual([]);
    });

    it('lists walks with their findings, filtered by period, area and status', async () => {
      const walks = await get(
        housing,
        '/safety-walks?status=conducted&areaId=skoghall-centrum&from=2024-09-01&to=2024-09-30',
      );
      expect(walks.items).toEqual([
        expect.objectContaining({
          walkId: 'trygghetsvandring-2024',
          status: 'conducted',
          conductedOn: '2024-09-24',
          residentsTakingPart: 17,
          invitedParties: ['police', 'rescue-service', 'housing-company'],
        }),
      ]);
      const findings = walks.items[0]!['findings'] as Record<string, unknown>[];
      expect(findings.map((f) => [f['findingId'], f['status']]).sort()).toEqual([
        ['lighting-path', 'addressed'],
        ['vandalism-harbour', 'open'],
        ['vegetation-courtyard', 'addressed'],
      ]);
      expect((await get(housing, '/safety-walks?status=planned')).items).toEqual([]);
      expect((await get(housing, '/safety-walks?from=2025-01-01')).items).toEqual([]);
    });

    it('filters situation reports by period, place, area, problem area, agency and status', async () => {
      const ids = async (query: string) =>
        (await get(kommunpolis, `/situation-reports?${query}`)).items
          .map((r) => String(r['reportId']))
          .sort();
      expect(await ids('problemArea=alcohol-drug-crime')).toEqual([
        '2024-09-leisure-youth',
        '2024-09-police-centre',
      ]);
      expect(await ids('agency=municipal-security')).toEqual(['2024-09-guards-harbours']);
      expect(await ids('placeId=skoghall-centrum')).toEqual(['2024-09-police-centre']);
      // Lillängshamnen lies in Skoghall centrum.
      expect(await ids('areaId=skoghall-centrum')).toEqual([
        '2024-09-guards-harbours',
        '2024-09-police-centre',
      ]);
      expect(await ids('status=retracted')).toEqual([]);
      expect(await ids('from=2024-10-01&to=2024-12-31')).toEqual([]);
      expect(paths(await get(kommunpolis, '/situation-reports?status=open', 400))).toEqual([
        'query status',
      ]);
    });

    it('leaves a restricted report out without a purpose, without a count a filter could narrow; shows it to an agency it is shared with, with a purpose, logged first', async () => {
      for (const reader of [youthWorker, kommunpolis]) {
        const list = await get(reader, '/situation-reports?limit=100');
        expect(list.items.map((r) => r['reportId'])).not.toContain(RESTRICTED_REPORT);
        expect(JSON.stringify(list)).not.toContain('Klotter och krossade fönster');
        expect(list).not.toHaveProperty('restrictedNotShown');
      }
      // Leisure is not among those the school named: a purpose changes nothing for it.
      const leisure = await get(
        youthWorker,
        `/situation-reports?purpose=${encodeURIComponent(PURPOSE)}`,
      );
      expect(leisure.items.map((r) => r['reportId'])).not.toContain(RESTRICTED_REPORT);
      expect(await readsLogged(`situation-report-${RESTRICTED_REPORT}`)).toEqual([]);

      const res = await api()
        .get(`/situation-reports?purpose=${encodeURIComponent(PURPOSE)}`)
        .set(bearer(kommunpolis))
        .expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const shared = res.body as { items: Record<string, unknown>[] };
      expect(shared.items.find((r) => r['reportId'] === RESTRICTED_REPORT)).toMatchObject({
        sensitivity: 'restricted',
        description: expect.stringContaining('Klotter'),
        places: [{ placeId: 'hammarlundens-skola', name: 'Hammarlundens skola' }],
      });
      const logged = await readsLogged(`situation-report-${RESTRICTED_REPORT}`);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        actor: { agency: 'police', userId: kommunpolis.userId },
        data: { purpose: PURPOSE, resourceKind: 'situation-report' },
      });
      // Outside the partnership, not even a count: refused by the access policy, not at sign-in.
      expect((await get(housing, '/situation-reports', 403))['code']).toBe('ACCESS.NEED_TO_KNOW');
    });

    it('lists no talk, and hints at none, to an agency or role not taking part; lists the seed talk to a participant with a purpose, logged with its ground', async () => {
      expect(paths(await get(studentHealth, '/prevention-talks', 400))).toEqual(['query purpose']);
      for (const reader of [housing, principal, fieldWorker, youthWorker]) {
        const list = await get(reader, `/prevention-talks?purpose=${encodeURIComponent(PURPOSE)}`);
        expect(list).toEqual({ items: [], nextCursor: null });
      }
      expect(await readsLogged(`prevention-talk-${SEED_TALK}`)).toEqual([]);
      const res = await api()
        .get(`/prevention-talks?purpose=${encodeURIComponent(PURPOSE)}&status=held`)
        .set(bearer(studentHealth))
        .expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const list = res.body as { items: Record<string, unknown>[] };
      expect(list.items).toEqual([
        {
          talkId: SEED_TALK,
          plannedFor: '2024-10-03',
          heldOn: '2024-10-03',
          status: 'held',
          legalBasis: 'consent',
          legalGround: 'samtycke (OSL 12 kap. 2 §)',
          participants: [
            { agency: 'social-services', role: 'social-worker' },
            { agency: 'police', role: 'municipal-police-officer' },
            { agency: 'school', role: 'student-health' },
          ],
          agreedFollowUps: [
            { responsibleAgency: 'social-services', dueOn: '2024-10-31' },
            { responsibleAgency: 'school', dueOn: '2024-11-15' },
          ],
          closed: false,
        },
      ]);
      // Nothing personal in the list: no subject, purpose, outcome or agreed action.
      expect(JSON.stringify(list)).not.toMatch(
        /SOC-7F3K9Q|Förebyggande samtal|Överens om|Introduktion/,
      );
      const logged = await readsLogged(`prevention-talk-${SEED_TALK}`);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        actor: { agency: 'school', role: 'student-health' },
        data: {
          purpose: PURPOSE,
          resourceKind: 'prevention-talk',
          legalGround: 'samtycke (OSL 12 kap. 2 §)',
        },
      });
      expect(
        (
          await get(
            studentHealth,
            `/prevention-talks?purpose=${encodeURIComponent(PURPOSE)}&status=closed`,
          )
        ).items,
      ).toEqual([]);
    });

    it('puts a new finding on the housing company’s worklist, and takes it off once the company has addressed it', async () => {
      const reported = await api()
        .post('/findings')
        .set(bearer(kommunpolis))
        .send({
          findingId: 'broken-door-2024',
          placeIds: ['innergard-skoghall-centrum'],
          kind: 'vandalism',
          description: 'Trasig port till cykelrummet.',
          responsibleParty: 'housing-company',
          reportedOn: '2024-11-25',
        })
        .expect(201);
      const at = (reported.body as { globalPosition: number }).globalPosition;
      const before = await get(housing, `/worklist?waitFor=${at}`);
      const open = before['findings'] as { items: Record<string, unknown>[]; total: number };
      expect(open.items.map((f) => f['findingId'])).toContain('broken-door-2024');
      expect(open.items.every((f) => f['responsibleParty'] === 'housing-company')).toBe(true);
      expect(open.total).toBe(open.items.length);
      // Not the police's to do, though the police reported it.
      const police = await get(kommunpolis, `/worklist?waitFor=${at}`);
      expect(
        (police['findings'] as { items: Record<string, unknown>[] }).items.map(
          (f) => f['findingId'],
        ),
      ).not.toContain('broken-door-2024');

      const addressed = await api()
        .post('/findings/broken-door-2024/addressed')
        .set(bearer(housing))
        .send({ addressedOn: '2024-11-26', action: 'Porten lagad.' })
        .expect(201);
      const after = await get(
        housing,
        `/worklist?waitFor=${(addressed.body as { globalPosition: number }).globalPosition}`,
      );
      expect(
        (after['findings'] as { items: Record<string, unknown>[] }).items.map(
          (f) => f['findingId'],
        ),
      ).not.toContain('broken-door-2024');
      const done = await get(
        housing,
        `/findings?status=addressed&agency=housing-company&limit=100`,
      );
      expect(done.items.find((f) => f['findingId'] === 'broken-door-2024')).toMatchObject({
        status: 'addressed',
        addressedOn: '2024-11-26',
        action: 'Porten lagad.',
      });
    });

    it('lists talk follow-ups due to a participant with a purpose, counts them without one, and only counts them for others', async () => {
      const withoutPurpose = await get(socialWorker, '/worklist');
      expect(withoutPurpose['talkFollowUpsDue']).toEqual([]);
      expect(withoutPurpose['talkFollowUpsDueUnlisted']).toBe(1);
      const withPurpose = await get(
        socialWorker,
        `/worklist?purpose=${encodeURIComponent(PURPOSE)}`,
      );
      expect(withPurpose['talkFollowUpsDue']).toEqual([
        {
          talkId: SEED_TALK,
          responsibleAgency: 'social-services',
          dueOn: '2024-10-31',
          overdue: true,
        },
      ]);
      expect(withPurpose['otherTalkFollowUpsDue']).toBe(0);
      // Social services in another role: not in the talk, so only a blurred count.
      const other = await get(fieldWorker, `/worklist?purpose=${encodeURIComponent(PURPOSE)}`);
      expect(other['talkFollowUpsDue']).toEqual([]);
      expect(other['otherTalkFollowUpsDue']).toBe('fewer than 5');
      expect(JSON.stringify(other)).not.toContain(SEED_TALK);
    });

    it('shows EST counts exactly to a partner and blurred to the housing company, and refuses an agency that neither partners nor reports', async () => {
      const query = '/situation-picture/est?from=2024-W33&to=2024-W40&areaId=skoghall-centrum';
      const cell = (body: Record<string, unknown>) =>
        (body['weeks'] as Record<string, unknown>[]).find(
          (w) => w['week'] === '2024-W33' && w['category'] === 'vandalism',
        );
      const partner = await get(coordinator, query);
      expect(partner).toMatchObject({
        fromWeek: '2024-W33',
        toWeek: '2024-W40',
        precision: 'exact',
      });
      expect(cell(partner)).toEqual({
        week: '2024-W33',
        areaId: 'skoghall-centrum',
        category: 'vandalism',
        count: 1,
      });
      expect(partner['areas']).toEqual([{ areaId: 'skoghall-centrum', name: 'Skoghall centrum' }]);
      const blurred = await get(housing, query);
      expect(blurred['precision']).toBe('blurred');
      expect(cell(blurred)).toMatchObject({ count: 'fewer than 5' });
      expect(JSON.stringify(blurred)).not.toContain('changePercent');
      // Signed in with its role (granted), refused by the access policy.
      expect((await get(rescue, query, 403))['code']).toBe('ACCESS.NEED_TO_KNOW');
      // By default the last twelve weeks up to this one.
      const recent = await get(coordinator, '/situation-picture/est');
      expect(recent['toWeek']).toBe(thisWeek);
      expect(paths(await get(coordinator, '/situation-picture/est?from=2024-40', 400))).toEqual([
        'query from',
      ]);
    });

    it('puts an assigned EST place without this week’s count on the reporting agency’s worklist', async () => {
      const places = async (actor: Actor, waitFor = 0) =>
        (await get(actor, `/worklist?waitFor=${waitFor}`))['estPlacesWithoutCount'] as Record<
          string,
          unknown
        >[];
      expect(await places(guard)).toEqual([
        { placeId: 'hammarlundens-skola', name: 'Hammarlundens skola', week: thisWeek },
        { placeId: 'lillangshamnen', name: 'Lillängshamnen', week: thisWeek },
      ]);
      expect((await places(housing)).map((p) => p['placeId'])).toEqual([
        'innergard-skoghall-centrum',
      ]);
      const counted = await api()
        .post('/est/counts')
        .set(bearer(guard))
        .send({
          placeId: 'lillangshamnen',
          week: thisWeek,
          counts: {
            vandalism: 0,
            'gathering-places': 1,
            'unsafe-places': 0,
            'threats-to-staff': 0,
            rumours: 0,
            littering: 2,
            fires: 0,
          },
        })
        .expect(201);
      expect(
        (await places(guard, (counted.body as { globalPosition: number }).globalPosition)).map(
          (p) => p['placeId'],
        ),
      ).toEqual(['hammarlundens-skola']);
    });

    it('gives the safety coordinator, and only the coordinator, the places the register does not know', async () => {
      // What the API no longer lets in: a walk recorded before the register (its free-text
      // place matched nothing) and a finding naming a place id the register does not hold.
      await store.append(
        'safety-walk-legacy-2021',
        [
          {
            type: 'SafetyWalkPlanned',
            schemaVersion: 1,
            data: {
              walkId: 'legacy-2021',
              area: 'Skoghall centrum',
              route: ['Gamla bryggan'],
              plannedOn: '2021-09-20',
              invitedParties: ['police'],
            },
          },
        ],
        { expectedRevision: 'no_stream', actor: coordinator },
      );
      const appended = await store.append(
        'finding-old-place',
        [
          {
            type: 'FindingReported',
            data: {
              findingId: 'old-place',
              placeIds: ['rivna-kiosken'],
              kind: 'littering',
              description: 'Skräp där kiosken stod.',
              responsibleParty: 'municipality',
              reportedOn: '2024-11-01',
              reportingAgency: 'municipality',
            },
          },
        ],
        { expectedRevision: 'no_stream', actor: coordinator },
      );
      const list = await get(coordinator, `/worklist?waitFor=${appended.globalPosition}`);
      expect(list['unknownPlaces']).toEqual({
        items: [
          { source: 'finding', id: 'old-place', placeId: 'rivna-kiosken' },
          { source: 'safety-walk', id: 'legacy-2021', unresolvedPlace: 'Gamla bryggan' },
        ],
        total: 2,
        restrictedNotShown: 0,
      });
      expect(await get(kommunpolis, '/worklist')).not.toHaveProperty('unknownPlaces');
      // Commitments behind are the carrying agency's: the police's are police or joint ones.
      const behind = (await get(kommunpolis, '/worklist'))['commitmentsBehind'] as Record<
        string,
        unknown
      >[];
      expect(behind.every((c) => c['owner'] === 'police' || c['owner'] === 'joint')).toBe(true);
    });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'samverkan-lists-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
listsScenario(describe, 'embedded store', async () => {
  const { app, http, restore } = await startApi({
    DATABASE_URL: undefined,
    SAMVERKAN_DATA_DIR: dataDir,
    SAMVERKAN_SEED: 'auto',
    SAMVERKAN_JWT_SECRET: TEST_SECRET,
    SAMVERKAN_API_KEYS: undefined,
  });
  return {
    app,
    http,
    close: async () => {
      await app.close();
      restore();
    },
  };
});

const pg = requirePostgres('the lists and worklists suite on PostgreSQL');
const databases = new TestDatabases(pg.url);
listsScenario(pg.describe, 'PostgreSQL', async () => {
  const { app, http, restore } = await startApi({
    DATABASE_URL: await databases.create(),
    SAMVERKAN_SEED: 'auto',
    SAMVERKAN_JWT_SECRET: TEST_SECRET,
    SAMVERKAN_API_KEYS: undefined,
  });
  return {
    app,
    http,
    close: async () => {
      await app.close();
      restore();
      await databases.dropAll();
    },
  };
});
