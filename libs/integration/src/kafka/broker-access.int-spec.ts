import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import type { SqlEventStore } from '@samverkan/event-store/sql/sql-event-store';
import { appendPartnershipLog } from '@samverkan/projections/testing/partnership-log';
import { until } from '@samverkan/shared/eventually';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { agencyTopic, agencyTopics } from '../relay/feed-audience';
import { Relay } from '../relay/relay';
import { consume, countOf, expectedFor } from '../relay/testing/relay-feed';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
} from 'kafkajs';
import {
  aclsFor,
  consumerGroupPrefix,
  grantBrokerAccess,
  type BrokerAccess,
} from './broker-access';
import { requireKafka } from './require-kafka';
import { kcat, requireKcat } from './testing/kcat';
import { ownBroker } from './testing/own-broker';
import { releaseAll } from './testing/release-all';

const pg = requirePostgres('the broker access suite (PostgreSQL)');
// Runs its own secured broker, but like every Kafka suite only where Kafka is meant to run.
const kafka = requireKafka('the broker access suite (Kafka)');
const kcatTool = requireKcat('the broker access suite (kcat, an agency system on librdkafka)');

const USERS = {
  relay: 'relay-secret',
  'police-system': 'police-secret',
  'social-system': 'social-secret',
};

pg.describe('access enforced by the broker', () => {
  kafka.describe('on a SASL/SCRAM broker with ACLs (deny unless allowed)', () => {
    const databases = new TestDatabases(pg.url);
    const dir = mkdtempSync(join(tmpdir(), 'samverkan-kafka-secure-'));
    const broker = ownBroker(dir, { secure: { scramUsers: USERS } });
    const partnershipId = `s${randomBytes(4).toString('hex')}`;
    const access: BrokerAccess = {
      relayUser: 'relay',
      agencyUsers: new Map([
        ['police', 'police-system'],
        ['social-services', 'social-system'],
      ]),
    };
    const as = (username: string, password: string) =>
      new Kafka({
        clientId: `access-test-${username}`,
        brokers: broker.brokers,
        logLevel: logLevel.NOTHING,
        sasl: { mechanism: 'scram-sha-512', username, password },
        retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
      });
    const admin = () => as('admin', 'admin-secret');
    const police = as('police-system', USERS['police-system']);
    let store: EventStore;
    let relay: Relay | undefined;
    const consumers: Consumer[] = [];

    beforeAll(async () => {
      await broker.start();
      store = await databases.startedStore(5);
      await grantBrokerAccess(admin(), partnershipId, access);
      relay = new Relay(store, (store as SqlEventStore).sqlClient, as('relay', USERS.relay), {
        partnershipId,
      });
      await relay.start();
      const last = await appendPartnershipLog(store, {
        promises: 1,
        activities: 40,
        reports: 24,
      });
      await until('the relay past the log', async () =>
        (await relay!.status()).position >= last ? true : undefined,
      );
    }, 180_000);
    afterAll(async () => {
      await relay?.stop().catch(() => undefined);
      for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
      await store?.close();
      await broker.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      await databases.dropAll();
    }, 120_000);

    const ownTopics = agencyTopics(partnershipId, 'police');

    it('lets an agency system read its own topics, restricted one included, with its own credentials', async () => {
      const expected = await expectedFor(store, partnershipId, ownTopics);
      expect(countOf(expected)).toBeGreaterThan(40);
      const received = await consume(
        police,
        consumers,
        ownTopics,
        countOf(expected),
        consumerGroupPrefix('police-system'),
      );
      expect(received.byStream).toEqual(expected);
    }, 90_000);

    it("refuses an agency system another agency's restricted topic, and any topic of another agency", async () => {
      for (const topic of [
        agencyTopic(partnershipId, 'social-services', true),
        agencyTopic(partnershipId, 'social-services', false),
        agencyTopic(partnershipId, 'school', true),
      ]) {
        const consumer = police.consumer({ groupId: `${consumerGroupPrefix('police-system')}x` });
        consumers.push(consumer);
        await consumer.connect();
        await expect(
          consumer.subscribe({ topics: [topic], fromBeginning: true }),
        ).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
        await consumer.disconnect();
      }
    }, 90_000);

    it('refuses an agency system writing to its own topic (no forged events) and a consumer group not its own', async () => {
      const producer = police.producer({ retry: { retries: 0 } });
      await producer.connect();
      await expect(
        producer.send({ topic: ownTopics[0]!, messages: [{ key: 'x', value: '{}' }] }),
      ).rejects.toThrow(/authoriz/i);
      await producer.disconnect();
      const consumer = police.consumer({ groupId: 'social-system.stolen' });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics: [ownTopics[0]!], fromBeginning: true });
      const failed = new Promise<string>((resolve) => {
        consumer.on(consumer.events.CRASH, (e) => resolve(String(e.payload.error)));
      });
      void consumer.run({ eachMessage: () => Promise.resolve() }).catch(() => undefined);
      // kafkajs reports a group the broker refuses as a coordinator it cannot find.
      expect(await failed).toMatch(/coordinator|authoriz/i);
      await consumer.disconnect();
    }, 90_000);

    it('refuses a wrong password', async () => {
      const intruder = as('police-system', 'guess');
      const consumer = intruder.consumer({ groupId: 'police-system.guess' });
      await expect(consumer.connect()).rejects.toThrow(/SASL|authentication/i);
    }, 30_000);

    it('takes access away from a system no longer named, and only on the partnership', async () => {
      // ACLs that are not the feed's: another partnership's agency system, and a DENY an
      // operator put on this partnership's topic. Both must survive the revocation.
      const other = aclsFor('another', {
        relayUser: 'relay',
        agencyUsers: new Map([['police', 'police-other']]),
      });
      const deny = {
        ...other[other.length - 1]!,
        principal: 'User:social-system',
        resourceType: AclResourceTypes.TOPIC,
        resourceName: ownTopics[1]!,
        resourcePatternType: ResourcePatternTypes.LITERAL,
        operation: AclOperationTypes.READ,
        permissionType: AclPermissionTypes.DENY,
      };
      const outside = [...other, deny];
      const operator = admin().admin();
      await operator.connect();
      await operator.createAcls({ acl: outside });
      const { revoked } = await grantBrokerAccess(admin(), partnershipId, {
        relayUser: 'relay',
        agencyUsers: new Map([['social-services', 'social-system']]),
      });
      expect(revoked.length).toBeGreaterThan(0);
      expect(revoked.every((a) => a.principal === 'User:police-system')).toBe(true);
      const consumer = police.consumer({ groupId: `${consumerGroupPrefix('police-system')}after` });
      consumers.push(consumer);
      await consumer.connect();
      await expect(
        consumer.subscribe({ topics: [ownTopics[0]!], fromBeginning: true }),
      ).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
      await consumer.disconnect();
      // Granting again is idempotent: nothing new to create the second time.
      await grantBrokerAccess(admin(), partnershipId, access);
      expect((await grantBrokerAccess(admin(), partnershipId, access)).granted).toEqual([]);
      const left = await operator.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      await operator.disconnect();
      const present = new Set(
        left.resources.flatMap((r) =>
          r.acls.map((a) => `${a.principal} ${r.resourceName} ${a.operation} ${a.permissionType}`),
        ),
      );
      for (const a of outside) {
        expect(present).toContain(
          `${a.principal} ${a.resourceName} ${a.operation} ${a.permissionType}`,
        );
      }
    }, 90_000);
  });
});

