import { readFileSync } from 'node:fs';
import { Client } from 'pg';

export interface Sink {
  line(text: string): void;
}

export const stdout: Sink = { line: (text) => process.stdout.write(`${text}\n`) };

/**
 * The database the benchmarks use: BENCH_DATABASE_URL, else DATABASE_URL, else a database of
 * the given name on the local server. It is created when missing.
 */
export async function benchDatabaseUrl(defaultName: string): Promise<string> {
  const url =
    process.env['BENCH_DATABASE_URL'] ??
    process.env['DATABASE_URL'] ??
    `postgres://postgres@127.0.0.1:5432/${defaultName}`;
  const target = new URL(url);
  const name = target.pathname.replace(/^\//, '');
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = new Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await admin.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  return url;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** A ratio's median over rounds with the rounds' lowest and highest: `0.72 (0.68–0.75)`. */
export function medianAndSpread(values: readonly number[]): string {
  return `${percentile(values, 50).toFixed(2)} (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
}

export function formatRate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US');
}

/**
 * CPU time the whole machine has spent busy (every process, user and system), in µs, from
 * Linux's /proc/stat; undefined elsewhere. The difference over a run, beside the Node process's
 * own, says how much of the work was the database's.
 */
export function machineBusyMicros(): number | undefined {
  try {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const ticks = cpu!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
    const busy = ticks.slice(0, 8).reduce((sum, t, i) => (i === 3 || i === 4 ? sum : sum + t), 0);
    return (busy * 1_000_000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
