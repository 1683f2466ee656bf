import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { EventStoreConfig } from '@samverkan/event-store/event-store.config';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import { Client } from 'pg';
import { ALL_PROJECTIONS } from './all-projections';
import { openReadModelEngine, type ReadModelEngine } from './projector';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import { appendPartnershipWorkLog } from './partnership-work/partnership-work-log';
import { appendPartnershipLog } from './testing/partnership-log';
import { readModelContents } from './testing/read-model-contents';

/**
 * The partnership's log with every kind of event a read model folds: promises, activities and
 * reports, the work of walks, findings, talks and EST, and a credit, so no table stays empty.
 */
async function appendLog(
  store: EventStore,
  options: { promises: number; activities: number; reports: number; prefix: string },
): Promise<number> {
  const p = options.prefix;
  const core = await appendPartnershipLog(store, options);
  const work = await appendPartnershipWorkLog(store, {
    walks: 3,
    findings: 3,
    talks: 3,
    estWeeks: 2,
    prefix: p,
  });
  const credited = await store.append(
    `safety-walk-${p}walk-1`,
    [
      {
        type: 'CommitmentCredited',
        data: {
          promiseId: `${p}promise-1`,
          commitmentId: 'local-office',
          work: { kind: 'safety-walk', workId: `${p}walk-1`, doneOn: '2024-09-24', placeIds: [] },
        },
      },
    ],
    {
      expectedRevision: 'any',
      actor: { userId: 'trygghet.1', agency: 'municipality', role: 'safety-coordinator' },
    },
  );
  return Math.max(core, work, credited.globalPosition);
}
import { until } from '@samverkan/shared/eventually';

const ROOT = join(__dirname, '..', '..', '..');

