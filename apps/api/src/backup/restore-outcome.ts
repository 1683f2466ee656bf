import type { RestoreReport } from '@samverkan/event-store/backup/restore-checks';

/**
 * What a restore's report means for the operator, and its exit code: 1 when the restored log
 * does not hold or differs from the exported heads (tampering), 0 otherwise, also when it ends
 * before the heads do (a backup is older than the heads taken after it: said plainly, as
 * neither tampering nor the whole log).
 */
export function describeRestore(report: RestoreReport): { text: string; exitCode: 0 | 1 } {
  const lines: string[] = [];
  const { verification: v, ledger, heads } = report;
  if (ledger) {
    lines.push(
      `Erasure ledger (${ledger.location}): ${ledger.entries} entr${ledger.entries === 1 ? 'y' : 'ies'}, ${ledger.newerThanBackup} newer than the backup; ${ledger.reapplied} applied again (${ledger.keysDestroyed} key(s) destroyed again).`,
    );
  } else {
    lines.push('No erasure ledger was applied (none is configured for this store).');
  }
  let exitCode: 0 | 1 = 0;
  if (v.intact) {
    lines.push(
      `The restored log holds: ${v.eventsChecked} events in ${v.streamsChecked} streams and ${v.blocksChecked} sealed blocks checked (sealed through position ${v.sealedThrough}).`,
    );
  } else {
    exitCode = 1;
    const p = v.firstProblem;
    lines.push(
      `The restored log does NOT hold: ${v.problemCount} problem(s)${p ? `; the first at position ${p.globalPosition}: ${p.kind}: ${p.detail}` : ''}.`,
    );
  }
  if (heads?.outcome === 'mismatch') {
    exitCode = 1;
    lines.push(`Tampering: the restored log differs from the exported heads: ${heads.detail}.`);
  } else if (heads?.outcome === 'older') {
    lines.push(
      heads.headsReach > heads.restoredTo
        ? `Restored to position ${heads.restoredTo} (the exported heads reach ${heads.headsReach}: events after ${heads.restoredTo} are not in this backup). The ${heads.blocksCompared} block(s) it shares with the heads match.`
        : `Restored to position ${heads.restoredTo}; blocks sealed after this backup (the exported heads reach ${heads.headsReach}) are not in it, and its events after position ${v.sealedThrough} are checked by their chains only. The ${heads.blocksCompared} block(s) it shares with the heads match.`,
    );
  } else if (heads?.outcome === 'matches') {
    lines.push(
      `Restored to position ${report.headPosition}; every exported block head (${heads.blocksCompared}) matches.`,
    );
  } else {
    lines.push(`Restored to position ${report.headPosition}.`);
  }
  return { text: lines.join('\n'), exitCode };
}
