import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedEventStore } from '../embedded/embedded-event-store';
import type { EventStore } from '../event-store.port';
import type { SqlEventStore } from './sql-event-store';
import { SqlVisits } from './sql-visits';

/** Where each user last saw the changes through: forward only, per user, not kept for ever. */
describe('SqlVisits on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samverkan-visits-'));
  let store: EventStore;
  let visits: SqlVisits;

  beforeAll(async () => {
    store = await createEmbeddedEventStore({ dataDir: dir });
    await store.start();
    visits = new SqlVisits((store as SqlEventStore).sqlClient);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a visit per user and agency, never moving it back', async () => {
    expect(await visits.lastVisit('police', 'u-a')).toBeUndefined();
    await visits.markSeen('police', 'u-a', 40);
    await visits.markSeen('police', 'u-a', 12);
    await visits.markSeen('school', 'u-a', 7);
    expect((await visits.lastVisit('police', 'u-a'))?.seenThrough).toBe(40);
    expect((await visits.lastVisit('school', 'u-a'))?.seenThrough).toBe(7);
    // Concurrent marks from two tabs: the furthest wins, whatever the order they land in.
    await Promise.all([50, 70, 60].map((p) => visits.markSeen('police', 'u-b', p)));
    expect((await visits.lastVisit('police', 'u-b'))?.seenThrough).toBe(70);
  });

  it('deletes a visit not renewed for a year', async () => {
    const client = (store as SqlEventStore).sqlClient;
    await client.query(
      `insert into visits.last_seen (agency, user_id, seen_through, at)
       values ('leisure', 'u-gone', 5, now() - interval '13 months')`,
    );
    // Deleted now and then on a write: a fresh adapter deletes on its first.
    await new SqlVisits(client).markSeen('leisure', 'u-here', 9);
    expect(await visits.lastVisit('leisure', 'u-gone')).toBeUndefined();
    expect((await visits.lastVisit('leisure', 'u-here'))?.seenThrough).toBe(9);
  });
});
