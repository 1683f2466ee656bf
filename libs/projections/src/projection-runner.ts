import { Logger } from '@nestjs/common';
import type { EventStoreConfig } from '@samverkan/event-store/event-store.config';
import type { EventStore, RecordedEvent } from '@samverkan/event-store/event-store.port';
import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { Projection } from './projection';
import type { ExpiredRecords } from './retention';
import {
  createTableSet,
  dropTableSet,
  generationOf,
  pointViewsAt,
  tableSetName,
} from './table-sets';

export type CatchUpOutcome =
  | { readonly kind: 'caught_up'; readonly position: number; readonly applied: number }
  /** Another process holds this projection's lease: it runs there, not here. */
  | { readonly kind: 'not_leader' }
  /** Asked to stop: the batch under way committed, the rest waits for the next run. */
  | { readonly kind: 'stopped'; readonly position: number; readonly applied: number }
  | {
      readonly kind: 'failed';
      readonly failedPosition: number;
      readonly error: string;
      readonly position: number;
    };

export interface ProjectionStatus {
  readonly name: string;
  readonly position: number;
  readonly status: 'running' | 'failed';
  readonly failedPosition: number | null;
  readonly error: string | null;
  /** The schema its readers' views point at, e.g. `rm_audit_trail_2`. */
  readonly tableSet: string | null;
  readonly version: number | null;
  /** A rebuild under way (or left by one that was stopped): where it has got to. */
  readonly rebuild: { readonly tableSet: string; readonly position: number } | null;
}

export interface RebuildProgress {
  readonly projection: string;
  readonly tableSet: string;
  readonly position: number;
  /** The log's head when the rebuild last looked; it moves while events keep coming. */
  readonly head: number;
  readonly applied: number;
  readonly elapsedMs: number;
}

export interface RebuildOptions {
  /** Stop at this global position and leave the table set unswitched (to inspect it). */
  readonly until?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** How long the switch-over waits for the live runner to let go of the projection. */
  readonly leaseWaitMs?: number;
}

export interface RebuildOutcome {
  readonly tableSet: string;
  readonly position: number;
  readonly applied: number;
  readonly switchedOver: boolean;
  /** The table set that served before and is now dropped. */
  readonly replaced: string | null;
}

/** The checkpoint moved under us: another runner applied these events. Nothing is written. */
export class CheckpointMovedError extends Error {
  constructor(name: string, expected: number) {
    super(`Checkpoint of '${name}' is no longer at ${expected}: another runner moved it`);
    this.name = 'CheckpointMovedError';
  }
}

export class ProjectionBusyError extends Error {
  constructor(name: string, what: string) {
    super(`Projection '${name}' is busy: ${what}`);
    this.name = 'ProjectionBusyError';
  }
}

interface CheckpointRow {
  position: string | number;
  status: 'running' | 'failed';
  failed_position: string | number | null;
  error: string | null;
  table_set: string;
  version: number;
}

const embeddedHeld = new Set<string>();
const LOCK_NOT_AVAILABLE = '55P03';

/** The lease session: a connection of its own, outside the pool the batches use. */
interface LeaseSession {
  query(sql: string, params?: unknown[]): Promise<unknown[]>;
  end(): Promise<void>;
}

async function waitForLock(q: LeaseSession, key: string, ms: number): Promise<unknown[]> {
  await q.query(`select set_config('lock_timeout', $1, false)`, [`${Math.ceil(ms)}ms`]);
  try {
    await q.query(`select pg_advisory_lock(hashtext($1))`, [key]);
    return [{ locked: true }];
  } finally {
    await q.query(`reset lock_timeout`);
  }
}
const sqlStateOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
const REBUILD = ':rebuild';

