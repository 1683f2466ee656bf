import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { eventStoreMigrations } from '@samverkan/event-store/sql/event-store-migrations';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import { until } from '@samverkan/shared/eventually';
import { Client } from 'pg';
import { readModelMigrations } from './read-model-migrations';

const ROOT = join(__dirname, '..', '..', '..');
const EVENT_STORE_LOCK = 'samverkan.migrate.event_store';
const READ_MODEL_LOCK = 'samverkan.read-model-migrations';

interface Started {
  readonly child: ChildProcess;
  /** Everything it printed, both streams. */
  readonly output: string[];
  readonly port: Promise<number>;
  readonly exited: Promise<number | null>;
}

/** apps/projector as its own process, as it starts beside the API on a shared database. */
function startProjector(databaseUrl: string): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/projector/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SAMVERKAN_PROJECTOR_PORT: '0',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => output.push(line));
  }
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const port = until(
    'the projector to serve',
    () => {
      const found = output.map((l) => /Health at http:\/\/localhost:(\d+)\/health/.exec(l));
      const at = found.find((m) => m !== null);
      if (at) return Promise.resolve(Number(at[1]));
      if (child.exitCode !== null) throw new Error(`apps/projector exited: ${output.join('\n')}`);
      return Promise.resolve(undefined);
    },
    120_000,
    50,
  );
  port.catch(() => undefined);
  return { child, output, port, exited };
}

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

const pg = requirePostgres('the migrations-at-start suite on PostgreSQL');
pg.describe('processes starting on a new PostgreSQL database', () => {
  const databases = new TestDatabases(pg.url);
  const children: ChildProcess[] = [];
  let db: Client;
  let url: string;

  beforeAll(async () => {
    url = await databases.create();
    db = new Client({ connectionString: url });
    await db.connect();
  });
  afterAll(async () => {
    for (const child of children) await killed(child);
    await db?.end();
    await databases.dropAll();
  });

  /** Sessions queued behind `key`'s advisory lock (the low 32 bits of the key are its objid). */
  const waitingFor = async (key: string): Promise<number> => {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from pg_locks
        where locktype = 'advisory' and not granted
          and objid::bigint = (hashtext($1)::bigint & 4294967295)`,
      [key],
    );
    return rows[0]!.n;
  };

  it('two started at once both serve, each migration applied once; an edited released migration stops the next start, naming it', async () => {
    // Both held up at each migration lock until both wait there: they then race for real.
    await db.query(`select pg_advisory_lock(hashtext($1))`, [EVENT_STORE_LOCK]);
    await db.query(`select pg_advisory_lock(hashtext($1))`, [READ_MODEL_LOCK]);
    const pair = [startProjector(url), startProjector(url)];
    children.push(...pair.map((p) => p.child));
    await until(
      'both at the event store migration lock',
      async () => ((await waitingFor(EVENT_STORE_LOCK)) === 2 ? true : undefined),
      120_000,
    );
    await db.query(`select pg_advisory_unlock(hashtext($1))`, [EVENT_STORE_LOCK]);
    await until(
      'both at the read-model migration lock',
      async () => ((await waitingFor(READ_MODEL_LOCK)) === 2 ? true : undefined),
      120_000,
    );
    await db.query(`select pg_advisory_unlock(hashtext($1))`, [READ_MODEL_LOCK]);

    for (const started of pair) {
      const response = await fetch(`http://127.0.0.1:${await started.port}/health`);
      expect(response.status).toBe(200);
      expect(started.child.exitCode).toBeNull();
    }
    const { rows: applied } = await db.query<{ version: number }>(
      `select version from event_store.schema_migrations order by version`,
    );
    expect(applied.map((r) => r.version)).toEqual(eventStoreMigrations.map((m) => m.version));
    // TypeORM's table has no unique name: a migration run twice would show twice.
    const { rows: readModels } = await db.query<{ name: string }>(
      `select name from public.read_model_migrations order by id`,
    );
    expect(readModels.map((r) => r.name)).toEqual(readModelMigrations.map((m) => m.name));
    // One of the two applied them, the other found them applied.
    const said = pair.map((p) => p.output.some((l) => l.includes('Read-model migrations applied')));
    expect(said.sort()).toEqual([false, true]);
    for (const started of pair) await killed(started.child);

    // A released migration edited after it was applied here: the next start refuses.
    await db.query(
      `update event_store.schema_migrations set checksum = 'edited' where version = 2`,
    );
    const next = startProjector(url);
    children.push(next.child);
    expect(await next.exited).toBe(1);
    expect(next.output.join('\n')).toContain(
      "Migration 2 of schema 'event_store' differs from the one applied to this database",
    );
    expect(next.output.join('\n')).not.toContain('Health at');
  }, 240_000);
});
