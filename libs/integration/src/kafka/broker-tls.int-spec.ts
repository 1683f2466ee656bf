import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import { appendPartnershipLog } from '@samverkan/projections/testing/partnership-log';
import { until } from '@samverkan/shared/eventually';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { agencyTopics } from '../relay/feed-audience';
import type { Relay } from '../relay/relay';
import { adminKafkaClient, createRelay, feedConfigFromEnv } from '../relay/relay-config';
import { consume, countOf, expectedFor } from '../relay/testing/relay-feed';
import { consumerGroupPrefix, grantBrokerAccess } from './broker-access';
import { requireKafka } from './require-kafka';
import { anotherCa, ownBroker } from './testing/own-broker';
import { releaseAll } from './testing/release-all';

const pg = requirePostgres('the Kafka TLS suite (PostgreSQL)');
// Runs its own broker over TLS, but like every Kafka suite only where Kafka is meant to run.
const kafka = requireKafka('the Kafka TLS suite (Kafka)');

const USERS = { relay: 'relay-secret', 'police-system': 'police-secret' };

pg.describe('Kafka over TLS', () => {
  kafka.describe('on a SASL_SSL broker whose certificate a CA of its own signed', () => {
    const databases = new TestDatabases(pg.url);
    const dir = mkdtempSync(join(tmpdir(), 'samverkan-kafka-tls-'));
    const broker = ownBroker(dir, { secure: { scramUsers: USERS }, tls: true });
    const wrongCa = join(dir, 'another-ca.pem');
    const partnershipId = `t${randomBytes(4).toString('hex')}`;
    /** The environment of a platform process on this broker, as an operator would set it. */
    const envWithCa = (caFile: string, partnership = partnershipId): NodeJS.ProcessEnv => ({
      KAFKA_BROKERS: broker.brokers.join(','),
      KAFKA_USERNAME: 'relay',
      KAFKA_PASSWORD: USERS.relay,
      KAFKA_SSL: 'on',
      KAFKA_SSL_CA_FILE: caFile,
      SAMVERKAN_PARTNERSHIP_ID: partnership,
    });
    /** An agency system's client trusting the CA in `caFile` (retrying as kafkajs does, or not). */
    const agencySystem = (caFile: string, retries = 5) =>
      new Kafka({
        clientId: 'tls-test-police-system',
        brokers: broker.brokers,
        logLevel: logLevel.NOTHING,
        ssl: { ca: [readFileSync(caFile, 'utf8')], rejectUnauthorized: true },
        sasl: {
          mechanism: 'scram-sha-512',
          username: 'police-system',
          password: USERS['police-system'],
        },
        retry: { retries, initialRetryTime: 200 },
      });
    let store: EventStore;
    const relays: Relay[] = [];
    const consumers: Consumer[] = [];

    beforeAll(async () => {
      await Promise.all([broker.start(), anotherCa(wrongCa)]);
      store = await databases.startedStore(5);
    }, 180_000);
    afterAll(() => releaseAll({ relays, consumers, store, broker, dir, databases }), 120_000);

    it('lets the relay publish with the configured CA, and an agency system read its topics over TLS', async () => {
      const config = feedConfigFromEnv(envWithCa(broker.caFile))!;
      // The ACLs as `npm run kafka:access` sets them: the administrator's client over TLS too.
      await grantBrokerAccess(
        adminKafkaClient(config, {
          KAFKA_ADMIN_USERNAME: 'admin',
          KAFKA_ADMIN_PASSWORD: 'admin-secret',
        }),
        partnershipId,
        { relayUser: 'relay', agencyUsers: new Map([['police', 'police-system']]) },
      );
      const relay = createRelay(store, config);
      relays.push(relay);
      await relay.start();
      const last = await appendPartnershipLog(store, { promises: 1, activities: 20, reports: 12 });
      await until('the relay past the log', async () =>
        (await relay.status()).position >= last ? true : undefined,
      );
      expect((await relay.status()).state).toBe('running');

      const topics = agencyTopics(partnershipId, 'police');
      const expected = await expectedFor(store, partnershipId, topics);
      expect(countOf(expected)).toBeGreaterThan(20);
      const [reader, group] = [agencySystem(broker.caFile), consumerGroupPrefix('police-system')];
      const { byStream } = await consume(reader, consumers, topics, countOf(expected), group);
      expect(byStream).toEqual(expected);
    }, 120_000);

    it('refuses a client that trusts another CA with a certificate error; the relay reports the broker unreachable and keeps running', async () => {
      const admin = agencySystem(wrongCa, 0).admin();
      await expect(admin.connect()).rejects.toThrow(/certificate/i);

      // A relay given the wrong CA file: it starts (the API with it still serves), holds at
      // its checkpoint and says why, instead of stopping the process.
      const other = `w${randomBytes(4).toString('hex')}`;
      const relay = createRelay(store, feedConfigFromEnv(envWithCa(wrongCa, other))!);
      relays.push(relay);
      await relay.start();
      const down = await until('the outage in the status', async () => {
        const s = await relay.status();
        return s.state === 'broker-unreachable' ? s : undefined;
      });
      expect(down.outageSince).not.toBeNull();
      expect(down.lastError).toMatch(/certificate/i);
      expect(down.position).toBe(0);
      expect(down.lag).toBeGreaterThan(0);
    }, 120_000);
  });
});
