import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedEventStore } from '../embedded/embedded-event-store';
import type { EventStore } from '../event-store.port';
import type { IdempotencyStore } from '../idempotency.port';
import { createPostgresEventStore } from '../postgres/postgres-event-store';
import { requirePostgres, TestDatabases } from '../postgres/test-databases';
import { type SqlEventStore } from './sql-event-store';
import { SqlIdempotencyStore } from './sql-idempotency-store';

const LEASE = 60_000;

function idempotencyContract(name: string, open: () => Promise<EventStore>): void {
  describe(`idempotency keys on ${name}`, () => {
    let store: EventStore;
    let keys: IdempotencyStore;

    beforeAll(async () => {
      store = await open();
      await store.start();
      keys = new SqlIdempotencyStore((store as SqlEventStore).sqlClient);
    });
    afterAll(() => store.close());

    it('answers a finished key with its first answer, a running one as in progress, another request as a mismatch', async () => {
      expect(await keys.claim('police:u1', 'k-1', 'h1', LEASE)).toEqual({
        kind: 'claimed',
        retryOfUnfinished: false,
      });
      expect(await keys.claim('police:u1', 'k-1', 'h1', LEASE)).toEqual({ kind: 'in_progress' });
      expect(await keys.claim('police:u1', 'k-1', 'h2', LEASE)).toEqual({ kind: 'mismatch' });
      await keys.complete('police:u1', 'k-1', { statusCode: 201, body: { streamRevision: 4 } });
      expect(await keys.claim('police:u1', 'k-1', 'h1', LEASE)).toEqual({
        kind: 'answered',
        answer: { statusCode: 201, body: { streamRevision: 4 } },
      });
      expect(await keys.claim('police:u1', 'k-1', 'h2', LEASE)).toEqual({ kind: 'mismatch' });
    });

    it('gives a key to exactly one of many concurrent requests', async () => {
      const claims = await Promise.all(
        Array.from({ length: 20 }, () => keys.claim('school:u2', 'k-race', 'h', LEASE)),
      );
      expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.kind === 'in_progress')).toHaveLength(19);
    });

    it('keeps keys apart per caller', async () => {
      await keys.claim('police:u3', 'shared-key', 'h', LEASE);
      expect((await keys.claim('school:u3', 'shared-key', 'other', LEASE)).kind).toBe('claimed');
    });

    it('lets a retry of the same request take over a claim left unfinished past its lease, and only that', async () => {
      await keys.claim('police:u4', 'k-stale', 'h', LEASE);
      await new Promise((r) => setTimeout(r, 30));
      expect(await keys.claim('police:u4', 'k-stale', 'other', 10)).toEqual({ kind: 'mismatch' });
      expect(await keys.claim('police:u4', 'k-stale', 'h', 10)).toEqual({
        kind: 'claimed',
        retryOfUnfinished: true,
      });
    });

    it('frees a released key for a new attempt', async () => {
      await keys.claim('police:u5', 'k-fail', 'h', LEASE);
      await keys.release('police:u5', 'k-fail');
      expect((await keys.claim('police:u5', 'k-fail', 'h2', LEASE)).kind).toBe('claimed');
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'samverkan-idem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
idempotencyContract('the embedded store', () => createEmbeddedEventStore({ dataDir: dir }));

const pg = requirePostgres('the idempotency-key suite on PostgreSQL');
pg.describe('PostgreSQL', () => {
  const databases = new TestDatabases(pg.url);
  afterAll(() => databases.dropAll());
  idempotencyContract('PostgreSQL', async () =>
    createPostgresEventStore({ connectionString: await databases.create() }),
  );
});
