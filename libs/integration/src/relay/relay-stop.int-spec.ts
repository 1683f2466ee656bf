import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createEventStore } from '@samverkan/event-store/event-store.config';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import { appendPartnershipLog } from '@samverkan/projections/testing/partnership-log';
import { until } from '@samverkan/shared/eventually';
import { TcpProxy } from '@samverkan/shared/testing/tcp-proxy';
import { killed, spawnWorker, type WorkerChild } from '@samverkan/shared/testing/worker-child';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Client } from 'pg';
import { requireKafka } from '../kafka/require-kafka';
import { agencyTopics } from './feed-audience';
import { consume, countOf, expectedFor } from './testing/relay-feed';

const ROOT = join(__dirname, '..', '..', '..', '..');
const pg = requirePostgres('the relay readiness and stop suite (PostgreSQL)');
const kafka = requireKafka('the relay readiness and stop suite (Kafka)');

interface RelayHealth {
  status: string;
  relay: { status: string; state: string; position: number; published: number };
}

pg.describe('apps/relay: readiness and a graceful stop', () => {
  kafka.describe('on a real broker, the database through a proxy', () => {
    const databases = new TestDatabases(pg.url);
    const workers: WorkerChild[] = [];
    const consumers: Consumer[] = [];
    const partnershipId = `s${randomBytes(4).toString('hex')}`;
    let store: EventStore;
    let proxy: TcpProxy;
    let url: string;
    let db: Client;

    beforeAll(async () => {
      url = await databases.create();
      store = await createEventStore({ adapter: 'postgres', connectionString: url, poolSize: 4 });
      await store.start();
      db = new Client({ connectionString: url });
      await db.connect();
      const server = new URL(pg.url!);
      proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    });
    afterAll(async () => {
      for (const worker of workers) await killed(worker);
      for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
      await proxy?.stop();
      await db?.end();
      await store?.close();
      await databases.dropAll();
    });

    const start = () => {
      const worker = spawnWorker(ROOT, 'apps/relay/src/main.ts', {
        DATABASE_URL: proxy.rewrite(url),
        KAFKA_BROKERS: kafka.brokers.join(','),
        SAMVERKAN_PARTNERSHIP_ID: partnershipId,
        SAMVERKAN_RELAY_PORT: '0',
        SAMVERKAN_SHUTDOWN_GRACE_SECONDS: '60',
      });
      workers.push(worker);
      return worker;
    };
    const checkpoint = async (): Promise<number> => {
      const { rows } = await db
        .query<{ position: string }>(`select position from relay.checkpoints where name = $1`, [
          `relay:${partnershipId}`,
        ])
        .catch(() => ({ rows: [] as { position: string }[] }));
      return Number(rows[0]?.position ?? 0);
    };
    const readiness = (worker: WorkerChild, status: number) =>
      until(`/ready answering ${status}`, async () => {
        const answer = await worker.probe('/ready').catch(() => undefined);
        return answer?.status === status ? (answer.body as RelayHealth) : undefined;
      });

    it('answers /ready 503 while the database cannot be reached and 200 once it is back; /health/live stays 200', async () => {
      const worker = start();
      const up = await readiness(worker, 200);
      expect(up).toMatchObject({
        status: 'ok',
        eventStore: { status: 'up' },
        kafka: { status: 'up' },
        relay: { status: 'up', state: 'running' },
      });
      await proxy.cut();
      const down = await readiness(worker, 503);
      expect(down).toMatchObject({ status: 'unavailable', eventStore: { status: 'down' } });
      expect(JSON.stringify(down)).not.toMatch(/"error"/);
      expect(await worker.probe('/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
      await proxy.restore();
      await readiness(worker, 200);
    }, 120_000);

    it('on SIGTERM while publishing, commits the acknowledged batch and exits 0; the next relay publishes the rest, nothing twice', async () => {
      const worker = workers[0]!;
      const from = await checkpoint();
      const appending = appendPartnershipLog(store, {
        promises: 1,
        activities: 800,
        reports: 60,
        prefix: 'b-',
      });
      await until('the relay publishing', async () =>
        (await checkpoint()) > from ? true : undefined,
      );
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      const last = await appending;
      const stoppedAt = await checkpoint();
      let left = 0;
      for await (const _event of store.readAll({ after: stoppedAt })) left++;

      const next = start();
      await until('the next relay past the log', async () =>
        (await checkpoint()) >= last ? true : undefined,
      );
      // It went on from the checkpoint the stopped relay committed: nothing before it again.
      const health = await until('the next relay counting', async () => {
        const answer = await next.probe('/ready').catch(() => undefined);
        const body = answer?.body as RelayHealth | undefined;
        return body && body.relay.published >= left ? body : undefined;
      });
      expect(health.relay.published).toBe(left);

      const client = new Kafka({
        clientId: 'relay-stop-test',
        brokers: kafka.brokers,
        logLevel: logLevel.NOTHING,
      });
      const topics = agencyTopics(partnershipId, 'police');
      const expected = await expectedFor(store, partnershipId, topics);
      const received = await consume(client, consumers, topics, countOf(expected));
      expect(received.duplicates).toBe(0);
      expect(received.byStream).toEqual(expected);
    }, 240_000);
  });
});
