import { Logger } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@samverkan/event-store/event-store.port';
import type { DataSource } from 'typeorm';
import type { Projection } from './projection';

export type CatchUpOutcome =
  | { readonly kind: 'caught_up'; readonly position: number; readonly applied: number }
  /** Another process holds this projection's lease: it runs there, not here. */
  | { readonly kind: 'not_leader' }
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
}

/** The checkpoint moved under us: another runner applied these events. Nothing is written. */
export class CheckpointMovedError extends Error {
  constructor(name: string, expected: number) {
    super(`Checkpoint of '${name}' is no longer at ${expected}: another runner moved it`);
    this.name = 'CheckpointMovedError';
  }
}

interface CheckpointRow {
  position: string | number;
  status: 'running' | 'failed';
  failed_position: string | number | null;
  error: string | null;
}

const held = new Set<string>();

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
 */
export class ProjectionRunner {
  private readonly logger = new Logger('Projections');

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly adapter: 'postgres' | 'embedded',
    private readonly batchSize = 500,
  ) {}

  async catchUp(projection: Projection): Promise<CatchUpOutcome> {
    return this.withLease(projection.name, () => this.run(projection));
  }

  async status(name: string): Promise<ProjectionStatus> {
    const row = await this.checkpoint(name);
    return {
      name,
      position: Number(row.position),
      status: row.status,
      failedPosition: row.failed_position === null ? null : Number(row.failed_position),
      error: row.error,
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

  private async run(projection: Projection): Promise<CatchUpOutcome> {
    const start = await this.checkpoint(projection.name);
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
    for (;;) {
      const batch: RecordedEvent[] = [];
      for await (const event of this.store.readAll({ after: position, maxCount: this.batchSize })) {
        batch.push(event);
      }
      if (batch.length === 0) return { kind: 'caught_up', position, applied };
      try {
        await this.applyBatch(projection, batch, position);
      } catch (error) {
        if (error instanceof CheckpointMovedError) throw error;
        return this.isolatePoison(projection, batch, position);
      }
      position = batch[batch.length - 1]!.globalPosition;
      applied += batch.length;
    }
  }

  private async applyBatch(
    projection: Projection,
    batch: readonly RecordedEvent[],
    from: number,
  ): Promise<void> {
    const to = batch[batch.length - 1]!.globalPosition;
    await this.dataSource.transaction(async (tx) => {
      await projection.apply(batch, tx);
      const [moved] = await tx.query<{ n: number }[]>(
        `with moved as (
           update projections.checkpoints set position = $3, updated_at = now()
            where name = $1 and position = $2 and status = 'running'
           returning 1)
         select count(*)::int as n from moved`,
        [projection.name, from, to],
      );
      if (moved?.n !== 1) throw new CheckpointMovedError(projection.name, from);
    });
  }

  /** Applies the failed batch event by event: everything before the poison event lands. */
  private async isolatePoison(
    projection: Projection,
    batch: readonly RecordedEvent[],
    from: number,
  ): Promise<CatchUpOutcome> {
    let position = from;
    for (const event of batch) {
      try {
        await this.applyBatch(projection, [event], position);
        position = event.globalPosition;
      } catch (error) {
        if (error instanceof CheckpointMovedError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        await this.dataSource.query(
          `update projections.checkpoints
              set status = 'failed', failed_position = $2, error = $3, updated_at = now()
            where name = $1`,
          [projection.name, event.globalPosition, message.slice(0, 2000)],
        );
        this.logger.error(
          `Projection '${projection.name}' stopped at event ${event.globalPosition} (${event.type}): ${message}`,
        );
        return { kind: 'failed', failedPosition: event.globalPosition, error: message, position };
      }
    }
    return { kind: 'caught_up', position, applied: 0 };
  }

  private async checkpoint(name: string): Promise<CheckpointRow> {
    await this.dataSource.query(
      `insert into projections.checkpoints (name) values ($1) on conflict (name) do nothing`,
      [name],
    );
    const [row] = await this.dataSource.query<CheckpointRow[]>(
      `select position, status, failed_position, error from projections.checkpoints where name = $1`,
      [name],
    );
    return row!;
  }

  private async withLease(
    name: string,
    work: () => Promise<CatchUpOutcome>,
  ): Promise<CatchUpOutcome> {
    if (this.adapter === 'embedded') {
      if (held.has(name)) return { kind: 'not_leader' };
      held.add(name);
      try {
        return await work();
      } finally {
        held.delete(name);
      }
    }
    // A session lock on a connection held for the run: if this process dies, the server ends
    // the session and the lock with it, and another projector takes over.
    const lease = this.dataSource.createQueryRunner();
    await lease.connect();
    try {
      const rows = (await lease.query(`select pg_try_advisory_lock(hashtext($1)) as locked`, [
        `samverkan.projection.${name}`,
      ])) as unknown as { locked: boolean }[];
      const row = rows[0];
      if (!row?.locked) return { kind: 'not_leader' };
      try {
        return await work();
      } finally {
        await lease.query(`select pg_advisory_unlock(hashtext($1))`, [
          `samverkan.projection.${name}`,
        ]);
      }
    } finally {
      await lease.release();
    }
  }
}
