/**
 * npm run restore -- FILE [--heads heads.json] [--ledger PATH|URL] [--force]
 * Restores a backup file (npm run backup) into an empty store of the configured kind, applies
 * the erasure ledger again, verifies every chain and sealed block and, with --heads, compares
 * the blocks with heads exported earlier (npm run audit:export). Exit 0: restored and intact,
 * perhaps to an older position than the heads reach (said so); 1: the restored log does not
 * hold or differs from the heads (tampering); 2: nothing or not all was restored (a refusal or
 * an error). See docs/operations.md, "Backup and restore".
 */
import { exitOnCliConfigurationProblems } from '../libs/event-store/src/configuration-parsers';
import { readFileSync } from 'node:fs';
import { sealKeysForEnvironment } from '../apps/api/src/audit/audit-config';
import { restoreBackup } from '../apps/api/src/backup/restore-backup';
import { describeRestore } from '../apps/api/src/backup/restore-outcome';
import {
  eventStoreConfigFromEnv,
  masterKeysFromEnv,
} from '../libs/event-store/src/event-store.config';
import { erasureLedgerFromEnv } from '../libs/event-store/src/protection/erasure-ledger-config';
import type { BlockHeadsExport } from '../libs/event-store/src/tamper-evidence/block-heads';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (!value || value.startsWith('--')) throw new Error(`${name} needs a value`);
  args.splice(at, 2);
  return value;
}

async function main(): Promise<void> {
  exitOnCliConfigurationProblems();
  const args = process.argv.slice(2);
  const heads = option(args, '--heads');
  const ledger = option(args, '--ledger');
  const force = args.includes('--force');
  const rest = args.filter((a) => a !== '--force');
  if (rest.length !== 1 || rest[0]!.startsWith('-')) {
    process.stderr.write(
      'Usage: npm run restore -- FILE [--heads heads.json] [--ledger PATH|URL] [--force]\n',
    );
    process.exitCode = 2;
    return;
  }
  const config = eventStoreConfigFromEnv();
  let last = 0;
  const report = await restoreBackup({
    config,
    file: rest[0]!,
    force,
    masterKeys: masterKeysFromEnv(),
    sealKeys: sealKeysForEnvironment(),
    ledger: erasureLedgerFromEnv(
      config,
      ledger ? { SAMVERKAN_ERASURE_LEDGER: ledger } : process.env,
    ),
    ...(heads ? { heads: JSON.parse(readFileSync(heads, 'utf8')) as BlockHeadsExport } : {}),
    onStep: (step) => process.stderr.write(`${step}\n`),
    onProgress: (n) => {
      if (n - last >= 50_000) {
        last = n;
        process.stderr.write(`  ${n.toLocaleString('en-US')} events checked\n`);
      }
    },
  });
  const outcome = describeRestore(report);
  process.stdout.write(`${outcome.text}\n`);
  process.exitCode = outcome.exitCode;
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
});
