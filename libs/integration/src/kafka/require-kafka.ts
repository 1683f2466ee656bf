/**
 * Suites that need a Kafka broker. Without KAFKA_BROKERS they are skipped with a message saying
 * how to run them (scripts/kafka-local.sh start), except under CI=true, where a missing broker
 * is a failure.
 */
export function requireKafka(what: string): {
  brokers: string[];
  describe: jest.Describe;
} {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return {
    brokers,
    describe: describeIf(brokers.length > 0, what, {
      need: 'Kafka',
      missing: 'KAFKA_BROKERS is not set',
      remedy: 'run scripts/kafka-local.sh start and set KAFKA_BROKERS=127.0.0.1:9092',
    }),
  };
}

/**
 * `describe` when what a suite needs is here; otherwise skipped with a message saying how to
 * get it, or under CI=true a failing test: a suite that cannot run must not pass unnoticed.
 */
export function describeIf(
  available: boolean,
  what: string,
  { need, missing, remedy }: { need: string; missing: string; remedy: string },
): jest.Describe {
  if (available) return describe;
  if (process.env['CI'] === 'true') {
    return ((name: string) =>
      describe(name, () => {
        it(`needs ${need}`, () => {
          throw new Error(`CI=true but ${missing}: ${what} must run in CI. To run it, ${remedy}.`);
        });
      })) as unknown as jest.Describe;
  }
  // Straight to stderr: jest may drop console output of a suite whose tests are all skipped.
  process.stderr.write(`\nSkipped ${what}: ${remedy} (under CI=true it fails instead).\n`);
  return describe.skip;
}
