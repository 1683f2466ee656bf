import type { RestoreReport } from '@samverkan/event-store/backup/restore-checks';
import { describeRestore } from './restore-outcome';

const intact: RestoreReport['verification'] = {
  intact: true,
  eventsChecked: 120,
  streamsChecked: 9,
  blocksChecked: 3,
  sealedThrough: 110,
  unsealedEvents: 10,
  seconds: 0.1,
  eventsPerSecond: 1200,
  problemCount: 0,
  problems: [],
};

const report = (over: Partial<RestoreReport>): RestoreReport => ({
  manifest: {
    format: 'samverkan-backup/1',
    platformVersion: '0.1.0',
    store: 'postgres',
    takenAt: '2026-12-01T02:00:00.000Z',
    headPosition: 120,
    sealedThrough: 110,
    schemaVersions: { event_store: 4 },
    payload: 'pg_dump-custom',
  },
  headPosition: 120,
  verification: intact,
  ledger: {
    location: 'ledger.jsonl',
    entries: 4,
    newerThanBackup: 2,
    reapplied: 2,
    keysDestroyed: 3,
  },
  ...over,
});

describe('what a restore tells the operator', () => {
  it('an older backup than the exported heads: "restored to position X", exit 0, not tampering', () => {
    const outcome = describeRestore(
      report({ heads: { outcome: 'older', blocksCompared: 3, restoredTo: 120, headsReach: 180 } }),
    );
    expect(outcome.exitCode).toBe(0);
    expect(outcome.text).toContain(
      'Restored to position 120 (the exported heads reach 180: events after 120 are not in this backup)',
    );
    expect(outcome.text).not.toMatch(/tamper/i);
    expect(outcome.text).toContain('2 applied again (3 key(s) destroyed again)');
  });

  it('a block that differs from its exported head: tampering, exit 1', () => {
    const outcome = describeRestore(
      report({
        heads: { outcome: 'mismatch', blockNumber: 2, detail: "block 2's blockHash is …" },
      }),
    );
    expect(outcome).toMatchObject({ exitCode: 1, text: expect.stringContaining('Tampering') });
  });

  it('a chain that does not hold: exit 1, with the first problem', () => {
    const outcome = describeRestore(
      report({
        verification: {
          ...intact,
          intact: false,
          problemCount: 1,
          firstProblem: { kind: 'content-changed', globalPosition: 42, detail: 'link differs' },
        },
      }),
    );
    expect(outcome.exitCode).toBe(1);
    expect(outcome.text).toContain('does NOT hold');
    expect(outcome.text).toContain('position 42');
  });
});
