import { EventEmitter } from 'node:events';
import type { PGlite, Transaction } from '@electric-sql/pglite';

/**
 * A `pg`-shaped driver for TypeORM's postgres type over the embedded store's own PGlite.
 *
 * PGlite is one session: two callers' statements would interleave inside each other's
 * transactions (a read model's half-written batch visible to an append, a rollback undoing
 * someone else's insert). So a TypeORM connection *leases* the session: `connect()` enters
 * PGlite's transaction lock and holds it until TypeORM releases the connection. Inside, the
 * session is put back into autocommit so TypeORM's own BEGIN/COMMIT/ROLLBACK pass through.
 * Everyone else (the event store, other connections) waits their turn.
 *
 * The rule that follows: never await the event store while holding a TypeORM connection or
 * transaction on the embedded store; it would wait for the lease held by the awaiting code.
 */
export function pgliteLeaseDriver(db: PGlite): { Pool: new () => unknown } {
  const commandOf = (text: string): string => (/^\s*(\w+)/.exec(text)?.[1] ?? '').toUpperCase();

  class LeasedClient extends EventEmitter {
    constructor(private readonly tx: Transaction) {
      super();
    }

    query(
      text: string | { text: string; values?: unknown[] },
      params?: unknown[] | ((error: unknown, result?: unknown) => void),
      callback?: (error: unknown, result?: unknown) => void,
    ): Promise<unknown> {
      const sql = typeof text === 'string' ? text : text.text;
      let values = typeof text === 'string' ? undefined : text.values;
      if (typeof params === 'function') callback = params;
      else if (params) values = params;
      const run = async () => {
        if (values && values.length > 0) {
          const r = await this.tx.query(sql, values);
          return {
            rows: r.rows,
            rowCount: r.affectedRows ?? r.rows.length,
            command: commandOf(sql),
          };
        }
        const results = await this.tx.exec(sql);
        const last = results[results.length - 1];
        return {
          rows: last?.rows ?? [],
          rowCount: last?.affectedRows ?? last?.rows.length ?? 0,
          command: commandOf(sql),
        };
      };
      const result = run();
      if (callback) {
        const cb = callback;
        result.then(
          (r) => cb(null, r),
          (e: unknown) => cb(e),
        );
      }
      return result;
    }

    release(): void {
      // TypeORM calls the release callback given by connect(); nothing to do here.
    }
  }

  class Pool extends EventEmitter {
    connect(
      callback?: (error: unknown, client?: LeasedClient, done?: () => void) => void,
    ): Promise<[LeasedClient, () => void]> {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const leased = new Promise<LeasedClient>((resolve, reject) => {
        db.transaction(async (tx) => {
          // Leave PGlite's BEGIN at once: the lock stays held, TypeORM runs its own transactions.
          await tx.exec('COMMIT');
          resolve(new LeasedClient(tx));
          await released;
          // A transaction TypeORM left open (a crashed query runner) must not leak to the next.
          await tx.exec('ROLLBACK').catch(() => undefined);
        }).catch(reject);
      });
      const done = (): void => release();
      const result = leased.then((client): [LeasedClient, () => void] => [client, done]);
      if (callback) {
        result.then(
          ([client]) => callback(null, client, done),
          (error: unknown) => callback(error, undefined, done),
        );
      }
      return result;
    }

    end(callback?: (error?: unknown) => void): Promise<void> {
      callback?.();
      return Promise.resolve();
    }
  }

  return { Pool };
}
