import { personalFieldsOf } from '@samverkan/domain/personal-fields';
import type { JsonObject } from '../event-store.port';
import type { SqlQueryable } from '../sql/sql-client';
import { envelopesOf, type FieldProtection } from './field-protection';

export const FIELDS_ENCRYPTED_UPGRADE = 'personal-fields-encrypted';

export interface EncryptionUpgradeReport {
  readonly eventsEncrypted: number;
  readonly streamsRelinked: number;
}

const PAGE = 500;

/**
 * The one-time upgrade of a log written before personal fields were encrypted: every event
 * whose data holds a personal field as plain text gets it encrypted in place, and each stream
 * touched is linked anew (its chain covers the stored ciphertext). Run under the owner's role,
 * in one transaction with the upgrade's lock, before any block is sealed over those events.
 * The fields are those the domain's inventory names for the event's type, at the paths they
 * have in the stored data (an old schema version's field at another path stays as it is).
 */
export async function encryptExistingLog(
  tx: SqlQueryable,
  fields: FieldProtection,
  inTransaction = true,
): Promise<EncryptionUpgradeReport | undefined> {
  // On a server, in the caller's transaction under a lock, so that processes starting together
  // take turns. The embedded database is one session, which the key store shares: no
  // transaction can stay open while keys are taken, and no other process can be upgrading.
  // Without one it is still safe to stop half-way: an encrypted field is never encrypted
  // again, and each page's streams are relinked before the next page.
  if (inTransaction) {
    await tx.query(`select pg_advisory_xact_lock(hashtext('samverkan.upgrade.fields'))`);
  }
  const [done] = await tx.query<{ name: string }>(
    'select name from event_store.upgrades where name = $1',
    [FIELDS_ENCRYPTED_UPGRADE],
  );
  if (done) return undefined;
  let after = 0;
  let encrypted = 0;
  const streams = new Set<string>();
  for (;;) {
    const rows = await tx.query<{
      global_position: string | number;
      event_id: string;
      stream_id: string;
      type: string;
      occurred_at: Date;
      data: JsonObject;
    }>(
      `select global_position, event_id::text as event_id, stream_id, type, occurred_at, data
         from event_store.events where global_position > $1 order by global_position limit $2`,
      [after, PAGE],
    );
    const plain = rows.filter(
      (r) =>
        personalFieldsOf(r.type, r.data, r.stream_id).leaves.length > 0 &&
        envelopesOf(r.data).length === 0,
    );
    if (plain.length > 0) {
      const protectedData = await fields.protect(
        plain.map((r) => ({
          eventId: r.event_id,
          type: r.type,
          occurredAt: new Date(r.occurred_at),
          data: r.data,
          streamId: r.stream_id,
        })),
      );
      const touched = new Set<string>();
      for (const [i, r] of plain.entries()) {
        await tx.query('update event_store.events set data = $2::json where global_position = $1', [
          r.global_position,
          JSON.stringify(protectedData[i]),
        ]);
        touched.add(r.stream_id);
      }
      for (const stream of touched) {
        await tx.query('select event_store.relink_stream($1)', [stream]);
        streams.add(stream);
      }
      encrypted += plain.length;
    }
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1]!.global_position);
  }
  const report = { eventsEncrypted: encrypted, streamsRelinked: streams.size };
  await tx.query('insert into event_store.upgrades (name, detail) values ($1, $2::jsonb)', [
    FIELDS_ENCRYPTED_UPGRADE,
    JSON.stringify(report),
  ]);
  return report;
}
