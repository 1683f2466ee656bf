import { InvalidInputError } from '@samverkan/shared/errors';
import type { Clock } from '@samverkan/shared/clock';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import type { CommandMeta } from './command-meta';

/** The If-Match header as a stream revision: `"3"`, `3` or `W/"3"`. */
function expectedRevision(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  if (!m) {
    throw new InvalidInputError('REQUEST.INVALID', [
      {
        path: 'header If-Match',
        reason: 'must be a stream revision, as the ETag of a read gives it',
      },
    ]);
  }
  return Number(m[1]);
}

export function commandMeta(request: AuthenticatedRequest, clock: Clock): CommandMeta {
  const revision = expectedRevision(request.header('if-match'));
  return {
    actor: request.actor!,
    at: clock.now(),
    correlationId: request.correlationId!,
    ...(revision !== undefined ? { expectedRevision: revision } : {}),
    ...(request.idempotency ? { eventIds: request.idempotency } : {}),
  };
}

export const CLOCK = Symbol('CLOCK');
