import { randomUUID } from 'node:crypto';

/**
 * The append function called inside a transaction the test keeps open: a writer that drew its
 * global position and has not committed yet. Used by the SQL adapters' contract harnesses.
 */
export const HELD_APPEND_SQL =
  'select global_positions[1] as position from event_store.append_events($1, -1, $2, $3, $4, $5, $6, $7, $8, $9, $10, null)';

export function heldAppendParams(streamId: string): unknown[] {
  return [
    streamId,
    [randomUUID()],
    ['LateCommitted'],
    [1],
    [JSON.stringify({ held: true })],
    [new Date().toISOString()],
    'user-1',
    'police',
    'officer',
    randomUUID(),
  ];
}
