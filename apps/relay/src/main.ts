import { Logger } from '@nestjs/common';
import {
  createEventStore,
  describeEventStoreConfig,
  eventStoreConfigFromEnv,
} from '@samverkan/event-store/event-store.config';
import {
  agencyUsersOf,
  brokerAccessFromEnv,
  grantBrokerAccess,
} from '@samverkan/integration/kafka/broker-access';
import { eventStoreProbe } from '@samverkan/event-store/event-store-readiness';
import { kafkaProbe } from '@samverkan/integration/kafka/broker-reachability';
import {
  createRelay,
  adminKafkaClient,
  feedConfigFromEnv,
  probeKafkaClient,
} from '@samverkan/integration/relay/relay-config';
import { relayProbe } from '@samverkan/integration/relay/relay-readiness';
import { indicator } from '@samverkan/shared/health/readiness';
import { serveWorker } from '@samverkan/shared/worker-process';
import { STORE_PARSERS } from '@samverkan/event-store/configuration-parsers';
import { integerSetting, textSetting } from '@samverkan/shared/configuration/read-setting';
import { exitOnConfigurationProblems } from '@samverkan/shared/configuration/validate-configuration';
import { useJsonLogs } from '@samverkan/shared/logging/json-logger';
import { newMetricsRegistry } from '@samverkan/shared/metrics/metrics-registry';
import { registerRelayMetrics } from '@samverkan/integration/relay/relay-metrics';

/**
 * apps/relay: publishes the partnership's log to Kafka for the agencies' systems, outside the
 * API (run the API with SAMVERKAN_RELAY=off). Any number may run on one database: one
 * publishes under a PostgreSQL advisory lock, the others stand by and take over when it goes.
 * `GET /ready` (and `/health`) on SAMVERKAN_RELAY_PORT (default 3002) answers with its
 * checkpoint, lag and state: 503 while Kafka or the database cannot be reached; `GET
 * /health/live` only says the process answers; `GET /metrics` gives Prometheus its lag,
 * whether it is up and its outages. SIGTERM ends it after the batch under way is
 * acknowledged and its checkpoint committed. Set SAMVERKAN_PUBLIC_URL as for the
 * API: each message's `dataref` (where agency systems fetch the personal fields it withholds)
 * names it, and without it localhost.
 *
 * `--grant-access`: only make the broker's ACLs what KAFKA_AGENCY_USERS says (with
 * KAFKA_ADMIN_USERNAME/PASSWORD), then exit: a setup job, so the relay itself runs without the
 * administrator's password.
 */
async function main(): Promise<void> {
  useJsonLogs('relay');
  const logger = new Logger('RelayApp');
  exitOnConfigurationProblems(
    'relay',
    {
      ...STORE_PARSERS,
      KAFKA_AGENCY_USERS: (value, env) =>
        agencyUsersOf(
          value,
          textSetting(env, 'KAFKA_RELAY_USER') ?? textSetting(env, 'KAFKA_USERNAME') ?? '',
        ),
    },
    (line, level) => Logger[level](line, 'Configuration'),
  );
  // SAMVERKAN_RELAY=off is for the API beside this process; this one relays regardless.
  const relayConfig = feedConfigFromEnv();
  if (!relayConfig) throw new Error('apps/relay needs KAFKA_BROKERS');
  const grantOnly = process.argv.includes('--grant-access');
  // With an administrator's Kafka user, the relay first makes the broker's ACLs what
  // KAFKA_AGENCY_USERS says (as `npm run kafka:access` does): each agency system reads the shared
  // topic and its own two, the relay writes them.
  const adminUser = textSetting(process.env, 'KAFKA_ADMIN_USERNAME');
  const adminPassword = textSetting(process.env, 'KAFKA_ADMIN_PASSWORD');
  if (grantOnly && !(adminUser && adminPassword)) {
    throw new Error('--grant-access needs KAFKA_ADMIN_USERNAME and KAFKA_ADMIN_PASSWORD');
  }
  if (adminUser && adminPassword) {
    const access = brokerAccessFromEnv();
    const { granted, revoked } = await grantBrokerAccess(
      adminKafkaClient(relayConfig),
      relayConfig.partnershipId,
      access,
    );
    logger.log(
      `Broker ACLs: ${granted.length} added, ${revoked.length} removed; agency systems: ${[...access.agencyUsers].map(([a, u]) => `${a}=${u}`).join(', ') || 'none'}`,
    );
    // One-shot (a setup job that holds the administrator's password, so the relay need not).
    if (grantOnly) return;
  }
  const storeConfig = eventStoreConfigFromEnv();
  const store = await createEventStore(storeConfig);
  await store.start();
  const relay = createRelay(store, relayConfig, storeConfig);
  await relay.start();
  logger.log(
    `Relaying ${describeEventStoreConfig(storeConfig)} to Kafka at ${relayConfig.brokers.join(',')} for partnership ${relayConfig.partnershipId}`,
  );
  const metrics = newMetricsRegistry();
  registerRelayMetrics(metrics, relay);
  serveWorker({
    port: integerSetting(process.env, 'SAMVERKAN_RELAY_PORT'),
    logger,
    metrics,
    checks: [
      indicator('eventStore', eventStoreProbe(store)),
      indicator('kafka', kafkaProbe(probeKafkaClient(relayConfig))),
      indicator('relay', relayProbe(relay)),
    ],
    stop: async (grace) => {
      await grace.step('relay (the batch under way)', () => relay.stop());
      await grace.step('event store', () => store.close());
    },
  });
}

main().catch((error: unknown) => {
  new Logger('RelayApp').error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
