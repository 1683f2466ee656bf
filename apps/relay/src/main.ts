import { createServer } from 'node:http';
import { Logger } from '@nestjs/common';
import {
  createEventStore,
  describeEventStoreConfig,
  eventStoreConfigFromEnv,
} from '@samverkan/event-store/event-store.config';
import { brokerAccessFromEnv, grantBrokerAccess } from '@samverkan/integration/kafka/broker-access';
import {
  createRelay,
  kafkaClient,
  feedConfigFromEnv,
} from '@samverkan/integration/relay/relay-config';

/**
 * apps/relay: publishes the partnership's log to Kafka for the agencies' systems, outside the
 * API (run the API with SAMVERKAN_RELAY=off). Any number may run on one database: one
 * publishes under a PostgreSQL advisory lock, the others stand by and take over when it goes.
 * `GET /health` on SAMVERKAN_RELAY_PORT (default 3002) answers with its checkpoint, lag and
 * state: 503 while Kafka or the database cannot be reached.
 *
 * `--grant-access`: only make the broker's ACLs what KAFKA_AGENCY_USERS says (with
 * KAFKA_ADMIN_USERNAME/PASSWORD), then exit: a setup job, so the relay itself runs without the
 * administrator's password.
 */
async function main(): Promise<void> {
  const logger = new Logger('RelayApp');
  // SAMVERKAN_RELAY=off is for the API beside this process; this one relays regardless.
  const relayConfig = feedConfigFromEnv();
  if (!relayConfig) throw new Error('apps/relay needs KAFKA_BROKERS');
  const grantOnly = process.argv.includes('--grant-access');
  // With an administrator's Kafka user, the relay first makes the broker's ACLs what
  // KAFKA_AGENCY_USERS says (as `npm run kafka:access` does): each agency system reads the shared
  // topic and its own two, the relay writes them.
  const adminUser = process.env['KAFKA_ADMIN_USERNAME']?.trim();
  const adminPassword = process.env['KAFKA_ADMIN_PASSWORD'];
  if (grantOnly && !(adminUser && adminPassword)) {
    throw new Error('--grant-access needs KAFKA_ADMIN_USERNAME and KAFKA_ADMIN_PASSWORD');
  }
  if (adminUser && adminPassword) {
    const access = brokerAccessFromEnv();
    const { granted, revoked } = await grantBrokerAccess(
      kafkaClient(
        { ...relayConfig, sasl: { username: adminUser, password: adminPassword } },
        'access',
      ),
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
  const relay = createRelay(
    store,
    relayConfig,
    storeConfig.adapter === 'postgres' ? storeConfig.connectionString : undefined,
  );
  await relay.start();
  logger.log(
    `Relaying ${describeEventStoreConfig(storeConfig)} to Kafka at ${relayConfig.brokers.join(',')} for partnership ${relayConfig.partnershipId}`,
  );
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/health') {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Not Found', status: 404 }));
      return;
    }
    relay.status().then(
      (status) => {
        const down =
          status.state === 'broker-unreachable' ||
          status.state === 'store-unreachable' ||
          status.state === 'failing' ||
          status.state === 'stopped';
        res.writeHead(down ? 503 : 200, { 'content-type': 'application/json' });
        // Unauthenticated: positions and states only; error texts are in the log.
        const { lastError: _lastError, ...shown } = status;
        res.end(JSON.stringify({ status: down ? 'failing' : 'ok', relay: shown }));
      },
      (error: unknown) => {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'down', error: String(error) }));
      },
    );
  });
  const port = Number(process.env['SAMVERKAN_RELAY_PORT'] ?? 3002);
  server.listen(port, '0.0.0.0', () => {
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    logger.log(`Health at http://localhost:${bound}/health`);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: finishing the batch under way, then stopping`);
    server.close();
    relay
      .stop()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`Stopping failed: ${String(error)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  new Logger('RelayApp').error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
