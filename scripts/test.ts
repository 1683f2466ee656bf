import { spawnSync } from 'node:child_process';

/**
 * `npm test`: the integration suites first, then the unit, end-to-end and browser suites, each
 * stage two suites at a time. The integration suites run apart: several start brokers, kill
 * processes or wait out leases and time limits, and beside the browser suites (which keep both
 * cores busy) their timing would be another test. They wait more than they compute (one core's
 * worth of CPU over the stage), so two at a time halve most of it; four at a time overloaded the
 * brokers they start. With arguments, Jest runs as given (`npm test -- test/live.e2e-spec.ts`).
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
const integration = run(['--selectProjects', 'integration', '--maxWorkers=2']);
const rest = run(['--selectProjects', 'unit', 'e2e', 'browser']);
process.exit(integration || rest);
