import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@samverkan/domain/actor';
import type { Request } from 'express';
import type { Caller } from './authenticator';

/** The authenticated caller, set by the AuthGuard: the actor of every event a command appends. */
export interface AuthenticatedRequest extends Request {
  actor?: Actor;
  /** Who signed in, also while no role is granted yet. */
  caller?: Caller;
  correlationId?: string;
  /** Set by the IdempotencyInterceptor: ids derived from the Idempotency-Key. */
  idempotency?: { eventId(index: number): string; resourceId(): string };
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without the AuthGuard');
  return actor;
});
