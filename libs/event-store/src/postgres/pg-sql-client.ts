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

  query<Row extends object>(
    text: string,
    params: readonly unknown[] = [],
    name?: string,
  ): Promise<Row[]> {
    return rowsOf<Row>(this.pool, text, params, name);
  }

  async execScript(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const connection = await this.pool.connect();
    let failed = false;
    try {
      await connection.query('begin');
      const result = await work(connectionQueryable(connection));
      await connection.query('commit');
      return result;
    } catch (error) {
      failed = true;
      await connection.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      // After a failure the connection is replaced, as pool.query does: its prepared statements
      // may be what failed (a migration by a newer version changes a column's type, and the old
      // plan then fails with 0A000 on this connection for ever).
      connection.release(failed);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** One statement on the pool or on one of its connections; a name prepares it once per connection. */
async function rowsOf<Row extends object>(
  target: Pool | PoolClient,
  text: string,
  params: readonly unknown[],
  name: string | undefined,
): Promise<Row[]> {
  const result = await target.query<Row>({
    text,
    values: params as unknown[],
    ...(name ? { name } : {}),
  });
  return result.rows;
}

function connectionQueryable(connection: PoolClient): SqlQueryable {
  return {
    query: <Row extends object>(text: string, params: readonly unknown[] = [], name?: string) =>
      rowsOf<Row>(connection, text, params, name),
    async execScript(sql: string) {
      await connection.query(sql);
    },
  };
}
