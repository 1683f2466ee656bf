import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Each app checks its configuration first: with bad variables it exits with status 1 and one
 * log line per bad variable, before it opens the store or a port, and never prints a secret.
 */

const ROOT = join(__dirname, '..');
const PASSWORD = 'hunter2-do-not-print';

/** Runs an app's main with `env` (and nothing of this process's own configuration). */
function run(main: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'], NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

/** The messages of the JSON log lines the configuration check wrote, in order. */
const configurationLines = (out: string): string[] =>
  out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { context?: string; message?: string })
    .filter((entry) => entry.context === 'Configuration')
    .map((entry) => String(entry.message));

// The database is never reached: the check stops the process first.
const DATABASE_URL = `postgres://samverkan_app:${PASSWORD}@127.0.0.1:1/nowhere`;

describe('start-up configuration check', () => {
  it('stops each app with status 1 and names every bad variable, without secrets', async () => {
    // The API's check is the same call with its own parsers (apps/api/src/configuration-parsers.spec.ts).
    const [projector, relay] = await Promise.all([
      run('apps/projector/src/main.ts', {
        DATABASE_URL,
        DATABASE_POOL_SIZE: '0',
        SAMVERKAN_PROJECTOR_BATCH: 'lots',
        SAMVERKAN_PROJECTOR_BACH: '40',
        SAMVERKAN_MASTER_KEYS: `k1:${PASSWORD}`,
        SAMVERKAN_LOG_LEVEL: 'loud',
      }),
      run('apps/relay/src/main.ts', {
        DATABASE_OWNER_URL: `postgres://samverkan:${PASSWORD}@127.0.0.1:1/nowhere`,
        KAFKA_USERNAME: 'relay',
      }),
    ]);

    expect(projector.code).toBe(1);
    expect(configurationLines(projector.out)).toEqual([
      'SAMVERKAN_PROJECTOR_BACH: not a variable Samverkan reads (misspelt?); ignored',
      "DATABASE_POOL_SIZE: must be an integer from 1 to 200, got '0'",
      "SAMVERKAN_MASTER_KEYS: entry 1 ('k1') is not valid base64",
      "SAMVERKAN_PROJECTOR_BATCH: must be an integer from 1 to 10000, got 'lots'",
      // The log is made before the check, at the default level, so it can say this too.
      "SAMVERKAN_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'",
    ]);

    expect(relay.code).toBe(1);
    expect(configurationLines(relay.out)).toEqual([
      'DATABASE_OWNER_URL: only with DATABASE_URL: it names the owner of the PostgreSQL log that DATABASE_URL uses',
      'KAFKA_PASSWORD: KAFKA_USERNAME and KAFKA_PASSWORD go together',
      'KAFKA_BROKERS: required by apps/relay: host:port of Kafka',
    ]);

    for (const { out } of [projector, relay]) {
      expect(out).not.toContain(PASSWORD);
      // Nothing started: no store opened, no port listened on.
      expect(out).not.toMatch(/Health at|Opened/);
    }
    // Two processes compiling the apps with tsx: seconds alone, minutes on a loaded machine.
  }, 300_000);
});
