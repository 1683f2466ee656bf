/**
 * npm run backup [-- --out FILE]
 * One file with a manifest line (version, store, head position, schema versions, time) and a
 * consistent copy of the store, taken while the platform runs (see docs/operations.md, "Backup
 * and restore"). The default name is samverkan-<store>-<time>.backup in the working folder.
 */
import { exitOnCliConfigurationProblems } from '../libs/event-store/src/configuration-parsers';
import { resolve } from 'node:path';
import { eventStoreConfigFromEnv } from '../libs/event-store/src/event-store.config';
import { takeBackup } from '../apps/api/src/backup/take-backup';

async function main(): Promise<void> {
  exitOnCliConfigurationProblems();
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  if (args.some((a) => a.startsWith('-') && a !== '--out') || (at >= 0 && !args[at + 1])) {
    process.stderr.write('Usage: npm run backup [-- --out FILE]\n');
    process.exitCode = 2;
    return;
  }
  const config = eventStoreConfigFromEnv();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = resolve(at >= 0 ? args[at + 1]! : `samverkan-${config.adapter}-${stamp}.backup`);
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const taken = await takeBackup(config, out, (bytes) =>
    process.stderr.write(`  ${mb(bytes)} written\n`),
  );
  const m = taken.manifest;
  process.stdout.write(
    `Backed up the ${m.store} store through position ${m.headPosition} (sealed through ${m.sealedThrough}) as of ${m.takenAt}, copied by ${taken.madeBy}: ${out} (${mb(taken.bytes)}).\n` +
      'The master keys and the seal key are not in it: keep them apart, as configuration.\n',
  );
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
});
