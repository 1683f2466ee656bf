import type { SqlClient } from '../sql/sql-client';
import { FieldProtection } from './field-protection';
import type { MasterKeyRing } from './master-keys';
import { SqlDataKeys } from './sql-data-keys';

/** The encryption of personal fields with its key store in the log's own database. */
export function protectionOn(
  client: SqlClient,
  masterKeys: MasterKeyRing,
): { fields: FieldProtection; keys: SqlDataKeys } {
  const keys = new SqlDataKeys(client, { masterKeys });
  return { fields: new FieldProtection(keys), keys };
}
