import type { SqlClient } from './sql/sql-client';
import type { DataKeys } from './protection/data-keys.port';
import type { FieldProtection } from './protection/field-protection';
import type { BlockHeadsExport } from './tamper-evidence/block-heads';
import type { SealKeys } from './tamper-evidence/seal-keys';
import type { SealedBlock } from './tamper-evidence/sql-log-sealer';
import type { VerificationReport } from './tamper-evidence/sql-log-verifier';
import type { JsonObject } from './event-store.port';

/** An event as stored: who appended it (the controller of its data) and its sealed data. */
export interface StoredRecord {
  readonly eventId: string;
  readonly type: string;
  readonly agency: string;
  readonly data: JsonObject;
}

export type StoredRecordsWhere =
  | { readonly eventIds: readonly string[] }
  | {
      readonly streamId: string;
      readonly types: readonly string[];
      readonly beforePosition: number;
    };

/**
 * What the API's privacy and audit work needs of the log beyond the EventStore port: the keys
 * of personal fields, events as stored (their envelopes name the keys to destroy), the sealed
 * blocks, and a lease. Provided by the SQL stores; null where a store keeps none of this.
 */
export interface LogAccess {
  readonly adapter: 'postgres' | 'embedded';
  readonly fields: FieldProtection;
  readonly keys: DataKeys;
  /** The database beside the log, for tables that live with it (the relay's audiences). */
  readonly sql: SqlClient;
  /** Whether the application's role could update, delete or truncate events. */
  readonly eventsEditable: boolean;
  storedRecords(where: StoredRecordsWhere): Promise<StoredRecord[]>;
  /**
   * Runs `work` holding the named lease, or returns undefined when another process holds it:
   * a transaction-scoped advisory lock on a server; on the embedded store, one process owns the
   * log, so the lease is this process's.
   */
  underLease<T>(name: string, work: () => Promise<T>): Promise<T | undefined>;
  /** Seals the settled log; returns the blocks made. */
  seal(keys: SealKeys): Promise<readonly SealedBlock[]>;
  verify(
    keys: Pick<SealKeys, 'verify'>,
    onProgress?: (checked: number) => void,
  ): Promise<VerificationReport>;
  exportHeads(keys: Pick<SealKeys, 'publicKeys'>): Promise<BlockHeadsExport>;
}

export const LOG_ACCESS = Symbol('LogAccess');
