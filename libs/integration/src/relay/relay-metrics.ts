import { Counter, Gauge, type Registry } from 'prom-client';
import { onePerScrape } from '@samverkan/shared/metrics/metrics-registry';
import type { RelayStatus } from './relay';

/** States in which the relay is not doing its job. */
export const RELAY_DOWN: ReadonlySet<RelayStatus['state']> = new Set([
  'broker-unreachable',
  'store-unreachable',
  'failing',
  'stopped',
]);

/**
 * The relay's lag, position, whether it is up, and its outages, read from its status at each
 * scrape. A standby relay is up (it stands ready) and shows the publishing relay's checkpoint.
 */
export function registerRelayMetrics(
  registry: Registry,
  relay: { status(): Promise<RelayStatus> },
): void {
  const sample = onePerScrape(() => relay.status());
  const gauge = (name: string, help: string, value: (s: RelayStatus) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.reset();
        const status = await sample().catch(() => undefined);
        if (status) this.set(value(status));
      },
    });
  gauge(
    'samverkan_relay_lag_events',
    'Events in the log not yet acknowledged by Kafka',
    (s) => s.lag,
  );
  gauge(
    'samverkan_relay_position',
    'The global position through which Kafka has acknowledged the log',
    (s) => s.position,
  );
  gauge(
    'samverkan_relay_up',
    '1 while the relay publishes or stands by; 0 while Kafka or the database cannot be reached, or publishing fails',
    (s) => (RELAY_DOWN.has(s.state) ? 0 : 1),
  );
  new Counter({
    name: 'samverkan_relay_outages_total',
    help: 'Outages since the relay started: Kafka or the database unreachable, or publishing failing',
    registers: [registry],
    async collect() {
      // The relay counts them; the counter shows its count (it only grows while it runs).
      const status = await sample().catch(() => undefined);
      if (status) {
        this.reset();
        this.inc(status.outages);
      }
    },
  });
}
