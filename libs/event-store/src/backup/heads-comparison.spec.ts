import type { ExportedBlockHead } from '../tamper-evidence/block-heads';
import { compareWithHeads } from './heads-comparison';

/** Blocks of 10 events each: block n covers positions 10(n-1)+1 to 10n. */
function block(n: number, hash = `hash-${n}`): ExportedBlockHead {
  return {
    blockNumber: n,
    afterPosition: (n - 1) * 10,
    throughPosition: n * 10,
    eventCount: 10,
    merkleRoot: `root-${n}`,
    previousHash: n === 1 ? 'genesis' : `hash-${n - 1}`,
    blockHash: hash,
    signature: 'sig',
    keyId: 'k',
    sealedAt: '2026-12-01T00:00:00.000Z',
  };
}

const blocks = (...ns: number[]) => ns.map((n) => block(n));

describe('comparing a restored log with exported block heads', () => {
  it('matches when every exported block is restored unchanged (the log may reach further)', () => {
    expect(compareWithHeads(blocks(1, 2, 3), 34, { blocks: blocks(1, 2) })).toEqual({
      outcome: 'matches',
      blocksCompared: 2,
    });
  });

  it('reports a log restored to an older position than the heads, neither tampering nor whole', () => {
    expect(compareWithHeads(blocks(1, 2), 23, { blocks: blocks(1, 2, 3, 4) })).toEqual({
      outcome: 'older',
      blocksCompared: 2,
      restoredTo: 23,
      headsReach: 40,
    });
  });

  it('reports a block that differs from its exported head as a mismatch, also in an older log', () => {
    expect(
      compareWithHeads([block(1), block(2, 'rewritten')], 23, { blocks: blocks(1, 2, 3) }),
    ).toMatchObject({ outcome: 'mismatch', blockNumber: 2 });
  });

  it('reports a block gone from the middle of the chain as a mismatch, not as an older log', () => {
    expect(compareWithHeads(blocks(1, 3), 30, { blocks: blocks(1, 2, 3, 4) })).toMatchObject({
      outcome: 'mismatch',
      blockNumber: 2,
    });
  });
});
