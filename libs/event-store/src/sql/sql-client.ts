/**
 * The little the SQL event store needs from a PostgreSQL connection. Two implementations: a `pg`
 * pool (a PostgreSQL server) and PGlite (PostgreSQL compiled to WebAssembly, in-process), so
 * both adapters run the very same SQL.
 */
export interface SqlQueryable {
  /**
   * Runs one statement. A `name` makes it a named prepared statement where the driver supports
   * it, so the server parses and plans it once per connection instead of on every call.
   */
  query<Row extends object>(
    text: string,
    params?: readonly unknown[],
    name?: string,
  ): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  execScript(sql: string): Promise<void>;
}

export interface SqlClient extends SqlQueryable {
  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A PostgreSQL error as both drivers report it: SQLSTATE code and, for violations, the constraint. */
export function sqlState(error: unknown): { code?: string; constraint?: string } {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as { code?: unknown; constraint?: unknown };
  return {
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.constraint === 'string' ? { constraint: e.constraint } : {}),
  };
}
