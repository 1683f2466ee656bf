import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createEventStore } from '../libs/event-store/src/event-store.config';
import type { EventStore } from '../libs/event-store/src/event-store.port';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import { requireKafka } from '../libs/integration/src/kafka/require-kafka';
import { ALL_PROJECTIONS } from '../libs/projections/src/all-projections';
import { appendPartnershipLog } from '../libs/projections/src/testing/partnership-log';
import { until } from '../libs/shared/src/eventually';

/**
 * apps/projector and apps/relay as they run beside the API: JSON lines on stdout, and
 * Prometheus metrics with their lag on their internal health port's /metrics.
 */

interface Worker {
  readonly child: ChildProcess;
  /** Every line the process wrote to stdout, parsed. */
  readonly lines: Record<string, unknown>[];
  scrape(): Promise<string>;
}

/** Starts an app on a free port, found in the line that says where its health endpoint is. */
function spawnWorker(app: 'projector' | 'relay', env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', `apps/${app}/src/main.ts`], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, SAMVERKAN_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const port = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      const found = /^Health at http:\/\/localhost:(\d+)\/health/.exec(String(line['message']));
      if (found) resolve(Number(found[1]));
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`apps/${app} exited (${code ?? signal})`)),
    );
  });
  port.catch(() => undefined);
  return {
    child,
    lines,
    scrape: async () => {
      const response = await fetch(`http://127.0.0.1:${await port}/metrics`);
      if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
      return response.text();
    },
  };
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const pg = requirePostgres('the workers’ metrics suite (PostgreSQL)');
const kafka = requireKafka('the workers’ metrics suite’s relay part (Kafka)');

pg.describe('the workers’ logs and metrics', () => {
  const databases = new TestDatabases(pg.url);
  const workers: Worker[] = [];
  let url: string;
  let store: EventStore;
  let head: number;

  beforeAll(async () => {
    url = await databases.create();
    store = await createEventStore({ adapter: 'postgres', connectionString: url, poolSize: 2 });
    await store.start();
    head = await appendPartnershipLog(store, { promises: 1, activities: 6, reports: 3 });
  });
  afterAll(async () => {
    for (const worker of workers) await stopped(worker.child);
    await store?.close();
    await databases.dropAll();
  });

  /** Until the process's store reads the log through `head` (another suite's open transaction can hold it back). */
  const caughtUp = (worker: Worker, series: readonly string[]) =>
    until(
      `${series.join(', ')} at ${head}`,
      async () => {
        const text = await worker.scrape();
        return series.every((s) => sample(text, s) === head) ? text : undefined;
      },
      90_000,
      250,
    );

  it('apps/projector logs JSON lines and shows each projection’s position and lag on /metrics', async () => {
    const projector = spawnWorker('projector', {
      DATABASE_URL: url,
      SAMVERKAN_PROJECTOR_PORT: '0',
    });
    workers.push(projector);
    const projections = ALL_PROJECTIONS.map((p) => p.name);
    const text = await caughtUp(
      projector,
      projections.map((p) => `samverkan_projection_position{projection="${p}"}`),
    );
    for (const projection of projections) {
      expect(sample(text, `samverkan_projection_lag_events{projection="${projection}"}`)).toBe(0);
      expect(sample(text, `samverkan_projection_failed{projection="${projection}"}`)).toBe(0);
    }
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    expect(projector.lines.length).toBeGreaterThan(1);
    for (const line of projector.lines) {
      expect(line).toMatchObject({
        level: expect.stringMatching(/^(info|warn|error)$/),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        service: 'projector',
        message: expect.any(String),
      });
    }
  });

  kafka.describe('with a broker', () => {
    it('apps/relay shows its position, lag, that it is up and its outages on /metrics', async () => {
      const relay = spawnWorker('relay', {
        DATABASE_URL: url,
        KAFKA_BROKERS: kafka.brokers.join(','),
        SAMVERKAN_PARTNERSHIP_ID: `obs-${randomBytes(3).toString('hex')}`,
        SAMVERKAN_RELAY_PORT: '0',
      });
      workers.push(relay);
      const text = await caughtUp(relay, ['samverkan_relay_position']);
      expect(sample(text, 'samverkan_relay_lag_events')).toBe(0);
      expect(sample(text, 'samverkan_relay_up')).toBe(1);
      expect(sample(text, 'samverkan_relay_outages_total')).toBe(0);
      expect(relay.lines.every((l) => l['service'] === 'relay')).toBe(true);
    });
  });
});
