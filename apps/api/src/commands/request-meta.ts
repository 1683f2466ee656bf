import { InvalidInputError } from '@samverkan/shared/errors';
import type { Clock } from '@samverkan/shared/clock';
import { randomIds } from '@samverkan/shared/ids';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import type { CommandBus } from '@nestjs/cqrs';
import type { CommandMeta, WithoutIssued } from './command-meta';
import type { WriteResult } from './write-result';

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

/**
 * Sends a command on the bus as a controller receives it: the actor and the time come from the
 * request, and the data is copied into plain objects (DTOs are class instances, which the store
 * refuses as event data). Creating routes add the id of what they created to the answer.
 */
export async function dispatch<Command>(
  bus: CommandBus,
  request: AuthenticatedRequest,
  clock: Clock,
  command: WithoutIssued<Command>,
  toMessage: (full: Command, meta: CommandMeta) => object,
  id?: string,
): Promise<WriteResult> {
  const meta = commandMeta(request, clock);
  const full = { ...structuredClone(command), by: meta.actor, at: meta.at } as Command;
  const result = await bus.execute<object, WriteResult>(toMessage(full, meta));
  return id ? { ...result, id } : result;
}

/**
 * The id of what a command creates when the client gave none. With an Idempotency-Key it is
 * derived from the key, so a retry that finds its first attempt's events answers with the same
 * id; without one it is a new UUIDv7.
 */
export function newResourceId(request: AuthenticatedRequest): string {
  return request.idempotency?.resourceId() ?? randomIds.newId();
}
