import type { SqlClient } from '../sql/sql-client';
import { openErasureLedger, type ErasureLedgerConfig } from './erasure-ledger-config';
import { FieldProtection } from './field-protection';
import type { MasterKeyRing } from './master-keys';
import { SqlDataKeys } from './sql-data-keys';

/**
 * The encryption of personal fields with its key store in the log's own database, and the
 * erasure ledger each key destruction is written to, where there is one.
 */
export function protectionOn(
  client: SqlClient,
  masterKeys: MasterKeyRing,
  ledger?: ErasureLedgerConfig,
): { fields: FieldProtection; keys: SqlDataKeys } {
  const keys = new SqlDataKeys(client, {
    masterKeys,
    ...(ledger ? { ledger: openErasureLedger(ledger, client) } : {}),
  });
  return { fields: new FieldProtection(keys), keys };
}
