import { createServer, type ServerResponse } from 'node:http';
import type { HealthIndicatorFunction } from '@nestjs/terminus';
import type { Registry } from 'prom-client';
import { answerScrape } from './metrics/metrics-registry';
import { checkAll, readinessOf, ReadinessLog, withoutErrors } from './health/readiness';
import { ShutdownGrace, shutdownGraceSeconds } from './shutdown-grace';

/**
 * What the platform's worker processes (apps/projector, apps/relay) share: probes on a port of
 * their own (0 picks a free one), `GET /metrics` for Prometheus when given a registry (the
 * port is internal, as for the probes), and a stop within the grace period on SIGTERM/SIGINT.
 *
 * - `GET /health/live`: the process answers; it touches no dependency, so an orchestrator
 *   never restarts a worker because the database is away.
 * - `GET /ready` (and `GET /health`, its older name): 200 when every check is up, else 503;
 *   503 from the moment the stop begins. Each check's state and details, never error texts:
 *   the port is not authenticated (the texts are in the log).
 *
 * Plain `node:http` with terminus's indicators rather than a Nest application: a worker serves
 * two routes, and an HTTP framework and a DI container would cost more memory and start-up
 * time than the work they would do here.
 */
export function serveWorker(options: {
  readonly port: number;
  readonly logger: {
    log(message: string): void;
    warn(message: string): void;
    error(message: string): void;
  };
  readonly checks: readonly HealthIndicatorFunction[];
  /** Finishes the work under way (as named steps of `grace`) and closes what is open. */
  readonly stop: (grace: ShutdownGrace) => Promise<void>;
  readonly metrics?: Registry;
}): void {
  const { logger } = options;
  const grace = new ShutdownGrace(shutdownGraceSeconds(), logger);
  const readinessLog = new ReadinessLog(logger);
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (options.metrics && req.method === 'GET' && path === '/metrics') {
      answerScrape(options.metrics, res);
      return;
    }
    if (req.method === 'GET' && path === '/health/live') {
      answer(res, 200, { status: 'ok' });
      return;
    }
    if (req.method !== 'GET' || (path !== '/ready' && path !== '/health')) {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Not Found', status: 404 }));
      return;
    }
    if (grace.stopping) {
      answer(res, 503, { status: 'shutting_down' });
      return;
    }
    checkAll(options.checks).then(
      (result) => {
        readinessLog.note(result);
        const status = readinessOf(result);
        answer(res, status === 'ok' ? 200 : 503, { status, ...withoutErrors(result.details) });
      },
      () => answer(res, 503, { status: 'unavailable' }),
    );
  });
  server.listen(options.port, '0.0.0.0', () => {
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : options.port;
    logger.log(
      `Health at http://localhost:${bound}/health (readiness /ready, liveness /health/live)`,
    );
  });
  const stop = (signal: string) => {
    if (grace.stopping) return;
    grace.beginWithDeadline();
    logger.log(
      `${signal}: finishing the batch under way, then stopping (within ${grace.graceSeconds} s)`,
    );
    options.stop(grace).then(
      () => {
        grace.finished();
        logger.log('Stopped');
        server.close();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`Stopping failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