/**
 * Applies events to read models in batches. Each batch is read from the log first, then
 * applied in one transaction that also moves the checkpoint by compare-and-set (so a runner
 * that lost its lease cannot apply a batch twice). A batch that throws is retried event by
 * event to find the poison event; the projection then stops with that event's position and
 * the error in its status, and the others go on.
 *
 * One runner per projection at a time: on PostgreSQL a session advisory lock on a connection of
 * its own is the lease; on the embedded store (one process, by the data-folder lock) an
 * in-process one is. Embedded rule: read from the store only outside a read-model transaction.
 *
 * A checkpoint row belongs to a table set. The live one is named after the projection; a
 * rebuild fills a fresh set under `<name>:rebuild` and, caught up, takes the live row's place.
 */
export class ProjectionRunner {
  private readonly logger = new Logger('Projections');
  private lease: Promise<LeaseSession> | undefined;
  private readonly held = new Set<string>();
  private readonly live = new Set<string>();
  private leaseQueue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    /** Leases are advisory locks on a PostgreSQL server (the log's, or the one beside it). */
    private readonly adapter: EventStoreConfig['adapter'],
    private readonly batchSize = 500,
  ) {}

  /** `stopping` is asked after each committed batch: a process shutting down ends there. */
  async catchUp(projection: Projection, stopping?: () => boolean): Promise<CatchUpOutcome> {
    return this.withLease(projection.name, 0, async () => {
      await this.ensureLive(projection);
      return this.run(projection, projection.name, stopping ? { stopping } : {});
    });
  }

  async status(name: string): Promise<ProjectionStatus> {
    const rows = await this.dataSource.query<(CheckpointRow & { name: string })[]>(
      `select name, position, status, failed_position, error, table_set, version
         from projections.checkpoints where name in ($1, $2)`,
      [name, name + REBUILD],
    );
    const live = rows.find((r) => r.name === name);
    const rebuild = rows.find((r) => r.name === name + REBUILD);
    return {
      name,
      position: Number(live?.position ?? 0),
      status: live?.status ?? 'running',
      failedPosition:
        live?.failed_position === null || live === undefined ? null : Number(live.failed_position),
      error: live?.error ?? null,
      tableSet: live?.table_set ?? null,
      version: live?.version ?? null,
      rebuild: rebuild ? { tableSet: rebuild.table_set, position: Number(rebuild.position) } : null,
    };
  }

  /** After the cause of a failure is fixed: the projection goes on from its checkpoint. */
  async resume(name: string): Promise<void> {
    await this.dataSource.query(
      `update projections.checkpoints
          set status = 'running', failed_position = null, error = null, updated_at = now()
        where name = $1`,
      [name],
    );
  }

  /**
   * Rebuilds a projection from the start of the log into a fresh table set while the active one
   * keeps serving (and keeps being kept up to date by the live runner), then switches readers
   * over in one transaction and drops the old set. A rebuild that was stopped resumes from its
   * own checkpoint. With `until`, it stops there and does not switch (to inspect the set).
   */
  async rebuild(projection: Projection, options: RebuildOptions = {}): Promise<RebuildOutcome> {
    const name = projection.name + REBUILD;
    const started = Date.now();
    let applied = 0;
    let head = 0;
    let headReadAt = -Infinity;
    const report = async (position: number, appliedInPass: number) => {
      if (!options.onProgress) return;
      // The head costs a watermark reading: once a second is enough for a progress line.
      if (Date.now() - headReadAt >= 1000) {
        head = (await this.store.status()).headPosition;
        headReadAt = Date.now();
      }
      options.onProgress({
        projection: projection.name,
        tableSet,
        position,
        head: Math.max(head, position),
        applied: applied + appliedInPass,
        elapsedMs: Date.now() - started,
      });
    };
    let tableSet = '';
    const build = async (until?: number): Promise<number> => {
      const outcome = await this.run(projection, name, { until, onBatch: report });
      if (outcome.kind === 'failed') {
        throw new Error(
          `Rebuild of '${projection.name}' stopped at event ${outcome.failedPosition}: ${outcome.error}`,
        );
      }
      if (outcome.kind === 'caught_up') applied += outcome.applied;
      return outcome.kind === 'caught_up' ? outcome.position : 0;
    };
    const result = await this.withLease(name, 0, async () => {
      tableSet = await this.ensureRebuild(projection);
      if (options.until !== undefined) {
        const position = await build(options.until);
        return { tableSet, position, applied, switchedOver: false, replaced: null };
      }
      // Most of the log without holding up the live runner; the rest under its lease.
      await build();
      const switched = await this.withLease(projection.name, options.leaseWaitMs ?? 60_000, () =>
        this.switchOver(projection, name, tableSet, build),
      );
      if ('kind' in switched) throw new ProjectionBusyError(projection.name, 'live runner busy');
      return { ...switched, applied };
    });
    if ('kind' in result) {
      throw new ProjectionBusyError(projection.name, 'another rebuild of it is running');
    }
    return result;
  }

  /**
   * Gallring in a projection's table sets: the live one, and a rebuild's if one is under way,
   * each cleared in one transaction under that set's own lease, so no batch lands meanwhile
   * and no switch-over or drop moves the set away. A batch that read the cutoffs before the job
   * raised them has committed by the time the lease is ours; every later one skips what is
   * past. A rebuild running now holds its lease for its whole length: its set is reported
   * `busy` (what it applied before the cutoffs moved goes on the job's next run).
   */
  async clearExpired(
    projection: Projection,
    expired: ExpiredRecords,
    leaseWaitMs = 30_000,
  ): Promise<{ readonly cleared: number; readonly busy: readonly string[] }> {
    const retention = projection.retention;
    if (!retention) return { cleared: 0, busy: [] };
    let cleared = 0;
    const busy: string[] = [];
    for (const name of [projection.name, projection.name + REBUILD]) {
      const live = name === projection.name;
      const clear = () =>
        this.dataSource.transaction(async (tx) => {
          const [row] = await tx.query<{ table_set: string }[]>(
            `select table_set from projections.checkpoints where name = $1`,
            [name],
          );
          return row ? retention.clearExpired(tx, row.table_set, expired) : 0;
        });
      let outcome: number | { kind: 'not_leader' };
      try {
        outcome = await this.withLease(name, live ? leaseWaitMs : 0, clear);
      } catch (error) {
        if (!(error instanceof ProjectionBusyError)) throw error;
        outcome = { kind: 'not_leader' };
      }
      if (typeof outcome === 'number') cleared += outcome;
      else busy.push(name);
    }
    return { cleared, busy };
  }

  /** Drops a rebuild's table set and checkpoint, e.g. after one stopped with `until`. */
  async discardRebuild(projection: Projection): Promise<void> {
    const name = projection.name + REBUILD;
    await this.withLease(name, 0, () =>
      this.dataSource.transaction(async (tx) => {
        const [row] = await tx.query<{ table_set: string }[]>(
          `delete from projections.checkpoints where name = $1 returning table_set`,
          [name],
        );
        if (row) await dropTableSet(tx, row.table_set);
      }),
    );
  }

  private async switchOver(
    projection: Projection,
    rebuildName: string,
    tableSet: string,
    build: () => Promise<number>,
  ): Promise<RebuildOutcome> {
    await this.ensureLive(projection);
    // Never behind what readers have now. The live runner may have applied events that this
    // process cannot yet tell are final (a fresh process's watermark waits for every
    // transaction older than its first reading, anywhere on the server): switching before they
    // are in the new set would show readers an emptier read model. The live lease is ours, so
    // the live checkpoint stays where it is meanwhile (and the live projection waits, 30 s at
    // most).
    const live = Number((await this.checkpoint(projection.name)).position);
    await this.finalThrough(live);
    const position = await build();
    if (position < live) {
      throw new Error(
        `Rebuild of '${projection.name}' reached ${position}, behind the live read model at ${live}: not switched`,
      );
    }
    const replaced = await this.dataSource.transaction(async (tx) => {
      const [live] = await tx.query<{ table_set: string }[]>(
        `select table_set from projections.checkpoints where name = $1 for update`,
        [projection.name],
      );
      await tx.query(
        `update projections.checkpoints
            set position = $2, table_set = $3, version = $4, status = 'running',
                failed_position = null, error = null, updated_at = now()
          where name = $1`,
        [projection.name, position, tableSet, projection.version],
      );
      await tx.query(`delete from projections.checkpoints where name = $1`, [rebuildName]);
      await pointViewsAt(tx, projection, tableSet);
      return live?.table_set ?? null;
    });
    if (replaced && replaced !== tableSet) {
      await this.dataSource.transaction((tx) => dropTableSet(tx, replaced));
    }
    this.logger.log(
      `'${projection.name}' rebuilt into ${tableSet} up to position ${position}; readers switched over${replaced ? `, ${replaced} dropped` : ''}`,
    );
    return { tableSet, position, applied: 0, switchedOver: true, replaced };
  }

  private async run(
    projection: Projection,
    name: string,
    options: {
      until?: number;
      onBatch?: (position: number, applied: number) => Promise<void>;
      stopping?: () => boolean;
    } = {},
  ): Promise<CatchUpOutcome> {
    const start = await this.checkpoint(name);
    let position = Number(start.position);
    if (start.status === 'failed') {
      return {
        kind: 'failed',
        failedPosition: Number(start.failed_position),
        error: start.error ?? '',
        position,
      };
    }
    let applied = 0;
    if (options.until !== undefined) await this.finalThrough(options.until);
    for (;;) {
      const limit =
        options.until === undefined
          ? this.batchSize
          : Math.min(this.batchSize, options.until - position);
      if (limit <= 0) return { kind: 'caught_up', position, applied };
      const batch: RecordedEvent[] = [];
      const filter = projection.eventTypes ? { types: projection.eventTypes } : undefined;
      // Filtered, a short batch has read every match up to the head seen before the read: the
      // checkpoint moves there, so it keeps up with the log where none of its events come.
      const head = filter
        ? Math.min((await this.store.status()).headPosition, options.until ?? Infinity)
        : 0;
      // Sealed: read models keep personal fields as sealed texts, revealed by the API as it
      // answers, so that destroying a key (erasure, redaction, gallring) reaches them too.
      for await (const event of this.store.readAll({
        after: position,
        maxCount: limit,
        filter,
        personalData: 'sealed',
      })) {
        // Positions may skip numbers (an append rolled back), so `limit` can reach past `until`.
        if (options.until !== undefined && event.globalPosition > options.until) break;
        batch.push(event);
      }
      const last = batch[batch.length - 1]?.globalPosition ?? position;
      const to = batch.length < limit ? Math.max(last, head) : last;
      if (to === position) return { kind: 'caught_up', position, applied };
      try {
        await this.applyBatch(projection, name, start.table_set, batch, position, to);
      } catch (error) {
        if (error instanceof CheckpointMovedError) throw error;
        return this.isolatePoison(projection, name, start.table_set, batch, position);
      }
      position = to;
      applied += batch.length;
      await options.onBatch?.(position, applied);
      if (options.stopping?.()) return { kind: 'stopped', position, applied };
    }
  }

  private async applyBatch(
    projection: Projection,
    name: string,
    tableSet: string,
    batch: readonly RecordedEvent[],
    from: number,
    to = batch[batch.length - 1]!.globalPosition,
  ): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      if (batch.length > 0) await projection.apply(batch, tx, tableSet);
      const [moved] = await tx.query<{ n: number }[]>(
        `with moved as (
           update projections.checkpoints set position = $3, updated_at = now()
            where name = $1 and position = $2 and status = 'running' and table_set = $4
           returning 1)
         select count(*)::int as n from moved`,
        [name, from, to, tableSet],
      );
      if (moved?.n !== 1) throw new CheckpointMovedError(name, from);
    });
  }

  /** Applies the failed batch event by event: everything before the poison event lands. */
  private async isolatePoison(
    projection: Projection,
    name: string,
    tableSet: string,
    batch: readonly RecordedEvent[],
    from: number,
  ): Promise<CatchUpOutcome> {
    let position = from;
    for (const event of batch) {
      try {
        await this.applyBatch(projection, name, tableSet, [event], position);
        position = event.globalPosition;
      } catch (error) {
        if (error instanceof CheckpointMovedError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        // Only if the checkpoint is still ours: a runner that lost its lease marks nothing.
        await this.dataSource.query(
          `update projections.checkpoints
              set status = 'failed', failed_position = $2, error = $3, updated_at = now()
            where name = $1 and position = $4 and table_set = $5`,
          [name, event.globalPosition, message.slice(0, 2000), position, tableSet],
        );
        this.logger.error({
          message: `Projection '${name}' stopped at event ${event.globalPosition} (${event.type}): ${message}`,
          projection: name,
          eventId: event.eventId,
          position: event.globalPosition,
          // The request that wrote the event: its lines in the API's log say what came in.
          correlationId: event.correlationId,
        });
        return { kind: 'failed', failedPosition: event.globalPosition, error: message, position };
      }
    }
    return { kind: 'caught_up', position, applied: 0 };
  }

  /**
   * Waits until the log is final through `position`: only then has every event at or before it
   * become readable (a transaction still open anywhere on the server holds finality back).
   */
  private async finalThrough(position: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.store.status()).headPosition < position) {
      if (Date.now() > deadline) {
        throw new Error(`The log is not final through position ${position} after ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async checkpoint(name: string): Promise<CheckpointRow> {
    const [row] = await this.dataSource.query<CheckpointRow[]>(
      `select position, status, failed_position, error, table_set, version
         from projections.checkpoints where name = $1`,
      [name],
    );
    if (!row) throw new Error(`Projection '${name}' has no checkpoint`);
    return row;
  }

  /** The live table set, made (empty, at position 0) on a projection's first run. */
  async ensureLive(projection: Projection): Promise<void> {
    // Once there, a live checkpoint row stays (a rebuild replaces its table set, not the row):
    // no need to look again on every wake-up.
    if (this.live.has(projection.name)) return;
    await this.dataSource.transaction(async (tx) => {
      const [row] = await tx.query<unknown[]>(
        `select 1 from projections.checkpoints where name = $1`,
        [projection.name],
      );
      if (row) return;
      const tableSet = tableSetName(projection.name, 1);
      await createTableSet(tx, projection, tableSet);
      await pointViewsAt(tx, projection, tableSet);
      await tx.query(
        `insert into projections.checkpoints (name, table_set, version) values ($1, $2, $3)`,
        [projection.name, tableSet, projection.version],
      );
      this.logger.log(`'${projection.name}': table set ${tableSet} created`);
    });
    this.live.add(projection.name);
  }

  /** The rebuild's table set: the one a stopped rebuild left, or a fresh one after the live. */
  private async ensureRebuild(projection: Projection): Promise<string> {
    await this.ensureLive(projection);
    const name = projection.name + REBUILD;
    return this.dataSource.transaction(async (tx: EntityManager) => {
      const [existing] = await tx.query<{ table_set: string; version: number }[]>(
        `select table_set, version from projections.checkpoints where name = $1`,
        [name],
      );
      if (existing && existing.version === projection.version) return existing.table_set;
      if (existing) {
        // Built by an older version of the projection: start again.
        await tx.query(`delete from projections.checkpoints where name = $1`, [name]);
        await dropTableSet(tx, existing.table_set);
      }
      const [live] = await tx.query<{ table_set: string }[]>(
        `select table_set from projections.checkpoints where name = $1`,
        [projection.name],
      );
      let generation = generationOf(live!.table_set) + 1;
      if (existing) generation = Math.max(generation, generationOf(existing.table_set) + 1);
      const tableSet = tableSetName(projection.name, generation);
      await dropTableSet(tx, tableSet); // a leftover of a rebuild that died before its row landed
      await createTableSet(tx, projection, tableSet);
      await tx.query(
        `insert into projections.checkpoints (name, table_set, version) values ($1, $2, $3)`,
        [name, tableSet, projection.version],
      );
      return tableSet;
    });
  }

  /**
   * Runs `work` holding the lease on `name`; `waitMs` 0 gives up at once (`not_leader`), more
   * keeps trying that long (a rebuild's switch-over waits for the live runner's batch to end).
   */
  private async withLease<T>(
    name: string,
    waitMs: number,
    work: () => Promise<T>,
  ): Promise<T | { kind: 'not_leader' }> {
    const deadline = Date.now() + waitMs;
    const pause = () => new Promise((r) => setTimeout(r, 50));
    if (this.adapter === 'embedded') {
      // One process owns the embedded data folder: leases across runners are in-process.
      while (embeddedHeld.has(name)) {
        if (Date.now() >= deadline) return this.busy(name, waitMs);
        await pause();
      }
      embeddedHeld.add(name);
      try {
        return await work();
      } finally {
        embeddedHeld.delete(name);
      }
    }
    // A session lock on the runner's own lease connection: if this process dies, the server
    // ends the session and its locks with it, and another projector takes over. The leases
    // never take connections from the pool the batches need (that could starve them all).
    // Session locks are re-entrant, so within this runner (one session) a set guards too.
    while (this.held.has(name)) {
      if (Date.now() >= deadline) return this.busy(name, waitMs);
      await pause();
    }
    this.held.add(name);
    try {
      const key = `samverkan.projection.${name}`;
      const session = await this.leaseSession();
      for (;;) {
        let locked = false;
        try {
          const rows = (await this.onLeaseSession(session, (q) =>
            waitMs > 0
              ? // Queued behind the holder: try-locks (the live runner's next run) cannot jump
                // ahead of a waiter, so a rebuild's switch-over is not starved by a busy log.
                waitForLock(q, key, Math.max(1, deadline - Date.now()))
              : q.query(`select pg_try_advisory_lock(hashtext($1)) as locked`, [key]),
          )) as { locked: boolean }[];
          locked = rows[0]?.locked === true;
        } catch (error) {
          if (waitMs > 0 && sqlStateOf(error) === LOCK_NOT_AVAILABLE) {
            return this.busy(name, waitMs);
          }
          this.lease = undefined; // the session broke: the next try opens a new one
          throw error;
        }
        if (locked) break;
        if (Date.now() >= deadline) return this.busy(name, waitMs);
        await pause();
      }
      try {
        return await work();
      } finally {
        await this.onLeaseSession(session, (q) =>
          q.query(`select pg_advisory_unlock(hashtext($1))`, [key]),
        ).catch(() => {
          // The session is gone, and its locks with it.
        });
      }
    } finally {
      this.held.delete(name);
    }
  }

  /** One statement at a time on the lease session (a connection runs one query at a time). */
  private onLeaseSession<T>(
    session: LeaseSession,
    work: (q: LeaseSession) => Promise<T>,
  ): Promise<T> {
    const run = this.leaseQueue.then(() => work(session));
    this.leaseQueue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private leaseSession(): Promise<LeaseSession> {
    if (!this.lease) {
      const opening = (async (): Promise<LeaseSession> => {
        // Not from the read models' pool: several runners' leases held for their lifetime
        // would leave the batches no connection.
        const url = (this.dataSource.options as { url?: string }).url;
        const client = new Client({
          connectionString: url,
          application_name: 'samverkan-projection-leases',
        });
        client.on('error', () => {
          if (this.lease === opening) this.lease = undefined;
        });
        await client.connect();
        return {
          query: async (sql, params) => (await client.query(sql, params)).rows as unknown[],
          end: () => client.end(),
        };
      })();
      this.lease = opening;
      // A failed connect (the server restarting) must not stay cached: the next run retries.
      opening.catch(() => {
        if (this.lease === opening) this.lease = undefined;
      });
    }
    return this.lease;
  }

  /** Lets go of every lease this runner holds (its session ends). */
  async close(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    const session = await lease?.catch(() => undefined);
    await session?.end().catch(() => undefined);
  }

  private busy(name: string, waitMs: number): { kind: 'not_leader' } {
    if (waitMs === 0) return { kind: 'not_leader' };
    throw new ProjectionBusyError(name, `its lease was not free within ${waitMs} ms`);
  }
}
