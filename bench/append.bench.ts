import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { EventStore, NewEvent } from '../libs/event-store/src/event-store.port';
import { PgSqlClient } from '../libs/event-store/src/postgres/pg-sql-client';
import { PgChangeSignal } from '../libs/event-store/src/postgres/pg-change-signal';
import { InProcessChangeSignal } from '../libs/event-store/src/sql/change-signal';
import { SqlEventStore } from '../libs/event-store/src/sql/sql-event-store';
import {
  benchDatabaseUrl,
  formatRate,
  machineBusyMicros,
  medianAndSpread,
  percentile,
  type Sink,
} from './bench-support';
import { MasterKeyRing, newMasterKeyEntry } from '../libs/event-store/src/protection/master-keys';
import { protectionOn } from '../libs/event-store/src/protection/protection-on';

/**
 * The project's PostgreSQL append against a raw baseline, side by side in one run: the same
 * rows (about 300 bytes of JSON each), the same pool, the same writers. The baseline is a plain
 * multi-row INSERT into a bare table with a unique (stream, revision) key and nothing else, data
 * in the store's own column type (json), run as a named prepared statement as the store's append
 * is: an unnamed one is parsed and planned again on every call, which flattered the store. That
 * unprepared baseline is still measured beside it, as the figures before were taken against it;
 * so is a jsonb table.
 */

const POOL_SIZE = 10;
// Many short rounds, variants interleaved and their order alternated, and the ratio taken per
// round from neighbouring runs: on a shared machine the load drifts by the second.
const SECONDS_PER_ROUND = Number(process.env['BENCH_SECONDS'] ?? 1);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 8);
/** Events per append, measured in turn: BENCH_APPEND_EVENTS, a comma-separated list. */
const BATCH_SIZES = (process.env['BENCH_APPEND_EVENTS'] ?? '1,20').split(',').map((n) => {
  const size = Number(n);
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new Error(`BENCH_APPEND_EVENTS: '${n}' is not a number of events (1 or more)`);
  }
  return size;
});

const actor = { userId: 'bench-user', agency: 'police', role: 'officer' };

function payload(n: number): Record<string, string | number> {
  // About 300 bytes of JSON, shaped like a recorded activity.
  return {
    commitmentId: 'police-traffic-controls',
    kind: 'traffic-control',
    place: 'Bymiljövägen, Skoghall',
    date: '2024-05-17',
    agenciesPresent: 'police,municipal-security',
    outcome: 'Kontroll av mopeder och A-traktorer; två rapporter för trafikbrott.',
    vehiclesChecked: 42 + (n % 7),
    breathTests: 38,
    n,
  };
}

type Variant =
  'project' | 'project-no-notify' | 'raw' | 'raw-unprepared' | 'raw-jsonb' | 'raw-notify-in-tx';

interface Measured {
  events: number;
  seconds: number;
  latenciesMs: number[];
  /** CPU time of this Node process (user and system) while the run lasted, in µs. */
  nodeCpuMicros: number;
  /** Busy CPU time of the whole machine while the run lasted, in µs (Linux only). */
  machineCpuMicros: number | undefined;
}

async function run(
  variant: Variant,
  stores: { project: EventStore; quiet: EventStore },
  pool: PgSqlClient,
  writers: number,
  perAppend: number,
): Promise<Measured> {
  const latencies: number[] = [];
  let events = 0;
  const deadline = performance.now() + SECONDS_PER_ROUND * 1000;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const machineBefore = machineBusyMicros();
  const runId = randomUUID().slice(0, 8);
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const stream = `bench-${runId}-${w}`;
      let revision = -1;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        if (variant === 'project' || variant === 'project-no-notify') {
          const batch: NewEvent[] = Array.from({ length: perAppend }, (_, i) => ({
            type: 'CommitmentActivityRecorded',
            data: payload(revision + 1 + i),
          }));
          const store = variant === 'project' ? stores.project : stores.quiet;
          await store.append(stream, batch, {
            expectedRevision: revision < 0 ? 'no_stream' : revision,
            actor,
          });
        } else {
          const values: unknown[] = [];
          const rows: string[] = [];
          for (let i = 0; i < perAppend; i++) {
            values.push(stream, revision + 1 + i, JSON.stringify(payload(revision + 1 + i)));
            rows.push(`($${values.length - 2}, $${values.length - 1}, $${values.length})`);
          }
          const table = variant === 'raw-jsonb' ? 'bench_raw.events_jsonb' : 'bench_raw.events';
          const insert = `insert into ${table} (stream_id, revision, data) values ${rows.join(', ')}`;
          await pool.query(
            variant === 'raw-notify-in-tx'
              ? `with ins as (${insert} returning 1) select pg_notify('bench_raw', '') from (select count(*) from ins) c`
              : insert,
            values,
            // One name per statement text: a name is prepared once per connection.
            variant === 'raw-unprepared' ? undefined : `bench_${variant}_${perAppend}`,
          );
        }
        latencies.push(performance.now() - t0);
        revision += perAppend;
        events += perAppend;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  const machineAfter = machineBusyMicros();
  return {
    events,
    seconds: (performance.now() - started) / 1000,
    latenciesMs: latencies,
    nodeCpuMicros: cpu.user + cpu.system,
    machineCpuMicros:
      machineBefore === undefined || machineAfter === undefined
        ? undefined
        : machineAfter - machineBefore,
  };
}

