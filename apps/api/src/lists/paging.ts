import { InvalidInputError, type InvalidField } from '@samverkan/shared/errors';

/** The most items one page of any list holds: a client pages on, it never gets everything. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

/** Where the next page starts: the sort key of the last item returned, opaque to clients. */
export type Cursor = readonly (string | number)[];

export interface PageRequest {
  readonly limit: number;
  readonly after: Cursor | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Give it as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export function encodeCursor(key: Cursor): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** `limit` and `cursor` from the query, refused with a problem naming the field. */
export function pageRequest(query: { limit?: unknown; cursor?: unknown }): PageRequest {
  const problems: InvalidField[] = [];
  let limit = DEFAULT_PAGE_SIZE;
  if (query.limit !== undefined) {
    const n =
      typeof query.limit === 'string' && /^\d{1,4}$/.test(query.limit) ? Number(query.limit) : NaN;
    if (!(n >= 1 && n <= MAX_PAGE_SIZE)) {
      problems.push({
        path: 'query limit',
        reason: `must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
      });
    } else limit = n;
  }
  let after: Cursor | null = null;
  if (query.cursor !== undefined) {
    after = decodeCursor(query.cursor);
    if (!after) problems.push({ path: 'query cursor', reason: 'is not a cursor this list gave' });
  }
  if (problems.length > 0) throw new InvalidInputError('REQUEST.INVALID', problems);
  return { limit, after };
}

function decodeCursor(value: unknown): Cursor | null {
  if (typeof value !== 'string' || value.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(value)) {
    return null;
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return Array.isArray(parsed) &&
      parsed.length > 0 &&
      parsed.every((k) => typeof k === 'string' || typeof k === 'number')
      ? parsed
      : null;
  } catch {
    return null;
  }
}

/** Orders keys as the lists' SQL does: numbers by value, text by code point ("C" collation). */
export function compareKeys(a: Cursor, b: Cursor): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/**
 * One page of a list held in memory (a small one: the places register, one promise's
 * commitments), sorted by `key`, starting after the cursor.
 */
export function pageOf<T>(
  items: readonly T[],
  key: (item: T) => Cursor,
  page: PageRequest,
): Page<T> {
  const sorted = [...items].sort((a, b) => compareKeys(key(a), key(b)));
  const start = page.after
    ? sorted.filter((item) => compareKeys(key(item), page.after!) > 0)
    : sorted;
  const slice = start.slice(0, page.limit);
  const last = slice[slice.length - 1];
  return {
    items: slice,
    nextCursor: start.length > page.limit && last ? encodeCursor(key(last)) : null,
  };
}
