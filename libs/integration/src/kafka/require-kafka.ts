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
  if (brokers.length > 0) return { brokers, describe };
  if (process.env['CI'] === 'true') {
    const failing = ((name: string) =>
      describe(name, () => {
        it('needs Kafka', () => {
          throw new Error(
            `CI=true but KAFKA_BROKERS is not set: ${what} must run in CI. Start one with scripts/kafka-local.sh start and set KAFKA_BROKERS=127.0.0.1:9092.`,
          );
        });
      })) as unknown as jest.Describe;
    return { brokers, describe: failing };
  }
  process.stderr.write(
    `\nSkipped ${what}: run scripts/kafka-local.sh start and set KAFKA_BROKERS=127.0.0.1:9092 (under CI=true it fails instead).\n`,
  );
  return { brokers, describe: describe.skip };
}
