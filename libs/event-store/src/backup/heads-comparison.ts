import type { BlockHeadsExport, ExportedBlockHead } from '../tamper-evidence/block-heads';

/**
 * How a restored log stands against block heads exported earlier (`npm run audit:export`):
 * - `matches`: every exported block is in the restored log, unchanged;
 * - `older`: the restored log ends before the heads do. The blocks it has match; the later ones
 *   are simply not in this backup. Neither tampering nor the whole log: the operator is told
 *   how far it reaches;
 * - `mismatch`: a block the restored log should hold differs from its exported head, or is gone
 *   from the middle of the chain of blocks: tampering.
 */
export type HeadsComparison =
  | { readonly outcome: 'matches'; readonly blocksCompared: number }
  | {
      readonly outcome: 'older';
      readonly blocksCompared: number;
      /** The restored log's head position. */
      readonly restoredTo: number;
      /** The last position the exported heads cover. */
      readonly headsReach: number;
    }
  | {
      readonly outcome: 'mismatch';
      readonly blockNumber: number;
      readonly detail: string;
    };

export function compareWithHeads(
  restored: readonly ExportedBlockHead[],
  restoredHead: number,
  exported: Pick<BlockHeadsExport, 'blocks'>,
): HeadsComparison {
  const byNumber = new Map(restored.map((b) => [b.blockNumber, b]));
  const lastRestored = restored.reduce((n, b) => Math.max(n, b.blockNumber), 0);
  let compared = 0;
  let beyond = false;
  for (const head of [...exported.blocks].sort((a, b) => a.blockNumber - b.blockNumber)) {
    const block = byNumber.get(head.blockNumber);
    if (!block) {
      if (head.blockNumber <= lastRestored) {
        return {
          outcome: 'mismatch',
          blockNumber: head.blockNumber,
          detail: `block ${head.blockNumber} is missing, though later blocks are there`,
        };
      }
      beyond = true;
      continue;
    }
    const differs = (['afterPosition', 'throughPosition', 'merkleRoot', 'blockHash'] as const).find(
      (field) => block[field] !== head[field],
    );
    if (differs) {
      return {
        outcome: 'mismatch',
        blockNumber: head.blockNumber,
        detail: `block ${head.blockNumber}'s ${differs} is ${block[differs]} in the restored log, ${head[differs]} in the exported heads`,
      };
    }
    compared += 1;
  }
  if (!beyond) return { outcome: 'matches', blocksCompared: compared };
  return {
    outcome: 'older',
    blocksCompared: compared,
    restoredTo: restoredHead,
    headsReach: exported.blocks.reduce((n, b) => Math.max(n, b.throughPosition), 0),
  };
}
