import fc from 'fast-check';
import { GlobalWatermark } from './global-watermark';

describe('GlobalWatermark', () => {
  it('given a quiet log, a second reading proves the first one final', () => {
    const w = new GlobalWatermark();
    expect(w.observe({ lastDrawn: 5, readerXid: 100n, xmin: 100n })).toBe(0);
    expect(w.pending).toBe(true);
    expect(w.observe({ lastDrawn: 5, readerXid: 101n, xmin: 101n })).toBe(5);
    expect(w.pending).toBe(false);
  });

  it('given a writer still open below the reader, holds back until it ends', () => {
    const w = new GlobalWatermark();
    // xid 90 drew a position and is still running: xmin stays at 90.
    w.observe({ lastDrawn: 7, readerXid: 100n, xmin: 90n });
    expect(w.observe({ lastDrawn: 9, readerXid: 105n, xmin: 90n })).toBe(0);
    // 90 ended; everything below 101 has ended, so the first sample is final, not the second.
    expect(w.observe({ lastDrawn: 12, readerXid: 110n, xmin: 101n })).toBe(7);
    expect(w.observe({ lastDrawn: 12, readerXid: 111n, xmin: 111n })).toBe(12);
  });

  it('never goes back and never passes a position whose writer may still be open (any order of readings)', () => {
    // Model: writers get increasing xids and draw increasing positions after taking their xid;
    // each ends at some later step. A reading at step t sees lastDrawn, takes the next xid, and
    // xmin = the lowest xid still open (or its own). The watermark must never exceed a position
    // drawn by a writer that is open at the time of the reading that advanced it.
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: fc.constantFrom('begin', 'end', 'read'), pick: fc.nat() }), {
          maxLength: 200,
        }),
        (steps) => {
          const w = new GlobalWatermark();
          let nextXid = 1n;
          let nextPosition = 1;
          const open = new Map<bigint, number>(); // xid -> position drawn
          let last = 0;
          for (const step of steps) {
            if (step.kind === 'begin') {
              open.set(nextXid++, nextPosition++);
            } else if (step.kind === 'end' && open.size > 0) {
              const xids = [...open.keys()];
              open.delete(xids[step.pick % xids.length]!);
            } else if (step.kind === 'read') {
              const readerXid = nextXid++;
              const xmin =
                open.size > 0 ? [...open.keys()].reduce((a, b) => (a < b ? a : b)) : readerXid;
              const final = w.observe({ lastDrawn: nextPosition - 1, readerXid, xmin });
              expect(final).toBeGreaterThanOrEqual(last);
              for (const position of open.values()) expect(final).toBeLessThan(position);
              last = final;
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
