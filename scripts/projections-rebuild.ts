/**
 * Rebuilds read models from the log into a fresh table set while the old one keeps serving,
 * then switches readers over:
 *   npm run projections:rebuild -- [--fresh] <name> [<name> ...]   (or `all`)
 *   npm run projections:rebuild -- --resume <name>   (a stopped projection goes on)
 * On PostgreSQL it runs beside the API and projectors; on the embedded store, stop the API first
 * (one process owns the data folder). A rebuild that is stopped resumes where it was.
 */
import { exitOnCliConfigurationProblems } from '../libs/event-store/src/configuration-parsers';
import { eventStoreConfigFromEnv } from '../libs/event-store/src/event-store.config';
import { ALL_PROJECTIONS, projectionNamed } from '../libs/projections/src/all-projections';
import type { RebuildProgress } from '../libs/projections/src/projection-runner';
import { openReadModelEngine } from '../libs/projections/src/projector';
import { useCliJsonLogs } from '../libs/shared/src/logging/json-logger';

const WIDTH = 30;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** `[#########.........]  45%  90,000/200,000 events  12,345 events/s  1:23 left` */
export function progressLine(p: RebuildProgress): string {
  const share = p.head === 0 ? 1 : Math.min(1, p.position / p.head);
  const filled = Math.round(share * WIDTH);
  const rate = p.elapsedMs > 0 ? (p.applied * 1000) / p.elapsedMs : 0;
  const left = rate > 0 ? (p.head - p.position) / rate : Infinity;
  return (
    `${p.projection.padEnd(20)} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ` +
    `${String(Math.floor(share * 100)).padStart(3)}%  ` +
    `${p.position.toLocaleString('en-US')}/${p.head.toLocaleString('en-US')} events  ` +
    `${Math.round(rate).toLocaleString('en-US')} events/s  ${duration(left)} left`
  );
}

async function main(): Promise<void> {
  // What the libraries log, as JSON on stderr: stdout is this tool's answer.
  useCliJsonLogs('projections-rebuild', 'warn');
  const args = process.argv.slice(2);
  if (args.length === 0) {
    process.stderr.write(
      `usage: npm run projections:rebuild -- [--fresh] <name> [<name> ...] | all\n       npm run projections:rebuild -- --resume <name> [<name> ...]\n  projections: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}\n`,
    );
    process.exit(2);
  }
  const resume = args.includes('--resume');
  const fresh = args.includes('--fresh');
  const names = args.filter((a) => !a.startsWith('--'));
  const projections = names.includes('all') ? ALL_PROJECTIONS : names.map(projectionNamed);
  exitOnCliConfigurationProblems();
  const engine = await openReadModelEngine(eventStoreConfigFromEnv());
  if (resume) {
    // After the cause of a stopped projection is fixed: on from its checkpoint, no rebuild.
    try {
      for (const p of projections) {
        await engine.runner.resume(p.name);
        process.stdout.write(`${p.name}: resumed from its checkpoint\n`);
      }
    } finally {
      await engine.close();
    }
    return;
  }
  const tty = process.stdout.isTTY;
  let lastPrinted = 0;
  try {
    for (const projection of projections) {
      if (fresh) await engine.runner.discardRebuild(projection);
      const started = Date.now();
      const outcome = await engine.runner.rebuild(projection, {
        onProgress: (p) => {
          const now = Date.now();
          if (tty) process.stdout.write(`\r${progressLine(p)}`);
          else if (now - lastPrinted >= 2000) {
            process.stdout.write(`${progressLine(p)}\n`);
            lastPrinted = now;
          }
        },
      });
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(
        `${tty ? '\n' : ''}${projection.name}: ${outcome.applied.toLocaleString('en-US')} events into ${outcome.tableSet} in ${seconds.toFixed(1)} s; readers switched over${outcome.replaced ? ` from ${outcome.replaced}` : ''}\n`,
      );
    }
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\nRebuild failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
