import { randomUUID } from 'node:crypto';
import { APPEND_SQL, EXPECTED_ANY } from '../sql/append-statement';

/**
 * The store's own append statement run inside a transaction the test keeps open: a writer that
 * drew its global position and has not committed yet. Used by the SQL adapters' harnesses.
 */
export const HELD_APPEND_SQL = APPEND_SQL;

export function heldAppendParams(streamId: string): unknown[] {
  return [
    streamId,
    EXPECTED_ANY,
    [randomUUID()],
    ['LateCommitted'],
    [1],
    JSON.stringify([{ held: true }]),
    [new Date().toISOString()],
    'user-1',
    'police',
    'officer',
    randomUUID(),
    null,
  ];
}
