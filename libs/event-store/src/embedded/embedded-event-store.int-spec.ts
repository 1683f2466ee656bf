import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { eventStoreContract, type HeldAppend } from '../contract/event-store.contract';
import { HELD_APPEND_SQL, heldAppendParams } from '../contract/sql-held-append';
import type { EventStore } from '../event-store.port';
import type { Upcaster } from '../upcasting';
import { createEmbeddedEventStore, createEmbeddedEventStoreOn } from './embedded-event-store';
import { DataDirInUseError } from './data-dir-lock';

describe('embedded adapter (PGlite)', () => {
  const root = mkdtempSync(join(tmpdir(), 'samverkan-embedded-'));
  const template = join(root, 'template');
  let next = 0;
  const dirs = new WeakMap<EventStore, string>();
  const databases = new WeakMap<EventStore, PGlite>();

  beforeAll(async () => {
    // initdb costs seconds; do it once and give each test a copy of the migrated folder.
    const store = await createEmbeddedEventStore({ dataDir: template });
    await store.start();
    await store.close();
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function open(dir: string, upcasters?: readonly Upcaster[]): Promise<EventStore> {
    // Built on an open PGlite so that holdAppendOpen can run a transaction in the same session.
    const db = await PGlite.create(dir);
    const store = createEmbeddedEventStoreOn(db, {
      dataDir: dir,
      ...(upcasters ? { upcasters } : {}),
    });
    await store.start();
    dirs.set(store, dir);
    databases.set(store, db);
    return store;
  }

  eventStoreContract('embedded PGlite', () => ({
    serialisesWriters: true,
    async create(options) {
      const dir = join(root, `store-${next++}`);
      cpSync(template, dir, { recursive: true });
      return open(dir, options?.upcasters);
    },
    async reopen(store, options) {
      await store.close();
      return open(dirs.get(store)!, options?.upcasters);
    },
    holdAppendOpen(store, streamId): Promise<HeldAppend> {
      const db = databases.get(store)!;
      return new Promise((resolveHeld, rejectHeld) => {
        let finish!: (commit: boolean) => void;
        const decided = new Promise<boolean>((r) => (finish = r));
        const settle = (commit: boolean): Promise<void> => {
          finish(commit);
          return done.then(
            () => undefined,
            () => undefined,
          );
        };
        const done = db.transaction(async (tx) => {
          const { rows } = await tx.query<{ global_position: number }>(
            HELD_APPEND_SQL,
            heldAppendParams(streamId),
          );
          resolveHeld({
            globalPosition: Number(rows[0]!.global_position),
            commit: () => settle(true),
            rollback: () => settle(false),
          });
          if (!(await decided)) await tx.rollback();
        });
        done.catch(rejectHeld);
      });
    },
  }));

  it('refuses a second open of a data folder in use, here or by another live process', async () => {
    const dir = join(root, 'locked');
    const first = await createEmbeddedEventStore({ dataDir: dir });
    try {
      await expect(createEmbeddedEventStore({ dataDir: dir })).rejects.toBeInstanceOf(
        DataDirInUseError,
      );
    } finally {
      await first.close();
    }
    // A lock left by a live process (the test runner's parent) is refused; a dead one's is taken over.
    writeFileSync(join(dir, 'samverkan.lock'), String(process.ppid));
    await expect(createEmbeddedEventStore({ dataDir: dir })).rejects.toBeInstanceOf(
      DataDirInUseError,
    );
    // A lock from another host (a container on a shared volume) is never taken over.
    writeFileSync(join(dir, 'samverkan.lock'), `${process.pid}@another-host`);
    await expect(createEmbeddedEventStore({ dataDir: dir })).rejects.toBeInstanceOf(
      DataDirInUseError,
    );
    writeFileSync(join(dir, 'samverkan.lock'), '2147483646');
    const taken = await createEmbeddedEventStore({ dataDir: dir });
    await taken.close();
  });
});
