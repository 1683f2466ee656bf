import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import { requirePostgres, TestDatabases } from '@samverkan/event-store/postgres/test-databases';
import { until } from '@samverkan/shared/eventually';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { auditTrailProjection } from './audit-trail/audit-trail.projection';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { openReadModelEngine, type ReadModelEngine } from './projector';
import { appendPartnershipLog } from './testing/partnership-log';

const ROOT = join(__dirname, '..', '..', '..');
const SENTINEL = -1;

/** What one reader saw in one query of the audit trail's view. */
interface Reading {
  readonly rows: number;
  readonly last: number;
  /** The marker row put into the table set that served before the rebuild. */
  readonly old: boolean;
}

/**
 * A reader of the `projections` views on a connection of its own, querying in a loop as the
 * API's requests would, keeping every answer and every error until stopped.
 */
function startReader(url: string) {
  const readings: Reading[] = [];
  const errors: string[] = [];
  let stopping = false;
  const client = new Client({ connectionString: url, application_name: 'rebuild-test-reader' });
  const done = (async () => {
    await client.connect();
    while (!stopping) {
      try {
        const { rows } = await client.query<{ n: number; last: string; old: boolean }>(
          `select count(*)::int as n, coalesce(max(global_position), 0)::text as last,
                  coalesce(bool_or(global_position = $1), false) as old
             from projections.audit_trail`,
          [SENTINEL],
        );
        const row = rows[0]!;
        readings.push({ rows: row.n, last: Number(row.last), old: row.old });
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
      await new Promise((r) => setTimeout(r, 5)); // a little room for the writers
    }
    await client.end();
  })();
  return {
    readings,
    errors,
    stop: async () => {
      stopping = true;
      await done;
    },
  };
}

/** A row in a table set that no event made: where it shows, readers see that set. */
async function markTableSet(engine: ReadModelEngine, tableSet: string): Promise<void> {
  await engine.dataSource.query(
    `insert into "${tableSet}".audit_trail
     select * from jsonb_populate_record(null::"${tableSet}".audit_trail,
       (select to_jsonb(t) || jsonb_build_object('global_position', $1::bigint,
                                                 'event_id', gen_random_uuid())
          from "${tableSet}".audit_trail t order by global_position limit 1))`,
    [SENTINEL],
  );
}

async function logPositions(engine: ReadModelEngine): Promise<number[]> {
  const positions: number[] = [];
  for await (const e of engine.store.readAll()) positions.push(e.globalPosition);
  return positions;
}

/** Whether some session holds the live audit trail's lease (a runner's advisory lock). */
async function liveLeaseHeld(engine: ReadModelEngine): Promise<boolean> {
  const [row] = await engine.dataSource.query<{ n: number }[]>(
    `select count(*)::int as n from pg_locks
      where locktype = 'advisory' and granted
        and objid::bigint = (hashtext($1)::bigint & 4294967295)`,
    [`samverkan.projection.${auditTrailProjection.name}`],
  );
  return row!.n > 0;
}

async function schemaExists(engine: ReadModelEngine, schema: string): Promise<boolean> {
  const [row] = await engine.dataSource.query<{ n: number }[]>(
    `select count(*)::int as n from pg_namespace where nspname = $1`,
    [schema],
  );
  return row?.n === 1;
}

/** The audit trail as readers see it, against the log: one row per event, in order. */
async function trailMatchesLog(engine: ReadModelEngine): Promise<void> {
  const rows = await engine.dataSource.query<{ global_position: string; event_id: string }[]>(
    `select global_position, event_id from projections.audit_trail order by global_position`,
  );
  const log: string[] = [];
  for await (const e of engine.store.readAll()) log.push(`${e.globalPosition}|${e.eventId}`);
  expect(rows.map((r) => `${r.global_position}|${r.event_id}`)).toEqual(log);
}

const pg = requirePostgres('the projections rebuild suite on PostgreSQL');
pg.describe('a projections rebuild on PostgreSQL', () => {
  const databases = new TestDatabases(pg.url);
  let url: string;
  let engine: ReadModelEngine;

  beforeAll(async () => {
    url = await databases.create();
    engine = await openReadModelEngine(
      { adapter: 'postgres', connectionString: url, poolSize: 10 },
      100,
    );
    await appendPartnershipLog(engine.store, {
      promises: 1,
      activities: 250,
      reports: 40,
      prefix: 'a-',
    });
  });
  afterAll(async () => {
    await engine?.close();
    await databases.dropAll();
  });

  it('switches readers over while they read: never an error, an empty or a partial read model, then only the rebuilt one; the old table set dropped', async () => {
    // The live runner, as the API or a projector runs it, a session of its own.
    const live = new ProjectionRunner(engine.store, engine.dataSource, 'postgres', 100);
    try {
      const before = await live.catchUp(auditTrailProjection);
      if (before.kind !== 'caught_up') throw new Error(`live runner: ${before.kind}`);
      const oldSet = (await live.status(auditTrailProjection.name)).tableSet!;
      await markTableSet(engine, oldSet);

      const readers = [startReader(url), startReader(url)];
      let appending = true;
      // Events keep coming during the rebuild, and the live runner keeps the old set up to date.
      const more = appendPartnershipLog(engine.store, {
        promises: 1,
        activities: 100,
        reports: 10,
        prefix: 'b-',
      }).finally(() => {
        appending = false;
      });
      const following = (async () => {
        while (appending) {
          await live.catchUp(auditTrailProjection);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const outcome = await engine.runner.rebuild(auditTrailProjection);
      const readsAtSwitch = readers.map((r) => r.readings.length);
      await Promise.all([more, following]);
      // The live runner goes on in the rebuilt set, from where the rebuild switched over.
      expect((await live.catchUp(auditTrailProjection)).kind).toBe('caught_up');
      // Some reads after the switch, by each reader.
      for (const [i, reader] of readers.entries()) {
        while (reader.readings.length < readsAtSwitch[i]! + 5) {
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      await Promise.all(readers.map((r) => r.stop()));

      expect(outcome).toMatchObject({ switchedOver: true, replaced: oldSet });
      expect(outcome.tableSet).not.toBe(oldSet);
      expect((await engine.runner.status(auditTrailProjection.name)).tableSet).toBe(
        outcome.tableSet,
      );
      expect(await schemaExists(engine, oldSet)).toBe(false);

      const positions = await logPositions(engine);
      const eventsThrough = (last: number) => positions.filter((p) => p <= last).length;
      for (const reader of readers) {
        expect(reader.errors).toEqual([]);
        // The old set before the switch, the rebuilt one after, and never back.
        const switchedAt = reader.readings.findIndex((r) => !r.old);
        expect(switchedAt).toBeGreaterThan(0);
        expect(reader.readings.slice(switchedAt).filter((r) => r.old)).toEqual([]);
        let last = 0;
        for (const reading of reader.readings) {
          // Never empty nor behind what was projected before the rebuild began.
          expect(reading.last).toBeGreaterThanOrEqual(before.position);
          // Never partial: every event up to the last one shown, each once.
          expect(reading.rows - (reading.old ? 1 : 0)).toBe(eventsThrough(reading.last));
          // Never going back.
          expect(reading.last).toBeGreaterThanOrEqual(last);
          last = reading.last;
        }
      }
      await trailMatchesLog(engine);
    } finally {
      await live.close();
    }
  }, 180_000);

  it('--fresh throws a failed rebuild away, its half-filled table set with it, and builds a complete one', async () => {
    // The live set holds the whole log, as it does beside a running API.
    expect((await engine.runner.catchUp(auditTrailProjection)).kind).toBe('caught_up');
    const positions = await logPositions(engine);
    const poisonAt = positions[Math.floor(positions.length / 2)]!;
    const failing: Projection = {
      ...auditTrailProjection,
      async apply(events: readonly RecordedEvent[], tx: EntityManager, schema: string) {
        if (events.some((e) => e.globalPosition === poisonAt)) throw new Error('cannot apply');
        await auditTrailProjection.apply(events, tx, schema);
      },
    };
    await expect(engine.runner.rebuild(failing)).rejects.toThrow(`stopped at event ${poisonAt}`);
    const failed = (await engine.runner.status(auditTrailProjection.name)).rebuild!;
    expect(failed.position).toBeLessThan(poisonAt);
    await markTableSet(engine, failed.tableSet);
    // Without --fresh the failed rebuild stays where it stopped.
    await expect(engine.runner.rebuild(auditTrailProjection)).rejects.toThrow(
      `stopped at event ${poisonAt}`,
    );
    const serving = (await engine.runner.status(auditTrailProjection.name)).tableSet!;

    // A transaction open elsewhere on the server: a fresh process cannot yet tell that the
    // events the live set holds are final, and must not switch readers to less than that.
    const other = new Client({ connectionString: url });
    await other.connect();
    await other.query('begin');
    await other.query('select pg_current_xact_id()');
    // The operator's command, as run beside a running API.
    const command = promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/projections-rebuild.ts', '--fresh', 'audit-trail'],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: url, NO_COLOR: '1' } },
    );
    let exited = false;
    void command.finally(() => {
      exited = true;
    });
    // It holds the live projection's lease for the switch-over: then let the transaction end.
    await until(
      'the rebuild at its switch-over, or done',
      async () => (exited || (await liveLeaseHeld(engine)) ? true : undefined),
      90_000,
    );
    await other.query('commit');
    await other.end();
    const { stdout } = await command;
    expect(stdout).toMatch(/audit-trail: .* readers switched over from rm_audit_trail_\d+/);

    const status = await engine.runner.status(auditTrailProjection.name);
    expect(status.rebuild).toBeNull();
    expect(status.tableSet).not.toBe(serving);
    expect(await schemaExists(engine, serving)).toBe(false);
    // Whatever the new set is named, nothing of the half-filled one is in it.
    const [marked] = await engine.dataSource.query<{ n: number }[]>(
      `select count(*)::int as n from projections.audit_trail where global_position = $1`,
      [SENTINEL],
    );
    expect(marked?.n).toBe(0);
    await trailMatchesLog(engine);
  }, 120_000);
});
