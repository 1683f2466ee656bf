import type { SqlClient } from '../sql/sql-client';
import { GENESIS, blockHash, leafOf, merkleRoot } from './chain';
import type { SealKeys } from './seal-keys';

/** Events per block at most: a block's leaves stay a few hundred kilobytes. */
export const MAX_EVENTS_PER_BLOCK = 10_000;

export interface SealedBlock {
  readonly blockNumber: number;
  readonly afterPosition: number;
  readonly throughPosition: number;
  readonly eventCount: number;
}

/**
 * Seals the settled part of the log in blocks. Every instance may call `sealOnce`; a
 * transaction-scoped advisory lock is the lease, so one seals at a time and the others skip
 * (nothing to hand over when a holder dies: its transaction ends and the lock with it). The
 * block number's primary key would refuse a second block of one number all the same.
 */
export class SqlLogSealer {
  constructor(
    private readonly client: SqlClient,
    private readonly keys: SealKeys,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Seals events in (last sealed position, `finalPosition`], up to MAX_EVENTS_PER_BLOCK of
   * them. `finalPosition` must be final (every position at or below it committed or abandoned
   * for good): a later commit below it would fall into a sealed range and read as tampering.
   * Returns the block, or undefined when another sealer held the lease or nothing was new.
   */
  async sealOnce(finalPosition: number): Promise<SealedBlock | undefined> {
    return this.client.transaction(async (tx) => {
      const [lease] = await tx.query<{ held: boolean }>(
        `select pg_try_advisory_xact_lock(hashtext('samverkan.seal')) as held`,
      );
      if (!lease?.held) return undefined;
      const [last] = await tx.query<{
        block_number: string | number;
        through_position: string | number;
        block_hash: Buffer | Uint8Array;
      }>(
        `select block_number, through_position, block_hash from event_store.blocks
          order by block_number desc limit 1`,
      );
      const after = last ? Number(last.through_position) : 0;
      if (finalPosition <= after) return undefined;
      const rows = await tx.query<{ global_position: string | number; link: Buffer | Uint8Array }>(
        `select global_position, link from event_store.events
          where global_position > $1 and global_position <= $2
          order by global_position limit $3`,
        [after, finalPosition, MAX_EVENTS_PER_BLOCK],
      );
      if (rows.length === 0) return undefined;
      const positions = rows.map((r) => Number(r.global_position));
      const through =
        rows.length === MAX_EVENTS_PER_BLOCK ? positions[positions.length - 1]! : finalPosition;
      const leaves = rows.map((r, i) => leafOf(positions[i]!, Buffer.from(r.link)));
      const head = {
        blockNumber: last ? Number(last.block_number) + 1 : 1,
        afterPosition: after,
        throughPosition: through,
        eventCount: rows.length,
        merkleRoot: merkleRoot(leaves),
        previousHash: last ? Buffer.from(last.block_hash) : GENESIS,
        // Whole milliseconds: what a Date holds, so the hash is recomputed from what is read.
        sealedAt: new Date(this.now().getTime()),
        keyId: this.keys.keyId,
      };
      const hash = blockHash(head);
      await tx.query(
        `insert into event_store.blocks (block_number, after_position, through_position,
           event_count, positions, leaves, merkle_root, previous_hash, block_hash, signature,
           key_id, sealed_at)
         values ($1, $2, $3, $4, $5::bigint[], $6, $7, $8, $9, $10, $11, $12)`,
        [
          head.blockNumber,
          head.afterPosition,
          head.throughPosition,
          head.eventCount,
          `{${positions.join(',')}}`,
          Buffer.concat(leaves),
          head.merkleRoot,
          head.previousHash,
          hash,
          this.keys.sign(hash),
          head.keyId,
          head.sealedAt.toISOString(),
        ],
      );
      return {
        blockNumber: head.blockNumber,
        afterPosition: head.afterPosition,
        throughPosition: head.throughPosition,
        eventCount: head.eventCount,
      };
    });
  }

  /** Seals until the log is sealed through `finalPosition`; returns the blocks made. */
  async sealThrough(finalPosition: number): Promise<SealedBlock[]> {
    const made: SealedBlock[] = [];
    for (;;) {
      const block = await this.sealOnce(finalPosition);
      if (!block) return made;
      made.push(block);
      if (block.throughPosition >= finalPosition) return made;
    }
  }
}