// librdkafka before 2.6.1 fails SCRAM against Kafka 4.x (a nonce the 4.x broker checks strictly:
// edenhill/kcat#462, fixed by confluentinc/librdkafka#4895), and Debian 12 ships 2.0.2. Such
// agency systems work against a 3.9 broker, under the same users and ACLs: shown here with
// Debian's kcat, on a 3.9 broker of this suite's own, started once with a small heap.
kafka.describe(`an agency system on ${kcatTool.version ?? 'kcat'} against Kafka 3.9.1`, () => {
  kcatTool.describe('with its own SCRAM user, on a SASL/SCRAM broker with ACLs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samverkan-kafka-39-'));
    const broker = ownBroker(dir, {
      secure: { scramUsers: USERS },
      version: '3.9.1',
      heap: '-Xms64m -Xmx256m',
    });
    const partnershipId = `k${randomBytes(4).toString('hex')}`;
    const own = agencyTopic(partnershipId, 'police', false);
    const other = agencyTopic(partnershipId, 'social-services', false);
    const asPoliceSystem = [
      ...['-b', broker.brokers.join(','), '-X', 'security.protocol=SASL_PLAINTEXT'],
      ...['-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=police-system'],
      ...['-X', `sasl.password=${USERS['police-system']}`],
    ];

    beforeAll(async () => {
      await broker.start();
      const client = new Kafka({
        clientId: 'access-test-admin-39',
        brokers: broker.brokers,
        logLevel: logLevel.NOTHING,
        sasl: { mechanism: 'scram-sha-512', username: 'admin', password: 'admin-secret' },
      });
      await grantBrokerAccess(client, partnershipId, {
        relayUser: 'relay',
        agencyUsers: new Map([
          ['police', 'police-system'],
          ['social-services', 'social-system'],
        ]),
      });
      const admin = client.admin();
      await admin.connect();
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: own }, { topic: other }],
      });
      await admin.disconnect();
      const producer = client.producer();
      await producer.connect();
      await producer.sendBatch({
        topicMessages: [
          { topic: own, messages: ['a', 'b', 'c'].map((k) => ({ key: k, value: `police ${k}` })) },
          { topic: other, messages: [{ key: 'd', value: 'social d' }] },
        ],
      });
      await producer.disconnect();
      // The first run also fetches the 3.9.1 jars into the repository's cache.
    }, 240_000);
    afterAll(() => releaseAll({ broker, dir }), 60_000);

    it("reads its agency's topic in a consumer group of its own", async () => {
      const group = `${consumerGroupPrefix('police-system')}kcat`;
      const read = await kcat([...asPoliceSystem, '-G', group, '-o', 'beginning', '-e', '-q', own]);
      // (its complaints, if any, shown with the exit code)
      expect({ code: read.code, stderr: read.stderr }).toMatchObject({ code: 0 });
      expect(read.stdout.trim().split('\n').sort()).toEqual(['police a', 'police b', 'police c']);
    }, 90_000);

    it("is refused another agency's topic", async () => {
      const read = await kcat([
        ...asPoliceSystem,
        '-C',
        '-t',
        other,
        '-o',
        'beginning',
        '-e',
        '-q',
      ]);
      expect(read.code).not.toBe(0);
      expect(read.stderr).toMatch(/Topic authorization failed/);
      expect(read.stdout).toBe('');
    }, 60_000);
  });
});
