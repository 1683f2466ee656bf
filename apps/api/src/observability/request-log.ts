import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { routeTemplate } from '../problems/route-template';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import type { HttpMetrics } from './http-metrics';

/** Probes and scrapes come every few seconds: their lines only at debug level. */
const ROUTINE = new Set(['/health', '/health/live', '/metrics']);

/** Methods as themselves; anything else (a probe of odd verbs) under one label. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * One log line and one measurement per request, when its answer ends: method, route
 * template, status, duration and correlation id. Deliberately not the path, the query, the
 * body, headers, cookies or the client's address: ids in paths and queries can refer to a
 * person, bodies carry free text and references to young people, headers carry credentials,
 * and the platform keeps addresses only as a daily digest (ClientAddresses).
 */
export function observeRequests(
  metrics: HttpMetrics | undefined,
): (req: Request, res: Response, next: NextFunction) => void {
  const logger = new Logger('Http');
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      const route = routeTemplate(req);
      // A stream the client left (the live feed) ends without finishing its answer.
      const status = res.statusCode;
      metrics?.observe(method, route, status, seconds);
      const line = {
        message: `${method} ${route} ${status}`,
        method,
        route,
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
        ...(res.writableFinished ? {} : { aborted: true }),
        correlationId: (req as AuthenticatedRequest).correlationId,
      };
      if (status >= 500) logger.error(line);
      else if (ROUTINE.has(route)) logger.debug(line);
      else logger.log(line);
    });
    next();
  };
}