/** apps/projector as its own process, as it runs when scaled out. */
function spawnProjector(databaseUrl: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'apps/projector/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SAMVERKAN_PROJECTOR_BATCH: '40',
      SAMVERKAN_PROJECTOR_PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

const pg = requirePostgres('the projector kill suite on PostgreSQL');
pg.describe('a projector killed in the middle of a batch', () => {
  const databases = new TestDatabases(pg.url);
  let engine: ReadModelEngine;
  let url: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    url = await databases.create();
    const config: EventStoreConfig = { adapter: 'postgres', connectionString: url, poolSize: 10 };
    engine = await openReadModelEngine(config);
  });

  /** Waits for every projection to pass `position` (the store's own head can lag: see $all). */
  const allPast = (position: number) =>
    until(`every projection at ${position}`, async () => {
      const statuses = await Promise.all(ALL_PROJECTIONS.map((p) => engine.runner.status(p.name)));
      return statuses.every((s) => s.position >= position) ? position : undefined;
    });

  afterAll(async () => {
    for (const child of children) await killed(child);
    await engine?.close();
    await databases.dropAll();
  });

  it('restarted, ends with read models identical to a full rebuild from zero, and never keeps half a batch', async () => {
    // Each round: a projector catches up, then one of its projections is frozen inside its next
    // batch (a lock on one of its tables makes a write wait, after the batch's earlier statements
    // have written), more events arrive, and the projector is killed there. What is left must
    // be exactly that projection at its checkpoint.
    const rounds = [
      { projection: 'commitment-timeline', table: 'commitment_activities' },
      { projection: 'situation-picture', table: 'situation_reports' },
      { projection: 'audit-trail', table: 'audit_trail' },
    ];
    let round = 0;
    let appended = 0;
    for (const { projection: name, table } of rounds) {
      round += 1;
      const projection = ALL_PROJECTIONS.find((p) => p.name === name)!;
      const first = await appendLog(engine.store, {
        promises: 2,
        activities: 400,
        reports: 100,
        prefix: `r${round}-`,
      });
      const child = spawnProjector(url);
      children.push(child);
      const caughtUp = await allPast(first);
      const { tableSet } = await engine.runner.status(projection.name);
      const blocker = new Client({ connectionString: url });
      blocker.on('error', () => undefined);
      await blocker.connect();
      await blocker.query('begin');
      await blocker.query(`lock table "${tableSet}"."${table}" in share row exclusive mode`);
      appended = await appendLog(engine.store, {
        promises: 1,
        activities: 200,
        reports: 100,
        prefix: `r${round}b-`,
      });
      await until('a batch waiting on the lock', async () => {
        // Activity statistics are a snapshot per transaction: take a fresh one each time.
        await blocker.query('select pg_stat_clear_snapshot()');
        const { rows } = await blocker.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity
            where datname = current_database() and application_name = 'samverkan-projections'
              and wait_event_type = 'Lock' and query ilike $1`,
          [`%${table}%`],
        );
        return Number(rows[0]?.n) > 0 ? true : undefined;
      });
      await killed(child);
      await blocker.query('rollback');
      await blocker.end();
      const { position } = await engine.runner.status(projection.name);
      // Batches before the frozen one may have landed; the frozen one did not.
      expect(position).toBeGreaterThanOrEqual(caughtUp);
      expect(position).toBeLessThan(appended);
      // What the dead projector left equals a rebuild up to its checkpoint: no half batch.
      const rebuilt = await engine.runner.rebuild(projection, { until: position });
      expect(await readModelContents(engine, projection, tableSet!)).toEqual(
        await readModelContents(engine, projection, rebuilt.tableSet),
      );
      await engine.runner.discardRebuild(projection);
    }
    // Restarted, it goes on from each checkpoint to the end of the log.
    const child = spawnProjector(url);
    children.push(child);
    const head = await allPast(appended);
    await killed(child);
    for (const projection of ALL_PROJECTIONS) {
      const live = await engine.runner.status(projection.name);
      expect(live).toMatchObject({ status: 'running', position: head });
      const rebuilt = await engine.runner.rebuild(projection, { until: head });
      const expected = await readModelContents(engine, projection, rebuilt.tableSet);
      expect(Object.values(expected).every((rows) => rows.length > 0)).toBe(true);
      expect(await readModelContents(engine, projection, live.tableSet!)).toEqual(expected);
      await engine.runner.discardRebuild(projection);
    }
  });
});

pg.describe('two projector processes started together', () => {
  const databases = new TestDatabases(pg.url);
  let engine: ReadModelEngine;
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of children) await killed(child);
    await engine?.close();
    await databases.dropAll();
  });

  it('never apply an event twice, and between them apply every one', async () => {
    const url = await databases.create();
    engine = await openReadModelEngine({
      adapter: 'postgres',
      connectionString: url,
      poolSize: 10,
    });
    const first = await appendLog(engine.store, {
      promises: 2,
      activities: 800,
      reports: 150,
      prefix: 'a-',
    });
    // Every row the audit trail is asked to write, duplicates included (a BEFORE trigger fires
    // before `on conflict do nothing` would hide a second application).
    const audit = ALL_PROJECTIONS.find((p) => p.name === 'audit-trail')!;
    await engine.runner.ensureLive(audit);
    const { tableSet } = await engine.runner.status(audit.name);
    await engine.dataSource.query(`create table public.attempts (global_position bigint)`);
    await engine.dataSource.query(`
      create function public.note_attempt() returns trigger language plpgsql as $$
      begin insert into public.attempts values (new.global_position); return new; end $$`);
    await engine.dataSource.query(
      `create trigger note_attempt before insert on "${tableSet}".audit_trail
         for each row execute function public.note_attempt()`,
    );
    children.push(spawnProjector(url), spawnProjector(url));
    // More events while both run.
    const last = await appendLog(engine.store, {
      promises: 1,
      activities: 400,
      reports: 50,
      prefix: 'b-',
    });
    expect(last).toBeGreaterThan(first);
    await until(
      `every projection at ${last}`,
      async () => {
        const statuses = await Promise.all(
          ALL_PROJECTIONS.map((p) => engine.runner.status(p.name)),
        );
        return statuses.every((s) => s.position >= last) ? true : undefined;
      },
      120_000,
    );
    for (const child of children) expect(child.exitCode).toBeNull(); // both ran throughout
    const [counts] = await engine.dataSource.query<{ attempts: string; distinct: string }[]>(
      `select count(*) as attempts, count(distinct global_position) as distinct
         from public.attempts`,
    );
    const [events] = await engine.dataSource.query<{ n: string }[]>(
      `select count(*) as n from event_store.events where global_position <= $1`,
      [last],
    );
    expect(Number(counts?.distinct)).toBe(Number(events?.n));
    expect(Number(counts?.attempts)).toBe(Number(events?.n));
  });
});
