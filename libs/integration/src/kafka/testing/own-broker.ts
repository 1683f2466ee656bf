import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');

/**
 * A broker of its own (another port and folder, from scripts/kafka-local.sh), for suites that
 * stop it or need it secured, so that no other suite is disturbed.
 */
export function ownBroker(
  dir: string,
  options: { secure?: { scramUsers: Record<string, string> } } = {},
) {
  const port = 19092 + Math.floor(Math.random() * 2000) * 2;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_LOCAL_PORT: String(port),
    KAFKA_LOCAL_DIR: dir,
    KAFKA_LOCAL_HEAP_OPTS: '-Xms128m -Xmx512m',
    ...(options.secure
      ? {
          KAFKA_LOCAL_SECURE: '1',
          KAFKA_LOCAL_SCRAM_USERS: Object.entries(options.secure.scramUsers)
            .map(([user, password]) => `${user}:${password}`)
            .join(','),
        }
      : {}),
  };
  const run = (command: 'start' | 'stop') =>
    new Promise<void>((resolve, reject) => {
      execFile(
        join(ROOT, 'scripts/kafka-local.sh'),
        [command],
        { env, cwd: ROOT },
        (error, _out, err) =>
          error
            ? reject(new Error(`kafka-local.sh ${command}: ${err || error.message}`))
            : resolve(),
      );
    });
  return { start: () => run('start'), stop: () => run('stop'), brokers: [`127.0.0.1:${port}`] };
}