export async function appendBench(out: Sink): Promise<void> {
  const url = await benchDatabaseUrl('samverkan_bench');
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query('drop schema if exists event_store cascade');
  await admin.query('drop schema if exists bench_raw cascade');
  await admin.query('create schema bench_raw');
  // data as json, the store's own column type, so the ratio measures the store's machinery and
  // not a difference in how the payload is kept. The jsonb table is the baseline before
  // event-store migration 2 (when the store kept jsonb), printed beside it for comparison.
  await admin.query(
    'create table bench_raw.events (stream_id text not null, revision bigint not null, data json not null, unique (stream_id, revision))',
  );
  await admin.query(
    'create table bench_raw.events_jsonb (stream_id text not null, revision bigint not null, data jsonb not null, unique (stream_id, revision))',
  );
  const settings = await admin.query<{ name: string; setting: string }>(
    "select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'server_version')",
  );
  await admin.end();

  // One pool for everything measured: the project store and the raw baseline share it.
  const pool = new PgSqlClient({ connectionString: url, max: POOL_SIZE });
  const project = new SqlEventStore({
    adapter: 'postgres',
    client: pool,
    signal: new PgChangeSignal(pool.pool, { connectionString: url }),
  });
  // The same store without the post-commit NOTIFY, to show what the notification costs.
  const quiet = new SqlEventStore({
    adapter: 'postgres',
    client: pool,
    signal: new InProcessChangeSignal(),
  });
  await project.start();
  await quiet.start();

  out.line(
    `PostgreSQL ${settings.rows.map((r) => `${r.name}=${r.setting}`).join(' ')}; pool ${POOL_SIZE}; ${ROUNDS} rounds of ${SECONDS_PER_ROUND}s per case, variants interleaved`,
  );
  out.line(
    "events/s: median over rounds; ratios: median of per-round ratios to the baseline run beside it, and the rounds' lowest and highest",
  );
  out.line(
    'raw: the baseline INSERT as a named prepared statement (the target is judged against it); raw-unprepared: the same unnamed, planned on every call (the baseline of the figures before)',
  );
  out.line('');
  out.line('variant             writers  events/append   events/s    p50 ms   p99 ms');
  const ratios: string[] = [];
  for (const perAppend of BATCH_SIZES) {
    for (const writers of [1, 8]) {
      const variants: Variant[] =
        writers === 8
          ? [
              'raw',
              'project',
              'raw-unprepared',
              'project-no-notify',
              'raw-jsonb',
              'raw-notify-in-tx',
            ]
          : ['raw', 'project', 'raw-unprepared'];
      const totals = new Map<Variant, { rates: number[]; latencies: number[] }>();
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate the order each round so that drift on a shared machine hits all alike.
        const order = round % 2 === 0 ? variants : [...variants].reverse();
        for (const variant of order) {
          const m = await run(variant, { project, quiet }, pool, writers, perAppend);
          const t = totals.get(variant) ?? { rates: [], latencies: [] };
          t.rates.push(m.events / m.seconds);
          t.latencies.push(...m.latenciesMs);
          totals.set(variant, t);
        }
      }
      for (const variant of variants) {
        const t = totals.get(variant)!;
        const rate = percentile(t.rates, 50);
        out.line(
          `${variant.padEnd(18)}  ${String(writers).padStart(7)}  ${String(perAppend).padStart(13)}  ${formatRate(rate).padStart(9)}  ${percentile(t.latencies, 50).toFixed(2).padStart(8)} ${percentile(t.latencies, 99).toFixed(2).padStart(8)}`,
        );
      }
      const perRound = (variant: Variant, baseline: Variant): number[] =>
        totals.get(variant)!.rates.map((rate, i) => rate / totals.get(baseline)!.rates[i]!);
      if (writers === 8) {
        out.line(
          `  (raw with NOTIFY inside the insert's transaction runs at ${medianAndSpread(perRound('raw-notify-in-tx', 'raw'))} of raw)`,
        );
        out.line(
          `  (project against a raw table with data as jsonb, as the store kept it before migration 2: ${medianAndSpread(perRound('project', 'raw-jsonb'))})`,
        );
      }
      const what = `${writers} writer${writers === 1 ? '' : 's'}, ${perAppend} event${perAppend === 1 ? '' : 's'}`;
      ratios.push(
        `append ratio (project/raw, ${what}): ${medianAndSpread(perRound('project', 'raw'))}; against the unprepared baseline: ${medianAndSpread(perRound('project', 'raw-unprepared'))}`,
      );
    }
  }
  await project.close();
  await quiet.close().catch(() => undefined);
  out.line('');
  for (const r of ratios) out.line(r);
  await tamperEvidenceAndEncryption(out, url);
}

