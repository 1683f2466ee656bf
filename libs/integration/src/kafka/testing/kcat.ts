import { execFile, execFileSync } from 'node:child_process';
import { describeIf } from '../require-kafka';

/**
 * Debian's kcat (`apt-get install kcat`; `.ci/run` installs it): a client on librdkafka, the C
 * library under most agency systems' Kafka clients that are not Java (Python's, Go's, .NET's,
 * PHP's), and in the version a Debian server has.
 */
export const KCAT = process.env['KCAT_PATH'] ?? 'kcat';

/** `kcat 1.7.1, librdkafka 2.0.2` as `kcat -V` says, or undefined where there is no kcat. */
export function kcatVersion(): string | undefined {
  try {
    const out = execFileSync(KCAT, ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const kcat = /Version (\S+)/.exec(out)?.[1];
    const librdkafka = /librdkafka (\S+)/.exec(out)?.[1];
    return kcat && librdkafka ? `kcat ${kcat}, librdkafka ${librdkafka}` : undefined;
  } catch {
    return undefined;
  }
}

/** Suites that run kcat: skipped without it, failing under CI=true. */
export function requireKcat(what: string): {
  version: string | undefined;
  describe: jest.Describe;
} {
  const version = kcatVersion();
  return {
    version,
    describe: describeIf(version !== undefined, what, {
      need: 'kcat',
      missing: `${KCAT} is not installed`,
      remedy: 'apt-get install kcat (or set KCAT_PATH)',
    }),
  };
}

/** kcat with these arguments: its exit code and what it printed, never a rejection. */
export function kcat(
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KCAT, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
