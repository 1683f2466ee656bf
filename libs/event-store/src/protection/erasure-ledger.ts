import type { DestructionReason } from '@samverkan/domain/personal-fields';

/**
 * One destruction of data keys as the erasure ledger keeps it: which keys, why, when and by
 * whose decision (the correlation id of the erasure, correction or gallring run, which names
 * its actor in the log). Key ids only: never a subject reference, a digest or any text.
 */
export interface ErasureLedgerEntry {
  readonly at: string;
  readonly keyIds: readonly string[];
  readonly reason: DestructionReason;
  readonly by: string;
}

/**
 * Where every key destruction is written down, outside the database the backups copy. A backup
 * taken before an erasure still holds the key; a restore applies the ledger again, so restoring
 * never brings erased personal data back. An entry is written before its keys are destroyed: a
 * crash between the two leaves a destruction to apply again (harmless: destroying is
 * idempotent), never a destruction the ledger does not know.
 */
export interface ErasureLedger {
  /** Where the ledger is, for messages (never a password). */
  readonly location: string;
  start(): Promise<void>;
  /** Writes the entry durably before it returns. */
  record(entry: ErasureLedgerEntry): Promise<void>;
  /** Every entry, oldest first. */
  entries(): Promise<ErasureLedgerEntry[]>;
  close(): Promise<void>;
}
