import { isLocalDate, swedishDate } from '@samverkan/domain/calendar';
import type { RecordedEvent } from '@samverkan/event-store/event-store.port';

import { InvalidInputError } from '@samverkan/shared/errors';

export const AS_OF_DESCRIPTION =
  'Time travel: as it stood at a global position (an integer) or at the end of a Swedish date (YYYY-MM-DD) or an instant (ISO 8601), by when events were recorded; answered from the log';

/**
 * Which events an "as of" read sees: up to a global position, or recorded by the end of a
 * Swedish date or by an instant. What the partnership knew then, not what it knows now of then.
 */
export function asOfFilter(asOf: string | undefined): (event: RecordedEvent) => boolean {
  if (asOf === undefined) return () => true;
  if (/^\d{1,15}$/.test(asOf)) {
    const position = Number(asOf);
    return (e) => e.globalPosition <= position;
  }
  if (isLocalDate(asOf)) return (e) => swedishDate(e.recordedAt) <= asOf;
  const instant = Date.parse(asOf);
  if (/^\d{4}-\d{2}-\d{2}T/.test(asOf) && !Number.isNaN(instant)) {
    return (e) => e.recordedAt.getTime() <= instant;
  }
  throw new InvalidInputError('REQUEST.INVALID', [
    {
      path: 'query asOf',
      reason: 'must be a global position, a date YYYY-MM-DD or an ISO 8601 instant',
    },
  ]);
}
