import type { SqlQueryable } from '../sql/sql-client';
import type { SealKeys } from './seal-keys';

/** One sealed block's head as an archive keeps it: enough to check the log against it later. */
export interface ExportedBlockHead {
  readonly blockNumber: number;
  readonly afterPosition: number;
  readonly throughPosition: number;
  readonly eventCount: number;
  readonly merkleRoot: string;
  readonly previousHash: string;
  readonly blockHash: string;
  readonly signature: string;
  readonly keyId: string;
  readonly sealedAt: string;
}

export interface BlockHeadsExport {
  readonly format: 'samverkan-block-heads/1';
  readonly exportedAt: string;
  /** The Ed25519 public keys (SPKI PEM) by key id, to check the signatures without us. */
  readonly publicKeys: Record<string, string>;
  readonly blocks: readonly ExportedBlockHead[];
}

/**
 * Every sealed block's head, signed, for a third party (the municipality's archive) to hold:
 * with it, a log rewritten wholesale (blocks and all, under a stolen key or none) no longer
 * matches what was handed over. Hashes in hex, signatures in base64.
 */
export async function exportBlockHeads(
  db: SqlQueryable,
  keys: Pick<SealKeys, 'publicKeys'>,
  now: Date = new Date(),
): Promise<BlockHeadsExport> {
  const rows = await db.query<{
    block_number: string | number;
    after_position: string | number;
    through_position: string | number;
    event_count: number;
    merkle_root: Buffer | Uint8Array;
    previous_hash: Buffer | Uint8Array;
    block_hash: Buffer | Uint8Array;
    signature: Buffer | Uint8Array;
    key_id: string;
    sealed_at: Date | string;
  }>(
    `select block_number, after_position, through_position, event_count, merkle_root,
            previous_hash, block_hash, signature, key_id, sealed_at
       from event_store.blocks order by block_number`,
  );
  return {
    format: 'samverkan-block-heads/1',
    exportedAt: now.toISOString(),
    publicKeys: Object.fromEntries(keys.publicKeys),
    blocks: rows.map((r) => ({
      blockNumber: Number(r.block_number),
      afterPosition: Number(r.after_position),
      throughPosition: Number(r.through_position),
      eventCount: Number(r.event_count),
      merkleRoot: Buffer.from(r.merkle_root).toString('hex'),
      previousHash: Buffer.from(r.previous_hash).toString('hex'),
      blockHash: Buffer.from(r.block_hash).toString('hex'),
      signature: Buffer.from(r.signature).toString('base64'),
      keyId: r.key_id,
      sealedAt: new Date(r.sealed_at).toISOString(),
    })),
  };
}
