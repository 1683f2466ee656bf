import { readFileSync } from 'node:fs';
import { readBackupManifest } from '@samverkan/event-store/backup/backup-manifest';
import { restoreEmbeddedCopy } from '@samverkan/event-store/backup/embedded-backup';
import { restorePostgresCopy } from '@samverkan/event-store/backup/postgres-backup';
import {
  checkRestoredStore,
  type RestoreReport,
} from '@samverkan/event-store/backup/restore-checks';
import type { EventStoreConfig } from '@samverkan/event-store/event-store.config';
import {
  openErasureLedger,
  type ErasureLedgerConfig,
} from '@samverkan/event-store/protection/erasure-ledger-config';
import type { MasterKeyRing } from '@samverkan/event-store/protection/master-keys';
import type { BlockHeadsExport } from '@samverkan/event-store/tamper-evidence/block-heads';
import type { SealKeys } from '@samverkan/event-store/tamper-evidence/seal-keys';
import { DOMAIN_UPCASTS } from '@samverkan/domain/event-schemas';
import type { Upcaster } from '@samverkan/event-store/upcasting';

export interface RestoreOptions {
  readonly config: EventStoreConfig;
  readonly file: string;
  /** Replace a store that holds data (refused without it). */
  readonly force: boolean;
  readonly masterKeys: MasterKeyRing;
  readonly sealKeys: SealKeys;
  /** The erasure ledger to apply again; undefined: none (a store in memory). */
  readonly ledger: ErasureLedgerConfig | undefined;
  /** Block heads exported earlier (`npm run audit:export`) to compare the restored log with. */
  readonly heads?: BlockHeadsExport;
  readonly onProgress?: (eventsChecked: number) => void;
  /** Each step as it begins, for the operator. */
  readonly onStep?: (step: string) => void;
}

/**
 * `npm run restore`: a backup file into an empty store of the configured kind (the embedded
 * folder locked meanwhile, so no API may run on it), then started (migrations of a newer version
 * run), the erasure ledger applied again, every chain and sealed block verified and, when given,
 * the blocks compared with exported heads. The caller decides what the report means for the
 * exit code (see scripts/restore.ts).
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const { manifest, payloadOffset } = readBackupManifest(options.file);
  const { config } = options;
  if (manifest.store !== config.adapter) {
    throw new Error(
      `This is a backup of the ${manifest.store} store; the configuration names the ${config.adapter} store (${config.adapter === 'postgres' ? 'unset DATABASE_URL' : 'set DATABASE_URL'} to restore it)`,
    );
  }
  const step = options.onStep ?? (() => undefined);
  const upcasters = DOMAIN_UPCASTS as readonly Upcaster[];
  step(
    `Restoring a backup of ${manifest.takenAt} (position ${manifest.headPosition}, version ${manifest.platformVersion})`,
  );
  const store =
    config.adapter === 'postgres'
      ? await restorePostgresCopy({
          connectionString: config.ownerConnectionString ?? config.connectionString,
          file: options.file,
          payloadOffset,
          force: options.force,
          masterKeys: options.masterKeys,
          upcasters,
        })
      : await restoreEmbeddedCopy({
          dataDir: config.dataDir,
          archive: readFileSync(options.file).subarray(payloadOffset),
          force: options.force,
          masterKeys: options.masterKeys,
          upcasters,
        });
  try {
    await store.start();
    const ledger = options.ledger ? openErasureLedger(options.ledger, store.sqlClient) : undefined;
    try {
      step(
        ledger
          ? `Applying the erasure ledger (${ledger.location}) again, then verifying`
          : 'Verifying',
      );
      return await checkRestoredStore({
        store,
        manifest,
        sealKeys: options.sealKeys,
        ...(ledger ? { ledger } : {}),
        ...(options.heads ? { heads: options.heads } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } finally {
      await ledger?.close();
    }
  } finally {
    await store.close();
  }
}
