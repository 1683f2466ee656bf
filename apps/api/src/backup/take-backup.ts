import { copyEmbeddedFolder } from '@samverkan/event-store/backup/embedded-backup';
import { writeBackupFile, type BackupProgress } from '@samverkan/event-store/backup/backup-file';
import type { BackupManifest } from '@samverkan/event-store/backup/backup-manifest';
import { backUpPostgres } from '@samverkan/event-store/backup/postgres-backup';
import type { EventStoreConfig } from '@samverkan/event-store/event-store.config';
import { controlSocketPath } from '../audit/audit-config';
import { askControlSocket } from '../audit/control-socket-client';
import { platformVersion } from './platform-version';

export interface BackupTaken {
  readonly manifest: BackupManifest;
  readonly bytes: number;
  /** Who made the copy: pg_dump, the running API, or this process on the idle folder. */
  readonly madeBy: 'pg_dump' | 'the running API' | 'this process';
}

/**
 * `npm run backup`: one file with a manifest line and a consistent copy of the store. On
 * PostgreSQL pg_dump in one snapshot, beside running processes (the owner's role when
 * DATABASE_OWNER_URL is set: it may read every table). On the embedded store the process that
 * holds the folder makes the copy, asked over its control socket; with none running, this
 * process opens the folder. The master keys are configuration, never in the copy.
 */
export async function takeBackup(
  config: EventStoreConfig,
  out: string,
  onProgress?: BackupProgress,
): Promise<BackupTaken> {
  if (config.adapter === 'postgres') {
    const taken = await backUpPostgres({
      connectionString: config.ownerConnectionString ?? config.connectionString,
      out,
      platformVersion: platformVersion(),
      ...(onProgress ? { onProgress } : {}),
    });
    return { ...taken, madeBy: 'pg_dump' };
  }
  if (config.adapter === 'eventstoredb') {
    // The log is EventStoreDB's to back up (its own backup of the database folder); the keys
    // beside it are PostgreSQL's: pg_dump -n protection -n idempotency … as docs/operations.md says.
    throw new Error(
      'npm run backup covers the PostgreSQL and embedded stores; on EventStoreDB back up its database with its own tools and the PostgreSQL beside it with pg_dump (docs/operations.md, "Backup and restore")',
    );
  }
  const answer = await askControlSocket(controlSocketPath(config.dataDir), 'POST', '/backup');
  if (answer) {
    const end = answer.indexOf(0x0a);
    const manifest = JSON.parse(answer.subarray(0, end).toString('utf8')) as BackupManifest;
    const bytes = await writeBackupFile(
      out,
      answer.subarray(0, end + 1),
      answer.subarray(end + 1),
      onProgress,
    );
    return { manifest, bytes, madeBy: 'the running API' };
  }
  const { manifest, archive } = await copyEmbeddedFolder(config.dataDir, platformVersion());
  const bytes = await writeBackupFile(out, manifest, archive, onProgress);
  return { manifest, bytes, madeBy: 'this process' };
}
