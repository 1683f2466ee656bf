import { closeSync, openSync, readSync } from 'node:fs';
import type { BackupState } from './backup-state';

/**
 * What a backup file says about itself, on its first line (JSON), before the copy: enough to
 * tell what it can restore and how far without unpacking it (`head -1 file`).
 */
export interface BackupManifest {
  readonly format: 'samverkan-backup/1';
  /** The platform's version (package.json) that took it. */
  readonly platformVersion: string;
  readonly store: 'postgres' | 'embedded';
  /** When the consistent copy was taken (the snapshot's time, by the database's clock). */
  readonly takenAt: string;
  /** The highest global position in the copy: every event up to it that committed is there. */
  readonly headPosition: number;
  /** The last position covered by a sealed block in the copy (0 when none is). */
  readonly sealedThrough: number;
  /** Each copied schema's migration version. */
  readonly schemaVersions: Readonly<Record<string, number>>;
  /** How the copy follows the first line. */
  readonly payload: 'pg_dump-custom' | 'pglite-data-dir-tar-gz';
}

/** How each store's copy follows the manifest line. */
const PAYLOAD_OF = {
  postgres: 'pg_dump-custom',
  embedded: 'pglite-data-dir-tar-gz',
} as const satisfies Record<BackupManifest['store'], BackupManifest['payload']>;

/** The manifest of a copy of `store` whose snapshot showed `state`. */
export function backupManifest(
  store: BackupManifest['store'],
  platformVersion: string,
  state: BackupState,
): BackupManifest {
  return {
    format: 'samverkan-backup/1',
    platformVersion,
    store,
    ...state,
    payload: PAYLOAD_OF[store],
  };
}

/** The first line is read in pieces of this size; a manifest is far smaller. */
const MANIFEST_LIMIT = 64 * 1024;

export function manifestLine(manifest: BackupManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest)}\n`, 'utf8');
}

/** The manifest of a backup file and where its copy begins. */
export function readBackupManifest(path: string): {
  manifest: BackupManifest;
  payloadOffset: number;
} {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(MANIFEST_LIMIT);
    const read = readSync(fd, head, 0, MANIFEST_LIMIT, 0);
    const end = head.subarray(0, read).indexOf(0x0a);
    const fail = (why: string): never => {
      throw new Error(`${path} is not a Samverkan backup (${why})`);
    };
    if (end < 0) return fail('no manifest line');
    let manifest: BackupManifest;
    try {
      manifest = JSON.parse(head.subarray(0, end).toString('utf8')) as BackupManifest;
    } catch {
      return fail('its first line is not JSON');
    }
    if (manifest.format !== 'samverkan-backup/1') {
      return fail(`format ${JSON.stringify(manifest.format)}`);
    }
    return { manifest, payloadOffset: end + 1 };
  } finally {
    closeSync(fd);
  }
}
