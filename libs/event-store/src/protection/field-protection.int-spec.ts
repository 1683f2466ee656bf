import { randomBytes } from 'node:crypto';
import { uuidv7 } from '@samverkan/shared/ids';
import { createEmbeddedEventStore } from '../embedded/embedded-event-store';
import type { EventStore, JsonObject, RecordedEvent } from '../event-store.port';
import { createPostgresEventStore } from '../postgres/postgres-event-store';
import { requirePostgres, TestDatabases } from '../postgres/test-databases';
import type { SqlClient, SqlQueryable } from '../sql/sql-client';
import type { SqlEventStore } from '../sql/sql-event-store';
import {
  type EventToProtect,
  FieldProtection,
  recordKeyIdsOf,
  withholdProtected,
} from './field-protection';
import { MasterKeyRing } from './master-keys';
import { SqlDataKeys } from './sql-data-keys';

const K1 = `k1:${randomBytes(32).toString('base64')}`;
const K2 = `k2:${randomBytes(32).toString('base64')}`;
const actor = { userId: 'u-1', agency: 'social-services', role: 'social-worker' };

/** The client with every statement it is given recorded, to count round trips. */
function countingClient(client: SqlClient): { client: SqlClient; statements: string[] } {
  const statements: string[] = [];
  const counted: SqlClient = {
    query<Row extends object>(text: string, params?: readonly unknown[], name?: string) {
      statements.push(text);
      return client.query<Row>(text, params, name);
    },
    execScript: (sql) => client.execScript(sql),
    transaction: <T>(work: (tx: SqlQueryable) => Promise<T>) => client.transaction(work),
    close: () => client.close(),
  };
  return { client: counted, statements };
}

const talkStream = (id: string) => `prevention-talk-${id}`;

function plannedTalk(talkId: string, subjectRef: string): EventToProtect {
  return {
    eventId: uuidv7(),
    type: 'PreventionTalkPlanned',
    occurredAt: new Date('2024-09-20T08:00:00Z'),
    streamId: talkStream(talkId),
    data: {
      talkId,
      subjectRef,
      plannedFor: '2024-10-01',
      participants: [{ agency: 'social-services', role: 'social-worker' }],
      purpose: 'Oro för droger i skolan',
      legalGround: { basis: 'consent' },
    },
  };
}

function heldTalk(talkId: string): EventToProtect {
  return {
    eventId: uuidv7(),
    type: 'PreventionTalkHeld',
    occurredAt: new Date('2024-10-01T13:00:00Z'),
    streamId: talkStream(talkId),
    data: {
      heldOn: '2024-10-01',
      participants: [],
      guardiansPresent: true,
      outcome: 'Vill börja i fotbollslaget',
      agreedFollowUp: [
        { action: 'Kontakt med tränaren', responsibleAgency: 'leisure', dueOn: '2024-10-15' },
      ],
    },
  };
}

function report(reportId: string, description: string, correction?: string): EventToProtect {
  return {
    eventId: uuidv7(),
    type: correction ? 'SituationReportCorrected' : 'SituationReported',
    occurredAt: new Date('2024-09-10T08:00:00Z'),
    streamId: `situation-report-${reportId}`,
    data: {
      ...(correction ? { reason: correction } : { reportId, reportingAgency: 'police' }),
      placeIds: ['pl-skoghall'],
      problemArea: 'alcohol-drug-crime',
      period: { from: '2024-09-01', to: '2024-09-07' },
      trend: 'rising',
      severity: 'high',
      description,
      source: 'own-observation',
      sensitivity: 'restricted',
      sharedWith: ['social-services'],
    },
  };
}

