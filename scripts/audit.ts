/**
 * The log's tamper evidence from the command line:
 *   npm run audit:verify [-- --json]      checks every stream chain and sealed block; exit 1 when
 *                                        something does not hold, 0 when all does
 *   npm run audit:export [-- --out FILE]  writes the signed block heads (JSON) for the archive
 *   npm run audit -- new-seal-key         prints a new Ed25519 key for SAMVERKAN_SEAL_KEY
 * On PostgreSQL it reads the database (DATABASE_URL; the application's role is enough). On the
 * embedded store it asks the running API over the data folder's control socket, and opens the
 * folder itself when no API runs.
 */
import { writeFileSync } from 'node:fs';
import { controlSocketPath, sealKeysForEnvironment } from '../apps/api/src/audit/audit-config';
import { askControlSocket } from '../apps/api/src/audit/control-socket-client';
import {
  createEventStore,
  eventStoreConfigFromEnv,
} from '../libs/event-store/src/event-store.config';
import { exitOnCliConfigurationProblems } from '../libs/event-store/src/configuration-parsers';
import { SqlEventStore } from '../libs/event-store/src/sql/sql-event-store';
import {
  exportBlockHeads,
  type BlockHeadsExport,
} from '../libs/event-store/src/tamper-evidence/block-heads';
import { newSealKey } from '../libs/event-store/src/tamper-evidence/seal-keys';
import {
  verifyLog,
  type VerificationReport,
} from '../libs/event-store/src/tamper-evidence/sql-log-verifier';
import { useCliJsonLogs } from '../libs/shared/src/logging/json-logger';

type Command = 'verify' | 'export';

async function run<T>(command: Command): Promise<T> {
  exitOnCliConfigurationProblems();
  const config = eventStoreConfigFromEnv();
  const path = command === 'verify' ? '/audit/verification' : '/audit/heads';
  if (config.adapter === 'embedded') {
    const answer = await askControlSocket(controlSocketPath(config.dataDir), 'GET', path);
    if (answer !== undefined) {
      process.stderr.write('(asked the running API over its control socket)\n');
      return JSON.parse(answer.toString('utf8')) as T;
    }
  }
  const keys = sealKeysForEnvironment();
  const store = await createEventStore(config);
  try {
    await store.start();
    if (!(store instanceof SqlEventStore)) throw new Error('Tamper evidence needs a SQL store');
    let last = 0;
    const result =
      command === 'verify'
        ? await verifyLog(store.sqlClient, keys, (n) => {
            if (n - last >= 50_000) {
              last = n;
              process.stderr.write(`  ${n.toLocaleString('en-US')} events checked\n`);
            }
          })
        : await exportBlockHeads(store.sqlClient, keys);
    return result as T;
  } finally {
    await store.close();
  }
}

function describe(report: VerificationReport): string {
  const lines = [
    report.intact
      ? 'The log holds: every chain and sealed block matches.'
      : 'The log does NOT hold.',
    `${report.eventsChecked} events in ${report.streamsChecked} streams and ${report.blocksChecked} sealed blocks checked in ${report.seconds} s (${report.eventsPerSecond} events/s).`,
    `Sealed through position ${report.sealedThrough}; ${report.unsealedEvents} events after it are checked by their chains only.`,
  ];
  if (report.firstProblem) {
    const p = report.firstProblem;
    lines.push(
      `First problem, at position ${p.globalPosition}${p.streamId ? ` (stream ${p.streamId}, revision ${p.revision})` : ''}: ${p.kind}: ${p.detail}`,
      `${report.problemCount} problem(s) in all.`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  // What the libraries log, as JSON on stderr: stdout is this tool's answer.
  useCliJsonLogs('audit', 'warn');
  const [command, ...args] = process.argv.slice(2);
  if (command === 'new-seal-key') {
    const key = newSealKey();
    process.stdout.write(
      `SAMVERKAN_SEAL_KEY=${key.privateKey}\n# public key (key id ${key.keyId}), for SAMVERKAN_SEAL_PUBLIC_KEYS once this key is retired:\n# ${key.publicKey}\n`,
    );
    return;
  }
  if (command === 'verify') {
    const report = await run<VerificationReport>('verify');
    process.stdout.write(
      args.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : `${describe(report)}\n`,
    );
    process.exitCode = report.intact ? 0 : 1;
    return;
  }
  if (command === 'export') {
    const heads = await run<BlockHeadsExport>('export');
    const at = args.indexOf('--out');
    const text = `${JSON.stringify(heads, null, 2)}\n`;
    if (at >= 0 && args[at + 1]) {
      writeFileSync(args[at + 1]!, text);
      process.stderr.write(`Wrote ${heads.blocks.length} block heads to ${args[at + 1]}\n`);
    } else process.stdout.write(text);
    return;
  }
  process.stderr.write(
    'Usage: npm run audit -- verify [--json] | export [--out FILE] | new-seal-key\n',
  );
  process.exitCode = 2;
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
});
