import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    execFile(file, args, { env, cwd: ROOT }, (error, _out, err) =>
      error ? reject(new Error(`${file} ${args.join(' ')}: ${err || error.message}`)) : resolve(),
    );
  });
}

/**
 * A broker of its own (another port and folder, from scripts/kafka-local.sh), for suites that
 * stop it or need it secured, so that no other suite is disturbed. `tls`: SASL_SSL with a CA of
 * its own (`caFile`); `version`: another Kafka release (e.g. 3.9.1 for clients that 4.x refuses).
 * The jars come from the repository's cache, fetched once per version.
 */
export function ownBroker(
  dir: string,
  options: {
    secure?: { scramUsers: Record<string, string> };
    tls?: boolean;
    version?: string;
    heap?: string;
  } = {},
) {
  const port = 19092 + Math.floor(Math.random() * 2000) * 2;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_LOCAL_PORT: String(port),
    KAFKA_LOCAL_DIR: dir,
    KAFKA_LOCAL_JARS_DIR: join(ROOT, '.kafka-local', 'jars'),
    KAFKA_LOCAL_HEAP_OPTS: options.heap ?? '-Xms128m -Xmx512m',
    // Two cores shared with other suites' brokers and JVMs: a start can take minutes.
    KAFKA_LOCAL_WAIT: process.env['KAFKA_LOCAL_WAIT'] ?? '150',
    ...(options.version ? { KAFKA_LOCAL_VERSION: options.version } : {}),
    ...(options.tls ? { KAFKA_LOCAL_TLS: '1' } : {}),
    ...(options.secure
      ? {
          KAFKA_LOCAL_SECURE: '1',
          KAFKA_LOCAL_SCRAM_USERS: Object.entries(options.secure.scramUsers)
            .map(([user, password]) => `${user}:${password}`)
            .join(','),
        }
      : {}),
  };
  const script = (command: 'start' | 'stop') =>
    run(join(ROOT, 'scripts/kafka-local.sh'), [command], env);
  return {
    start: () => script('start'),
    stop: () => script('stop'),
    brokers: [`127.0.0.1:${port}`],
    /** The CA that signed the broker's certificate (with `tls`), made at the first start. */
    caFile: join(dir, 'tls', 'ca.pem'),
  };
}

/** A CA of its own, as PEM in `file`: one no broker here trusts or is signed by. */
export function anotherCa(file: string): Promise<void> {
  return run(
    'openssl',
    [
      'req',
      '-x509',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${file}.key`,
      '-out',
      file,
      '-days',
      '2',
      '-subj',
      '/CN=Another CA',
    ],
    process.env,
  );
}
