import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import { appendPartnershipLog } from '@samverkan/projections/testing/partnership-log';
import { until } from '@samverkan/shared/eventually';
import { Kafka, logLevel } from 'kafkajs';
import { agencyTopics } from '../relay/feed-audience';
import type { Relay } from '../relay/relay';
import { adminKafkaClient, createRelay, feedConfigFromEnv } from '../relay/relay-config';
import { countOf, expectedFor } from '../relay/testing/relay-feed';
import { grantBrokerAccess } from './broker-access';
import { requireKafka } from './require-kafka';
import { anotherCa, ownBroker } from './testing/own-broker';
import { releaseAll } from './testing/release-all';

const pg = requirePostgres('the Kafka TLS suite (PostgreSQL)');
// Runs its own broker over TLS, but like every Kafka suite only where Kafka is meant to run.
const kafka = requireKafka('the Kafka TLS suite (Kafka)');

const ROOT = join(__dirname, '..', '..', '..', '..');
const SUBSCRIBER = 'examples/agency-subscriber/subscriber.ts';
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
    let store: EventStore;
    const relays: Relay[] = [];
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      await Promise.all([broker.start(), anotherCa(wrongCa)]);
      store = await databases.startedStore(5);
    }, 240_000);
    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      await releaseAll({ relays, store, broker, dir, databases });
    }, 120_000);

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
      // The subscriber an agency copies, given the same two variables as the platform.
      const subscriber = spawn(process.execPath, ['--import', 'tsx', SUBSCRIBER], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...envWithCa(broker.caFile),
          KAFKA_USERNAME: 'police-system',
          KAFKA_PASSWORD: USERS['police-system'],
          AGENCY: 'police',
          SEEN_FILE: join(dir, 'seen-ids'),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(subscriber);
      const byStream = new Map<string, number[]>();
      let printed = 0;
      createInterface({ input: subscriber.stdout }).on('line', (line) => {
        const event = JSON.parse(line) as { subject: string; streamrevision: number };
        byStream.set(event.subject, [...(byStream.get(event.subject) ?? []), event.streamrevision]);
        printed++;
      });
      await until(
        'the subscriber past every event',
        () => Promise.resolve(printed >= countOf(expected) ? true : undefined),
        90_000,
      );
      expect(byStream).toEqual(expected);
    }, 120_000);

    it('refuses a client that trusts another CA with a certificate error; the relay reports the broker unreachable and keeps running', async () => {
      // An agency system's client that trusts another CA: refused before it sends its password.
      const admin = new Kafka({
        clientId: 'tls-test-police-system',
        brokers: broker.brokers,
        logLevel: logLevel.NOTHING,
        ssl: { ca: [readFileSync(wrongCa, 'utf8')], rejectUnauthorized: true },
        sasl: { mechanism: 'scram-sha-512', username: 'police-system', password: 'police-secret' },
        retry: { retries: 0 },
      }).admin();
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
