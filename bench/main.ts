import { appendBench, appendProtectionBench } from './append.bench';
import { stdout, type Sink } from './bench-support';
import { projectionsBench } from './projections.bench';
import { relayBench } from './relay.bench';
import { webBench } from './web.bench';

/** `npm run bench -- <name>`: benchmarks that report ratios measured side by side in one run. */
const benches: Record<string, { about: string; run: (out: Sink) => Promise<void> }> = {
  append: {
    about:
      'PostgreSQL append against a raw INSERT baseline, then with tamper evidence and encryption against without',
    run: appendBench,
  },
  'append-protection': {
    about: "append's second half alone: with tamper evidence and encryption against without",
    run: appendProtectionBench,
  },
  projections: {
    about: 'Rebuild of every read model against hand-written batched SQL',
    run: projectionsBench,
  },
  web: {
    about:
      'The main pages in Chromium against the built app on the seeded store: largest contentful paint and JavaScript (gzip)',
    run: webBench,
  },
  relay: {
    about:
      'Append-to-consumer latency through the Kafka relay, and its sustained rate against a raw producer',
    run: relayBench,
  },
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  if (names.length === 0 || names.some((n) => !benches[n])) {
    stdout.line('usage: npm run bench -- <name> [<name> ...]');
    for (const [name, b] of Object.entries(benches)) stdout.line(`  ${name.padEnd(12)} ${b.about}`);
    process.exitCode = names.length === 0 ? 0 : 2;
    return;
  }
  for (const name of names) {
    stdout.line(`== bench ${name} ==`);
    await benches[name]!.run(stdout);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
