import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createEventStore } from '@samverkan/event-store/event-store.config';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import { appendPartnershipLog } from '@samverkan/projections/testing/partnership-log';
import { until } from '@samverkan/shared/eventually';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Client } from 'pg';
import { requireKafka } from '../kafka/require-kafka';
import { agencyTopics } from './feed-audience';
import { consume, countOf, expectedFor } from './testing/relay-feed';

const ROOT = join(__dirname, '..', '..', '..', '..');

const pg = requirePostgres('the relay kill suite (PostgreSQL)');
const kafka = requireKafka('the relay kill suite (Kafka)');

interface RelayProcess {
  readonly child: ChildProcess;
  health(): Promise<{
    status: string;
    relay: { state: string; position: number; published: number };
  }>;
}

/** apps/relay as its own process, as it runs beside the API; its health port is a free one. */
function spawnRelay(databaseUrl: string, partnershipId: string): RelayProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/relay/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: kafka.brokers.join(','),
      SAMVERKAN_PARTNERSHIP_ID: partnershipId,
      SAMVERKAN_RELAY_PORT: '0',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The app logs where its health endpoint listens.
  const port = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const found = /Health at http:\/\/localhost:(\d+)\/health/.exec(line);
      if (found) resolve(Number(found[1]));
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`apps/relay exited (${code ?? signal})`)),
    );
  });
  port.catch(() => undefined);
  return {
    child,
    health: async () => {
      const response = await fetch(`http://127.0.0.1:${await port}/health`);
      return (await response.json()) as Awaited<ReturnType<RelayProcess['health']>>;
    },
  };
}

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

pg.describe('relays killed while events keep coming', () => {
  kafka.describe('apps/relay processes on a real broker', () => {
    const databases = new TestDatabases(pg.url);
    const client = new Kafka({
      clientId: 'relay-kill-test',
      brokers: kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    const consumers: Consumer[] = [];
    const relays: RelayProcess[] = [];
    let store: EventStore;
    let url: string;
    let db: Client;

    beforeAll(async () => {
      url = await databases.create();
      store = await createEventStore({ adapter: 'postgres', connectionString: url, poolSize: 10 });
      await store.start();
      db = new Client({ connectionString: url });
      await db.connect();
    });
    afterAll(async () => {
      for (const relay of relays) await killed(relay.child);
      for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
      await db?.end();
      await store?.close();
      await databases.dropAll();
    });

    /** The stored checkpoint; 0 only before the first relay made its table and row. */
    const checkpoint = async (partnershipId: string): Promise<number> => {
      const { rows } = await db
        .query<{ position: string }>(`select position from relay.checkpoints where name = $1`, [
          `relay:${partnershipId}`,
        ])
        .catch((error: unknown) => {
          // Any other error is a failure of the test, not a checkpoint at 0.
          if ((error as { code?: string }).code !== '42P01') throw error;
          return { rows: [] as { position: string }[] };
        });
      return Number(rows[0]?.position ?? 0);
    };

    it('one publishes while the other stands by; each killed with SIGKILL, the next resumes from the checkpoint and every event arrives once after de-duplication, duplicates under the same id', async () => {
      const partnershipId = `k${randomBytes(4).toString('hex')}`;
      const first = spawnRelay(url, partnershipId);
      relays.push(first);
      const part1 = await appendPartnershipLog(store, {
        promises: 1,
        activities: 150,
        reports: 30,
        prefix: 'a-',
      });
      await until(
        'the first relay past part 1',
        async () => ((await checkpoint(partnershipId)) >= part1 ? true : undefined),
        60_000,
      );
      const second = spawnRelay(url, partnershipId);
      relays.push(second);
      const standby = await until(
        'the second relay up and standing by',
        async () => {
          const health = await second.health().catch(() => undefined);
          return health?.relay.state === 'standby' ? health : undefined;
        },
        60_000,
      );
      expect(standby.relay.position).toBeGreaterThanOrEqual(part1);
      expect((await first.health()).relay.state).toBe('running');

      // Events keep coming while the publishing relay is killed: the standby takes over.
      const appending = appendPartnershipLog(store, {
        promises: 1,
        activities: 800,
        reports: 60,
        prefix: 'b-',
      });
      await until(
        'the first relay inside part 2',
        async () => ((await checkpoint(partnershipId)) > part1 ? true : undefined),
        60_000,
      );
      await killed(first.child);
      const killedAt = await checkpoint(partnershipId);
      const part2 = await appending;
      expect(killedAt).toBeLessThan(part2);
      await until(
        'the second relay past part 2',
        async () => ((await checkpoint(partnershipId)) >= part2 ? true : undefined),
        60_000,
      );
      expect((await second.health()).relay.state).toBe('running');

      // The last one killed too, then a new one started: it resumes where the checkpoint is.
      const appending3 = appendPartnershipLog(store, {
        promises: 1,
        activities: 200,
        reports: 30,
        prefix: 'c-',
      });
      await until(
        'the second relay inside part 3',
        async () => ((await checkpoint(partnershipId)) > part2 ? true : undefined),
        60_000,
      );
      await killed(second.child);
      const part3 = await appending3;
      const resumeFrom = await checkpoint(partnershipId);
      let left = 0;
      for await (const _event of store.readAll({ after: resumeFrom })) left++;
      const third = spawnRelay(url, partnershipId);
      relays.push(third);
      await until(
        'the third relay past part 3',
        async () => ((await checkpoint(partnershipId)) >= part3 ? true : undefined),
        60_000,
      );

      // It resumed exactly from the checkpoint: it published what was after it, nothing before.
      const resumed = await until('the third relay counting what it published', async () => {
        const health = await third.health();
        return health.relay.published >= left ? health : undefined;
      });
      expect(resumed.relay).toMatchObject({ state: 'running', published: left });

      const topics = agencyTopics(partnershipId, 'police');
      const expected = await expectedFor(store, partnershipId, topics);
      const received = await consume(client, consumers, topics, countOf(expected));
      expect(received.inconsistentDuplicates).toBe(0);
      expect(received.byStream).toEqual(expected);
    }, 240_000);
  });
});
