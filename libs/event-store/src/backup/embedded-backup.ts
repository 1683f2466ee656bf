import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import type { EventStore } from '../event-store.port';
import {
  createEmbeddedEventStore,
  createEmbeddedEventStoreOn,
  embeddedDatabaseOf,
} from '../embedded/embedded-event-store';
import { lockDataDir } from '../embedded/data-dir-lock';
import type { MasterKeyRing } from '../protection/master-keys';
import { SqlEventStore } from '../sql/sql-event-store';
import type { Upcaster } from '../upcasting';
import { backupManifest, type BackupManifest } from './backup-manifest';
import { BACKED_UP_SCHEMAS, readBackupState } from './backup-state';
import { isDatabaseFile, tarOfDatabaseFiles } from './pglite-data-dir-tar';

const gzipped = promisify(gzip);

/**
 * A consistent copy of an embedded store, made by the process that holds it: inside one
 * transaction, which holds every other statement of the one session back (appends wait for the
 * copy), the head is read, a checkpoint writes everything committed to the folder, and the
 * database's files are read from it. The copy holds the read models too: they are consistent
 * with the log.
 */
export async function copyEmbeddedStore(
  store: EventStore,
  platformVersion: string,
): Promise<{ manifest: BackupManifest; archive: Buffer }> {
  const db = embeddedDatabaseOf(store);
  if (!db || !(store instanceof SqlEventStore)) {
    throw new Error('Only an embedded store is copied by its process');
  }
  const dir = db.dataDir;
  if (!dir || dir.startsWith('memory://'))
    throw new Error('A store in memory has no folder to copy');
  const { state, tar } = await store.sqlClient.transaction(async (tx) => {
    const state = await readBackupState(tx, BACKED_UP_SCHEMAS);
    await tx.query('checkpoint');
    return { state, tar: tarOfDatabaseFiles(dir) };
  });
  // Compressed once appends may go on again.
  const archive = await gzipped(tar);
  return {
    manifest: backupManifest('embedded', platformVersion, state),
    archive,
  };
}

/**
 * The store restored into `dataDir` from a copy, not yet started. The folder is locked first;
 * one that holds a database already is refused unless `force`, which deletes the database's
 * files (and nothing else: key files stay).
 */
export async function restoreEmbeddedCopy(options: {
  readonly dataDir: string;
  readonly archive: Buffer;
  readonly force: boolean;
  readonly masterKeys: MasterKeyRing;
  readonly upcasters?: readonly Upcaster[];
}): Promise<SqlEventStore> {
  const dir = resolve(options.dataDir);
  const unlock = lockDataDir(dir);
  try {
    if (existsSync(join(dir, 'PG_VERSION'))) {
      if (!options.force) {
        throw new StoreNotEmptyError(
          `The data folder ${dir} holds a store already: restore into an empty folder, or add --force to replace it`,
        );
      }
      for (const name of readdirSync(dir)) {
        if (isDatabaseFile(name) || name === 'postmaster.pid')
          rmSync(join(dir, name), { recursive: true, force: true });
      }
    }
    const db = await PGlite.create(dir, { loadDataDir: new Blob([options.archive]) });
    return createEmbeddedEventStoreOn(
      db,
      {
        dataDir: dir,
        masterKeys: options.masterKeys,
        ...(options.upcasters ? { upcasters: options.upcasters } : {}),
      },
      unlock,
    );
  } catch (error) {
    unlock();
    throw error;
  }
}

/** A restore was refused: the target store holds data (and --force was not given). */
export class StoreNotEmptyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreNotEmptyError';
  }
}

/**
 * A copy of an embedded store's folder when no process holds it: the folder is locked and
 * opened here (without migrating anything), copied as the running process would, and closed.
 */
export async function copyEmbeddedFolder(
  dataDir: string,
  platformVersion: string,
): Promise<{ manifest: BackupManifest; archive: Buffer }> {
  if (!existsSync(join(resolve(dataDir), 'PG_VERSION'))) {
    throw new Error(`${resolve(dataDir)} holds no embedded store to back up`);
  }
  const store = await createEmbeddedEventStore({ dataDir });
  try {
    return await copyEmbeddedStore(store, platformVersion);
  } finally {
    await store.close();
  }
}
