import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CitizenDialogueSubmissions } from '../citizen-dialogue.port';
import { createEmbeddedEventStore } from '../embedded/embedded-event-store';
import type { EventStore } from '../event-store.port';
import { createPostgresEventStore } from '../postgres/postgres-event-store';
import { requirePostgres, TestDatabases } from '../postgres/test-databases';
import { SqlCitizenDialogueSubmissions } from './sql-citizen-dialogue';
import type { SqlEventStore } from './sql-event-store';

function submissionsContract(name: string, open: () => Promise<EventStore>): void {
  describe(`SqlCitizenDialogueSubmissions on ${name}`, () => {
    let store: EventStore;
    let submissions: CitizenDialogueSubmissions;

    beforeAll(async () => {
      store = await open();
      await store.start();
      submissions = new SqlCitizenDialogueSubmissions((store as SqlEventStore).sqlClient);
      for (const [placeId, category, receivedOn] of [
        ['hamnen', 'drugs', '2026-11-01'],
        ['hamnen', 'drugs', '2026-11-20'],
        ['torget', 'poor-lighting', '2026-11-20'],
        ['skolan', 'traffic', '2026-11-05'],
      ] as const) {
        await submissions.add({ placeId, category, receivedOn });
      }
    });
    afterAll(() => store.close());

    it('groups waiting submissions by place and category, the most recently received first, paged', async () => {
      const first = await submissions.waiting(2, null);
      expect(first).toEqual([
        {
          placeId: 'hamnen',
          category: 'drugs',
          count: 2,
          firstReceivedOn: '2026-11-01',
          lastReceivedOn: '2026-11-20',
        },
        expect.objectContaining({ placeId: 'torget', count: 1 }),
      ]);
      const last = first[1]!;
      expect(
        await submissions.waiting(2, [last.lastReceivedOn, last.placeId, last.category]),
      ).toEqual([expect.objectContaining({ placeId: 'skolan', lastReceivedOn: '2026-11-05' })]);
    });

    it('claims a group for one acceptance only; released, it waits again; removed, it is gone', async () => {
      const claim = await submissions.claim('hamnen', 'drugs');
      expect(claim).toMatchObject({ placeId: 'hamnen', count: 2 });
      expect(await submissions.claim('hamnen', 'drugs')).toBeUndefined();
      expect(await submissions.group('hamnen', 'drugs')).toBeUndefined();
      await submissions.release(claim!.claimId);
      const again = await submissions.claim('hamnen', 'drugs');
      expect(again?.count).toBe(2);
      expect(await submissions.remove(again!.claimId)).toBe(2);
      expect(await submissions.group('hamnen', 'drugs')).toBeUndefined();
    });

    it('rejects a waiting group, and deletes what was received before a day', async () => {
      expect(await submissions.reject('torget', 'poor-lighting')).toBe(1);
      expect(await submissions.reject('torget', 'poor-lighting')).toBe(0);
      expect(await submissions.deleteReceivedBefore('2026-11-05')).toBe(0);
      expect(await submissions.deleteReceivedBefore('2026-11-06')).toBe(1);
      expect(await submissions.waiting(10, null)).toEqual([]);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'samverkan-citizen-dialogue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
submissionsContract('the embedded store', () => createEmbeddedEventStore({ dataDir: dir }));

const pg = requirePostgres('the citizen dialogue suite on PostgreSQL');
pg.describe('PostgreSQL', () => {
  const databases = new TestDatabases(pg.url);
  afterAll(() => databases.dropAll());
  submissionsContract('PostgreSQL', async () =>
    createPostgresEventStore({ connectionString: await databases.create() }),
  );
});