function protectionContract(name: string, open: () => Promise<EventStore>): void {
  describe(`field protection on ${name}`, () => {
    let store: EventStore;
    let client: SqlClient;
    let keys: SqlDataKeys;
    let protection: FieldProtection;

    beforeAll(async () => {
      store = await open();
      await store.start();
      client = (store as SqlEventStore).sqlClient;
      keys = new SqlDataKeys(client, { masterKeys: MasterKeyRing.parse(K1) });
      await keys.start();
      protection = new FieldProtection(keys);
    });
    afterAll(async () => {
      await keys.close();
      await store.close();
    });

    /** What a store would do: protect at the page boundary in, reveal at the page boundary out. */
    async function append(events: EventToProtect[]): Promise<void> {
      const data = await protection.protect(events);
      await store.append(
        events[0]!.streamId!,
        events.map((e, i) => ({
          eventId: e.eventId,
          type: e.type,
          data: data[i]!,
          occurredAt: e.occurredAt,
        })),
        { expectedRevision: 'any', actor },
      );
    }
    async function stored(streamId: string): Promise<RecordedEvent[]> {
      const events: RecordedEvent[] = [];
      for await (const e of store.readStream(streamId)) events.push(e);
      return events;
    }
    async function read(streamId: string, by = protection): Promise<JsonObject[]> {
      const events = await stored(streamId);
      return by.reveal(events.map((e) => ({ eventId: e.eventId, data: e.data })));
    }

    it('stores only ciphertext of personal fields and reads the events back as written', async () => {
      const events = [plannedTalk('a', 'SOC-A-1'), heldTalk('a')];
      await append(events);
      const [{ text }] = (await client.query<{ text: string }>(
        `select string_agg(data::text, ' ') as text from event_store.events where stream_id = $1`,
        [talkStream('a')],
      )) as [{ text: string }];
      for (const secret of ['SOC-A-1', 'Oro för droger', 'fotbollslaget', 'tränaren']) {
        expect(text).not.toContain(secret);
      }
      // What is not personal stays in the clear, for projections and the access policy.
      expect(text).toContain('2024-10-01');
      expect(await read(talkStream('a'))).toEqual(events.map((e) => e.data));
    });

    it('costs an append no round trip once the pool is warm, and a page one query', async () => {
      const counted = countingClient(client);
      const countedKeys = new SqlDataKeys(counted.client, {
        masterKeys: MasterKeyRing.parse(K1),
        poolBatch: 64,
      });
      const countedProtection = new FieldProtection(countedKeys);
      try {
        await countedKeys.start();
        // The first take makes the pool: one statement for the next 64 events.
        await countedProtection.protect([report('warm-up', 'x')]);
        counted.statements.splice(0);
        const open = (i: number): EventToProtect => {
          const given = report(`p${i}`, `Grupp ${i}`);
          return { ...given, data: { ...given.data, sensitivity: 'open', sharedWith: [] } };
        };
        for (let i = 0; i < 20; i++) {
          const event = open(i);
          const [data] = await countedProtection.protect([event]);
          await store.append(
            event.streamId!,
            [
              {
                eventId: event.eventId,
                type: event.type,
                data: data!,
                occurredAt: event.occurredAt,
              },
            ],
            { expectedRevision: 'any', actor },
          );
        }
        expect(counted.statements).toEqual([]);

        const page: RecordedEvent[] = [];
        for await (const e of store.readAll({ filter: { streamPrefix: 'situation-report-p' } })) {
          page.push(e);
        }
        expect(page).toHaveLength(20);
        const revealed = await countedProtection.reveal(
          page.map((e) => ({ eventId: e.eventId, data: e.data })),
        );
        expect(counted.statements).toHaveLength(1);
        expect(revealed.map((d) => d['description'])).toEqual(
          Array.from({ length: 20 }, (_, i) => `Grupp ${i}`),
        );
      } finally {
        await countedKeys.close();
      }
    });

    it("erasure: destroying the subject's key leaves the log as it was and every text about them unreadable", async () => {
      await append([plannedTalk('b', 'SOC-B-1')]);
      await append([heldTalk('b')]);
      await append([plannedTalk('c', 'SOC-C-1')]);
      const before = (await stored(talkStream('b'))).map((e) => JSON.stringify(e.data));

      expect(await keys.destroySubject('SOC-B-1', 'corr-erasure')).toBe(1);

      expect((await stored(talkStream('b'))).map((e) => JSON.stringify(e.data))).toEqual(before);
      const [planned, held] = await read(talkStream('b'));
      expect(planned).toMatchObject({
        talkId: 'b',
        subjectRef: '[raderad]',
        purpose: '[raderad]',
        plannedFor: '2024-10-01',
      });
      expect(held).toMatchObject({
        outcome: '[raderad]',
        agreedFollowUp: [{ action: '[raderad]', dueOn: '2024-10-15' }],
      });
      // Another young person's talk is untouched.
      expect((await read(talkStream('c')))[0]).toMatchObject({ subjectRef: 'SOC-C-1' });
    });

    it("redaction: a correction destroys the earlier event's record key, and that text alone", async () => {
      await append([report('r', 'Namngiven person säljer narkotika')]);
      await append([
        report('r', 'Försäljning av narkotika vid skolan', 'Uppgift om person togs bort'),
      ]);
      const [first] = await stored('situation-report-r');
      const recordKeys = recordKeyIdsOf(first!.data);
      expect(await keys.destroy(recordKeys, 'redacted', 'corr-correction')).toBe(1);
      const [earlier, correction] = await read('situation-report-r');
      expect(earlier).toMatchObject({ description: '[borttagen vid rättelse]', trend: 'rising' });
      expect(correction).toMatchObject({
        description: 'Försäljning av narkotika vid skolan',
        reason: 'Uppgift om person togs bort',
      });
    });

    it('gallring: destroying the years before one makes older restricted reports read as gallrad', async () => {
      const old = {
        ...report('old', 'Gammal uppgift'),
        occurredAt: new Date('2019-05-01T08:00:00Z'),
      };
      await append([old]);
      await append([report('new', 'Ny uppgift')]);
      const gone = await keys.destroyPeriodsBefore('restricted-reports', 2020, 'corr-gallring');
      expect(gone.map((g) => g.year)).toEqual([2019]);
      expect((await read('situation-report-old'))[0]).toMatchObject({ description: '[gallrad]' });
      expect((await read('situation-report-new'))[0]).toMatchObject({ description: 'Ny uppgift' });
    });

    it('claim check: the stored data without its protected content, and where it was, needing no key', async () => {
      await append([heldTalk('e')]);
      const [event] = await stored(talkStream('e'));
      expect(withholdProtected(event!.data)).toEqual({
        data: expect.objectContaining({
          outcome: null,
          agreedFollowUp: [{ action: null, responsibleAgency: 'leisure', dueOn: '2024-10-15' }],
        }),
        withheld: ['outcome', 'agreedFollowUp[0].action'],
      });
    });

    // Last: the suite's key store holds k1 only, as a process not yet given the new ring.
    it('rotation: after rewrap, a process holding only the new master key reads everything', async () => {
      await append([plannedTalk('d', 'SOC-D-1'), heldTalk('d')]);
      const rotating = new SqlDataKeys(client, { masterKeys: MasterKeyRing.parse(`${K2},${K1}`) });
      expect(await rotating.rewrap()).toBeGreaterThan(0);
      await rotating.close();
      const onlyNew = new SqlDataKeys(client, { masterKeys: MasterKeyRing.parse(K2) });
      try {
        const [planned, held] = await read(talkStream('d'), new FieldProtection(onlyNew));
        expect(planned).toMatchObject({ subjectRef: 'SOC-D-1' });
        expect(held).toMatchObject({ outcome: 'Vill börja i fotbollslaget' });
      } finally {
        await onlyNew.close();
      }
    });
  });
}

protectionContract('the embedded store', () => createEmbeddedEventStore({ dataDir: 'memory://' }));

const pg = requirePostgres('the field protection suite on PostgreSQL');
pg.describe('PostgreSQL', () => {
  const databases = new TestDatabases(pg.url);
  afterAll(() => databases.dropAll());
  protectionContract('PostgreSQL', async () =>
    createPostgresEventStore({ connectionString: await databases.create() }),
  );
});