/** The second half of `append` alone (`npm run bench -- append-protection`). */
export async function appendProtectionBench(out: Sink): Promise<void> {
  await tamperEvidenceAndEncryption(out, await benchDatabaseUrl('samverkan_bench'));
}

/**
 * Issue 13's measure: the store as it runs (each event linked into its stream's hash chain by
 * the insert trigger, personal fields encrypted with keys from the pool) against the same store
 * without either (on a second database where the trigger is dropped, no links computed in Node
 * and no field protection),
 * side by side in one run. The payload is a recorded activity whose `outcome` is free text, so
 * every event is encrypted.
 */
async function tamperEvidenceAndEncryption(out: Sink, url: string): Promise<void> {
  const plainUrl = await benchDatabaseUrl(`${new URL(url).pathname.slice(1)}_plain`);
  const prepared: { url: string; chained: boolean }[] = [
    { url, chained: true },
    { url: plainUrl, chained: false },
  ];
  for (const { url: target } of prepared) {
    const admin = new Client({ connectionString: target });
    await admin.connect();
    await admin.query('drop schema if exists event_store cascade');
    await admin.query('drop schema if exists protection cascade');
    await admin.end();
  }
  const full = new PgSqlClient({ connectionString: url, max: POOL_SIZE });
  const plainClient = new PgSqlClient({ connectionString: plainUrl, max: POOL_SIZE });
  const masterKeys = MasterKeyRing.parse(newMasterKeyEntry('bench'));
  const protectedStore = new SqlEventStore({
    adapter: 'postgres',
    client: full,
    signal: new InProcessChangeSignal(),
    protection: protectionOn(full, masterKeys),
  });
  const plainStore = new SqlEventStore({
    adapter: 'postgres',
    client: plainClient,
    signal: new InProcessChangeSignal(),
  });
  await protectedStore.start();
  await plainStore.start();
  await plainClient.query('drop trigger events_link on event_store.events');
  await plainClient.query('alter table event_store.events alter column link drop not null');
  // Nor does the store compute links in Node for its own appends: the baseline hashes nothing.
  // (The store has no switch for that, rightly; the bench reaches in.)
  (plainStore as unknown as { chain: () => Promise<undefined> }).chain = () =>
    Promise.resolve(undefined);

  out.line('');
  out.line('with tamper evidence and encryption against without (one run, rounds interleaved)');
  out.line(
    'variant             writers  events/append   events/s    p50 ms   p99 ms   CPU µs/event: node  machine',
  );
  const stores = { protected: protectedStore, plain: plainStore };
  const ratios: string[] = [];
  for (const perAppend of BATCH_SIZES) {
    const writers = 8;
    const rates: Record<'protected' | 'plain', number[]> = { protected: [], plain: [] };
    const latencies: Record<'protected' | 'plain', number[]> = { protected: [], plain: [] };
    const cpuPerEvent: Record<'protected' | 'plain', number[]> = { protected: [], plain: [] };
    const machinePerEvent: Record<'protected' | 'plain', number[]> = { protected: [], plain: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order: ('protected' | 'plain')[] =
        round % 2 === 0 ? ['plain', 'protected'] : ['protected', 'plain'];
      for (const variant of order) {
        const m = await run(
          'project',
          { project: stores[variant], quiet: stores[variant] },
          full,
          writers,
          perAppend,
        );
        rates[variant].push(m.events / m.seconds);
        latencies[variant].push(...m.latenciesMs);
        cpuPerEvent[variant].push(m.nodeCpuMicros / m.events);
        if (m.machineCpuMicros !== undefined) {
          machinePerEvent[variant].push(m.machineCpuMicros / m.events);
        }
      }
    }
    for (const variant of ['plain', 'protected'] as const) {
      out.line(
        `${variant.padEnd(18)}  ${String(writers).padStart(7)}  ${String(perAppend).padStart(13)}  ${formatRate(percentile(rates[variant], 50)).padStart(9)}  ${percentile(latencies[variant], 50).toFixed(2).padStart(8)} ${percentile(latencies[variant], 99).toFixed(2).padStart(8)}  ${percentile(cpuPerEvent[variant], 50).toFixed(1).padStart(19)}  ${machinePerEvent[variant].length > 0 ? percentile(machinePerEvent[variant], 50).toFixed(1).padStart(7) : '      -'}`,
      );
    }
    const perRound = rates.protected.map((r, i) => r / rates.plain[i]!);
    ratios.push(
      `append ratio (hash chain and encryption / without, 8 writers, ${perAppend} event${perAppend === 1 ? '' : 's'}): ${percentile(perRound, 50).toFixed(2)}`,
    );
  }
  await protectedStore.close();
  await plainStore.close();
  out.line('');
  for (const r of ratios) out.line(r);
}
