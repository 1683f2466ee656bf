import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { SqlClient, SqlQueryable } from '../sql/sql-client';

/** A `pg` connection pool as the SQL event store's client. */
export class PgSqlClient implements SqlClient {
  readonly pool: Pool;

  constructor(config: PoolConfig) {
    this.pool = new Pool(config);
    // An idle connection that the server drops must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  async query<Row extends object>(
    text: string,
    params: readonly unknown[] = [],
    name?: string,
  ): Promise<Row[]> {
    const result = await this.pool.query<Row>({
      text,
      values: params as unknown[],
      ...(name ? { name } : {}),
    });
    return result.rows;
  }

  async execScript(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const connection = await this.pool.connect();
    try {
      await connection.query('begin');
      const result = await work(connectionQueryable(connection));
      await connection.query('commit');
      return result;
    } catch (error) {
      await connection.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function connectionQueryable(connection: PoolClient): SqlQueryable {
  return {
    async query<Row extends object>(text: string, params: readonly unknown[] = [], name?: string) {
      const result = await connection.query<Row>({
        text,
        values: params as unknown[],
        ...(name ? { name } : {}),
      });
      return result.rows;
    },
    async execScript(sql: string) {
      await connection.query(sql);
    },
  };
}
