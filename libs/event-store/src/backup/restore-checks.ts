import type { DataKeys } from '../protection/data-keys.port';
import type { ErasureLedger } from '../protection/erasure-ledger';
import type { SqlEventStore } from '../sql/sql-event-store';
import { exportBlockHeads, type BlockHeadsExport } from '../tamper-evidence/block-heads';
import type { SealKeys } from '../tamper-evidence/seal-keys';
import { verifyLog, type VerificationReport } from '../tamper-evidence/sql-log-verifier';
import type { BackupManifest } from './backup-manifest';
import { compareWithHeads, type HeadsComparison } from './heads-comparison';

export interface LedgerReapplication {
  readonly location: string;
  /** Entries in the ledger. */
  readonly entries: number;
  /** Of them, written after the backup was taken. */
  readonly newerThanBackup: number;
  /** Entries that destroyed at least one key in the restored store. */
  readonly reapplied: number;
  readonly keysDestroyed: number;
}

export interface RestoreReport {
  readonly manifest: BackupManifest;
  /** The restored log's head position. */
  readonly headPosition: number;
  readonly verification: VerificationReport;
  readonly heads?: HeadsComparison;
  readonly ledger?: LedgerReapplication;
}

/**
 * Every entry of the erasure ledger applied again to the restored keys. All of them, not only
 * those dated after the backup: an entry is written before its destruction commits, so one
 * dated a moment before the backup's snapshot may name keys the backup still holds, and
 * destroying a destroyed key changes nothing.
 */
export async function reapplyErasureLedger(
  keys: DataKeys,
  ledger: ErasureLedger,
  takenAt: string,
): Promise<LedgerReapplication> {
  const entries = await ledger.entries();
  let reapplied = 0;
  let keysDestroyed = 0;
  for (const entry of entries) {
    const destroyed = await keys.destroy(entry.keyIds, entry.reason, entry.by);
    if (destroyed > 0) reapplied += 1;
    keysDestroyed += destroyed;
  }
  return {
    location: ledger.location,
    entries: entries.length,
    newerThanBackup: entries.filter((e) => e.at > takenAt).length,
    reapplied,
    keysDestroyed,
  };
}

/**
 * What a restore checks on the restored (started) store, in this order: the erasure ledger
 * applied again first, so erased data is gone before anything else may read it; then every
 * chain and sealed block; then the blocks against exported heads, when given.
 */
export async function checkRestoredStore(options: {
  readonly store: SqlEventStore;
  readonly manifest: BackupManifest;
  readonly sealKeys: SealKeys;
  readonly ledger?: ErasureLedger;
  readonly heads?: BlockHeadsExport;
  readonly onProgress?: (eventsChecked: number) => void;
}): Promise<RestoreReport> {
  const { store, manifest } = options;
  let ledger: LedgerReapplication | undefined;
  if (options.ledger) {
    const keys = store.protection?.keys;
    if (!keys) throw new Error('The restored store has no key store to apply the ledger to');
    await options.ledger.start();
    ledger = await reapplyErasureLedger(keys, options.ledger, manifest.takenAt);
  }
  const verification = await verifyLog(store.sqlClient, options.sealKeys, options.onProgress);
  const [head] = await store.sqlClient.query<{ head: string | number }>(
    'select coalesce(max(global_position), 0) as head from event_store.events',
  );
  const headPosition = Number(head?.head ?? 0);
  const heads = options.heads
    ? compareWithHeads(
        (await exportBlockHeads(store.sqlClient, options.sealKeys)).blocks,
        headPosition,
        options.heads,
      )
    : undefined;
  return {
    manifest,
    headPosition,
    verification,
    ...(heads ? { heads } : {}),
    ...(ledger ? { ledger } : {}),
  };
}
