import { spawnSync } from 'node:child_process';

/**
 * `npm test`: the integration suites first, one at a time, then the unit, end-to-end and browser
 * suites two at a time. Several integration suites hold a PostgreSQL transaction open on
 * purpose (a writer the watermark must not pass, a migration waiting for a lock), and the oldest
 * open transaction on a server holds back the watermark of every database on it: beside them,
 * another suite's live update or read can wait for minutes. With arguments, Jest runs as given
 * (`npm test -- test/live.e2e-spec.ts`).
 */
const jest = [
  '--expose-gc',
  '--experimental-vm-modules',
  '--no-warnings=ExperimentalWarning',
  'node_modules/jest/bin/jest.js',
];
const run = (args: string[]): number =>
  spawnSync(process.execPath, [...jest, ...args], { stdio: 'inherit' }).status ?? 1;

const given = process.argv.slice(2);
if (given.length > 0) process.exit(run(given));
const integration = run(['--selectProjects', 'integration', '--maxWorkers=1']);
const rest = run(['--selectProjects', 'unit', 'e2e', 'browser']);
process.exit(integration || rest);
