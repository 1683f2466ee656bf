import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Actor } from '../libs/domain/src/actor';
import { requirePostgres, TestDatabases } from '../libs/event-store/src/postgres/test-databases';
import { ALL_PROJECTIONS } from '../libs/projections/src/all-projections';
import { openReadModelEngine, type ReadModelEngine } from '../libs/projections/src/projector';
import { liveAndRebuilt } from '../libs/projections/src/testing/read-model-contents';
import { until } from '../libs/shared/src/eventually';
import { seedActors } from '../apps/api/src/seed/seed-step';
import { TEST_IDENTITY_KEY, TEST_SEAL_KEY, TEST_SECRET, tokenFor } from './support/api-harness';
import { freePort } from './support/browser';

const pg = requirePostgres('the graceful shutdown suite (PostgreSQL)');
const ROOT = join(__dirname, '..');
const officer = seedActors.policeOfficer as Actor;

type Outcome =
  | { kind: 'answered'; status: number; streamId?: string }
  /** The listener was closed: the request was never accepted. */
  | { kind: 'refused' }
  /** Accepted, then cut without an answer: what a graceful stop must never do. */
  | { kind: 'cut'; error: string };

/** One POST on a connection of its own (no keep-alive), as a load balancer's health-less client. */
function post(port: number, path: string, body: unknown, headers: Record<string, string>) {
  return new Promise<Outcome>((resolve) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const parsed = text ? (JSON.parse(text) as { streamId?: string }) : {};
          resolve({
            kind: 'answered',
            status: res.statusCode ?? 0,
            ...(parsed.streamId ? { streamId: parsed.streamId } : {}),
          });
        });
        res.on('error', (error) => resolve({ kind: 'cut', error: String(error) }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ECONNREFUSED'
          ? { kind: 'refused' }
          : { kind: 'cut', error: `${error.code} ${error.message}` },
      ),
    );
    req.end(payload);
  });
}

/** The live stream's lines, read until the server ends it. */
function liveStream(port: number, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/api/live',
        agent: false,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

pg.describe('the API stopped with SIGTERM under load', () => {
  const databases = new TestDatabases(pg.url);
  let child: ChildProcess | undefined;
  let engine: ReadModelEngine | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await engine?.close();
    await databases.dropAll();
  });

  it('loses no accepted request, cuts none, ends live streams with a last event, keeps every checkpoint, and exits 0', async () => {
    const url = await databases.create();
    const port = await freePort();
    // tsx emits no decorator metadata, which Nest's injection needs: swc does.
    child = spawn(
      process.execPath,
      ['-r', './test/support/swc-register.cjs', 'apps/api/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: url,
          PORT: String(port),
          SAMVERKAN_ENV: 'development',
          SAMVERKAN_SEED: 'auto',
          SAMVERKAN_RELAY: 'off',
          SAMVERKAN_JWT_SECRET: TEST_SECRET,
          SAMVERKAN_IDENTITY_KEY: TEST_IDENTITY_KEY,
          SAMVERKAN_SEAL_KEY: TEST_SEAL_KEY,
          SAMVERKAN_SHUTDOWN_GRACE_SECONDS: '60',
          NO_COLOR: '1',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
    const exited = new Promise<number | null>((resolve) =>
      child!.once('exit', (code) => resolve(code)),
    );
    await until(
      // Compiling the API and seeding the demo log take long on a loaded machine.
      'the API listening',
      () => Promise.resolve(lines.some((l) => l.includes('Samverkan API on')) ? true : undefined),
      300_000,
      100,
    );
    const token = tokenFor(officer);
    const live = liveStream(port, token);

    // Four clients, each writing one report after another, each with its own Idempotency-Key.
    const outcomes: Outcome[] = [];
    let stopped = false;
    void exited.then(() => (stopped = true));
    let n = 0;
    const client = async () => {
      while (!stopped) {
        n += 1;
        const id = `shutdown-${n}`;
        const outcome = await post(
          port,
          '/api/situation-reports',
          {
            reportId: id,
            placeIds: ['lillangshamnen'],
            problemArea: 'vandalism-burglary',
            period: { from: '2024-09-01', to: '2024-09-30' },
            trend: 'stable',
            severity: 'low',
            description: 'Klotter vid hamnen.',
            source: 'own-observation',
            sensitivity: 'open',
            sharedWith: [],
          },
          { authorization: `Bearer ${token}`, 'idempotency-key': id },
        );
        outcomes.push(outcome);
        if (outcome.kind === 'refused') await new Promise((r) => setTimeout(r, 20));
      }
    };
    const clients = Promise.all([client(), client(), client(), client()]);
    await until(
      'twenty reports written',
      () =>
        Promise.resolve(
          outcomes.filter((o) => o.kind === 'answered').length >= 20 ? true : undefined,
        ),
      120_000,
    );
    engine = await openReadModelEngine({ adapter: 'postgres', connectionString: url, poolSize: 2 });
    const before = await Promise.all(ALL_PROJECTIONS.map((p) => engine!.runner.status(p.name)));

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await clients;

    // Every request was either answered or never accepted; none was cut mid-way.
    expect(outcomes.filter((o) => o.kind === 'cut')).toEqual([]);
    const answered = outcomes.filter((o) => o.kind === 'answered');
    expect(answered.every((o) => o.status === 201)).toBe(true);
    expect(outcomes.some((o) => o.kind === 'refused')).toBe(true);
    // Every report the API said it stored is in the log.
    for (const { streamId } of answered) {
      expect(await engine.store.streamRevision(streamId!)).not.toBeNull();
    }
    // The live stream was told, then closed.
    expect(await live).toMatch(/event: end\ndata: \{"reason":"shutting-down"\}/);
    expect(lines.some((l) => l.includes('did not finish'))).toBe(false);

    // Checkpoints at or past where they were, and each read model equal to a rebuild.
    for (const [i, projection] of ALL_PROJECTIONS.entries()) {
      const after = await engine.runner.status(projection.name);
      expect(after.position).toBeGreaterThanOrEqual(before[i]!.position);
      const { live: kept, rebuilt } = await liveAndRebuilt(engine, projection);
      expect(kept).toEqual(rebuilt);
    }
  }, 480_000);
});
