import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { SqlClient, SqlQueryable } from '../sql/sql-client';

/**
 * PGlite (PostgreSQL in WebAssembly, in this process) as the SQL event store's client. PGlite is
 * one database session: it runs one statement or transaction at a time and queues the rest, so
 * the embedded store has one writer at a time by construction.
 */
export class PgliteSqlClient implements SqlClient {
  constructor(readonly db: PGlite) {}

  async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.db.query<Row>(text, [...params]);
    return result.rows;
  }

  async execScript(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(transactionQueryable(tx)));
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

function transactionQueryable(tx: Transaction): SqlQueryable {
  return {
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      return (await tx.query<Row>(text, [...params])).rows;
    },
    async execScript(sql: string) {
      await tx.exec(sql);
    },
  };
}
