import {
  HttpStatus,
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { conflict, rejected } from '@samverkan/domain/domain-error';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from '@samverkan/event-store/idempotency.port';
import { InvalidInputError } from '@samverkan/shared/errors';
import type { Response } from 'express';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';

/** How long a claimed key waits before a retry may take over an unfinished first attempt. */
const LEASE_MS = 30_000;
const KEY = /^[\x21-\x7e]{8,200}$/;

/** A UUID (version 8, RFC 9562) derived from the key: the same events get the same ids on every retry. */
export function derivedEventId(scope: string, key: string, index: number): string {
  const h = createHash('sha256').update(`${scope}\n${key}\n${index}`).digest();
  h[6] = 0x80 | (h[6]! & 0x0f);
  h[8] = 0x80 | (h[8]! & 0x3f);
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * `Idempotency-Key` on a write: the first request runs and its answer is kept; a retry with
 * the same key and the same request gets that answer and writes nothing; the same key with a
 * different request is refused. Keys are per caller. Failed requests give their key up.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.header('idempotency-key');
    if (key === undefined || request.method !== 'POST' || !request.actor) return next.handle();
    return from(this.run(request, context.switchToHttp().getResponse<Response>(), key, next));
  }

  private async run(
    request: AuthenticatedRequest,
    response: Response,
    key: string,
    next: CallHandler,
  ): Promise<unknown> {
    if (!KEY.test(key)) {
      throw new InvalidInputError('REQUEST.INVALID', [
        { path: 'header Idempotency-Key', reason: 'must be 8 to 200 visible ASCII characters' },
      ]);
    }
    const actor = request.actor!;
    const scope = `${actor.agency}:${actor.userId}`;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.originalUrl}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const claim = await this.store.claim(scope, key, requestHash, LEASE_MS);
    switch (claim.kind) {
      case 'answered':
        response.status(claim.answer.statusCode).setHeader('Idempotent-Replayed', 'true');
        return claim.answer.body;
      case 'in_progress':
        throw conflict(
          'IDEMPOTENCY.IN_PROGRESS',
          'A request with this Idempotency-Key is still running; retry shortly',
        );
      case 'mismatch':
        throw rejected(
          'IDEMPOTENCY.KEY_REUSED',
          'This Idempotency-Key was used for a different request; use a new key for a new request',
        );
      case 'claimed':
        break;
    }
    request.idempotency = {
      eventId: (index) => derivedEventId(scope, key, index),
      resourceId: () => derivedEventId(scope, key, -1),
    };
    try {
      const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const statusCode = response.statusCode || HttpStatus.CREATED;
      await this.store.complete(scope, key, { statusCode, body });
      return body;
    } catch (error) {
      await this.store.release(scope, key).catch(() => undefined);
      throw error;
    }
  }
}
