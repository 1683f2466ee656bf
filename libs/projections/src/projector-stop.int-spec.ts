import { join } from 'node:path';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import { until } from '@samverkan/shared/eventually';
import { TcpProxy } from '@samverkan/shared/testing/tcp-proxy';
import { killed, spawnWorker, type WorkerChild } from '@samverkan/shared/testing/worker-child';
import { Client } from 'pg';
import { ALL_PROJECTIONS } from './all-projections';
import { openReadModelEngine, type ReadModelEngine } from './projector';
import { appendPartnershipLog } from './testing/partnership-log';
import { liveAndRebuilt } from './testing/read-model-contents';

const ROOT = join(__dirname, '..', '..', '..');
const pg = requirePostgres('the projector readiness and stop suite on PostgreSQL');

/**
 * apps/projector on PostgreSQL through a TCP proxy in this process (the shared server is never
 * stopped); the test's own engine reads the database directly.
 */
pg.describe('apps/projector: readiness and a graceful stop', () => {
  const databases = new TestDatabases(pg.url);
  const workers: WorkerChild[] = [];
  let engine: ReadModelEngine;
  let proxy: TcpProxy;
  let url: string;

  beforeAll(async () => {
    url = await databases.create();
    engine = await openReadModelEngine({ adapter: 'postgres', connectionString: url, poolSize: 4 });
    const server = new URL(pg.url!);
    proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
  });

  afterAll(async () => {
    for (const worker of workers) await killed(worker);
    await proxy?.stop();
    await engine?.close();
    await databases.dropAll();
  });

  const start = () => {
    const worker = spawnWorker(ROOT, 'apps/projector/src/main.ts', {
      DATABASE_URL: proxy.rewrite(url),
      SAMVERKAN_PROJECTOR_BATCH: '40',
      SAMVERKAN_PROJECTOR_PORT: '0',
      // Room for a loaded machine: this suite holds a batch on purpose while it looks.
      SAMVERKAN_SHUTDOWN_GRACE_SECONDS: '60',
    });
    workers.push(worker);
    return worker;
  };
  const allPast = (position: number) =>
    until(`every projection at ${position}`, async () => {
      const statuses = await Promise.all(ALL_PROJECTIONS.map((p) => engine.runner.status(p.name)));
      return statuses.every((s) => s.position >= position) ? position : undefined;
    });
  const readiness = (worker: WorkerChild, status: number) =>
    until(`/ready answering ${status}`, async () => {
      const answer = await worker.probe('/ready').catch(() => undefined);
      return answer?.status === status ? answer : undefined;
    });

  it('answers /ready 503 while the database cannot be reached and 200 once it is back, without error texts; /health/live stays 200', async () => {
    const appended = await appendPartnershipLog(engine.store, {
      promises: 1,
      activities: 60,
      reports: 20,
      prefix: 'a-',
    });
    const worker = start();
    await allPast(appended);
    const up = await readiness(worker, 200);
    expect(up.body).toMatchObject({
      status: 'ok',
      eventStore: { status: 'up' },
      readModels: { status: 'up' },
      projections: { status: 'up', 'audit-trail': { state: 'running', lag: 0 } },
    });

    await proxy.cut();
    const down = await readiness(worker, 503);
    expect(down.body).toMatchObject({ status: 'unavailable', eventStore: { status: 'down' } });
    // The port is not authenticated: states only, never a driver's message.
    expect(JSON.stringify(down.body)).not.toMatch(/"error"/);
    expect(await worker.probe('/health/live')).toEqual({ status: 200, body: { status: 'ok' } });

    await proxy.restore();
    await readiness(worker, 200);
    // And it goes on projecting what came meanwhile.
    const more = await appendPartnershipLog(engine.store, {
      promises: 1,
      activities: 20,
      reports: 5,
      prefix: 'b-',
    });
    await allPast(more);
  }, 120_000);

  it('on SIGTERM in the middle of a batch, commits that batch with its checkpoint, stops, exits 0; restarted, it ends equal to a rebuild', async () => {
    const projection = ALL_PROJECTIONS.find((p) => p.name === 'audit-trail')!;
    // The projector of the test before, caught up.
    const worker = workers[0]!;
    const before = (await engine.runner.status(projection.name)).position;
    await readiness(worker, 200);
    const { tableSet } = await engine.runner.status(projection.name);
    expect(tableSet).not.toBeNull();
    // A lock on its table holds the next batch inside its transaction, after it has begun.
    const blocker = new Client({ connectionString: url });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query(`lock table "${tableSet}"."audit_trail" in share row exclusive mode`);
    const appended = await appendPartnershipLog(engine.store, {
      promises: 1,
      activities: 150,
      reports: 30,
      prefix: 'c-',
    });
    await until('a batch waiting on the lock', async () => {
      await blocker.query('select pg_stat_clear_snapshot()');
      const { rows } = await blocker.query<{ n: string }>(
        `select count(*) as n from pg_stat_activity
          where datname = current_database() and application_name = 'samverkan-projections'
            and wait_event_type = 'Lock' and query ilike '%audit_trail%'`,
      );
      return Number(rows[0]?.n) > 0 ? true : undefined;
    });
    worker.child.kill('SIGTERM');
    await until('the stop begun', () =>
      Promise.resolve(worker.lines.some((l) => l.includes('SIGTERM')) ? true : undefined),
    );
    // Stopping: no longer ready, so nothing waits on it; the batch is still held.
    expect(await worker.probe('/ready')).toEqual({
      status: 503,
      body: { status: 'shutting_down' },
    });
    await blocker.query('rollback');
    await blocker.end();
    expect(await worker.exited).toBe(0);

    const stoppedAt = (await engine.runner.status(projection.name)).position;
    // The held batch committed (with its checkpoint); the rest of the log waited.
    expect(stoppedAt).toBeGreaterThan(before);
    expect(stoppedAt).toBeLessThan(appended);
    const partial = await liveAndRebuilt(engine, projection);
    expect(partial.live).toEqual(partial.rebuilt);

    // Restarted, it goes on from the checkpoint: no event applied twice, none skipped.
    const again = start();
    await allPast(appended);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    const restarted = await liveAndRebuilt(engine, projection);
    expect(restarted.live.audit_trail?.length).toBeGreaterThan(0);
    expect(restarted.live).toEqual(restarted.rebuilt);
  }, 180_000);
});
