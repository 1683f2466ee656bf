import { Injectable, type NestMiddleware } from '@nestjs/common';
import { randomIds } from '@samverkan/shared/ids';
import { withCorrelation } from '@samverkan/shared/logging/log-context';
import type { NextFunction, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';

const ACCEPTED = /^[\w.:-]{1,100}$/;

/**
 * Every request has a correlation id: the caller's X-Correlation-Id if it is sane, else a new
 * one. It goes into the envelope of every event the request appends, back in the response, and
 * on every log line written while the request is handled (guards, handlers, the store).
 */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(req: AuthenticatedRequest, res: Response, next: NextFunction): void {
    const given = req.header('x-correlation-id');
    req.correlationId = given && ACCEPTED.test(given) ? given : randomIds.newId();
    res.setHeader('X-Correlation-Id', req.correlationId);
    withCorrelation(req.correlationId, next);
  }
}
