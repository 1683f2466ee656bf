import { encodeCursor, type Cursor, type Page, type PageRequest } from './paging';
import type { KeyPart } from './list-query';

/** Parameters of one statement: `p(value)` adds one and gives its placeholder. */
export class SqlParams {
  readonly values: unknown[] = [];

  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** One part of a list's sort key: an SQL expression (never null) and what it holds. */
export interface KeyColumn {
  readonly sql: string;
  readonly type: KeyPart;
}

const typed = (expr: string, type: KeyPart) =>
  type === 'date' ? `(${expr})::date` : `(${expr})::text collate "C"`;

/**
 * Keyset paging, newest first: the order of the key, and the condition "after the cursor" in
 * that order. Text compares by code point ("C"), whatever the database's collation, so a
 * cursor means the same on PostgreSQL and the embedded store.
 */
export function keyset(
  columns: readonly KeyColumn[],
  after: Cursor | null,
  params: SqlParams,
): { orderBy: string; condition: string | null } {
  const orderBy = columns.map((c) => `${typed(c.sql, c.type)} desc`).join(', ');
  if (!after) return { orderBy, condition: null };
  const left = columns.map((c) => typed(c.sql, c.type)).join(', ');
  const right = columns.map((c, i) => typed(params.p(after[i]), c.type)).join(', ');
  return { orderBy, condition: `(${left}) < (${right})` };
}

/**
 * A page from rows fetched with `limit + 1`: the extra row only says that there is more. The
 * next page starts after the last row *read* for this one, not the last item shown, so items
 * the access policy holds back never end a page early or come back on the next one.
 */
export async function pageFromRows<R, T>(
  rows: readonly R[],
  page: PageRequest,
  key: (row: R) => Cursor,
  present: (rows: readonly R[]) => Promise<T[]>,
): Promise<Page<T>> {
  const read = rows.slice(0, page.limit);
  const last = read[read.length - 1];
  return {
    items: await present(read),
    nextCursor: rows.length > page.limit && last ? encodeCursor(key(last)) : null,
  };
}
