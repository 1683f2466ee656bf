import { randomUUID } from 'node:crypto';
import { APPEND_STATEMENTS, appendStatementName } from '../sql/append-statement';

/**
 * The store's own append statement run inside a transaction the test keeps open: a writer that
 * drew its global position and has not committed yet. Used by the SQL adapters' harnesses.
 */
export const HELD_APPEND_SQL = APPEND_STATEMENTS.get(appendStatementName('any', false))!;

export function heldAppendParams(streamId: string): unknown[] {
  return [
    streamId,
    null,
    randomUUID(),
    'LateCommitted',
    1,
    JSON.stringify({ held: true }),
    new Date().toISOString(),
    'user-1',
    'police',
    'officer',
    randomUUID(),
    null,
    new Date().toISOString(),
    null,
  ];
}
