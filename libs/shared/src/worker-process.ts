import { createServer } from 'node:http';
import type { Registry } from 'prom-client';
import { answerScrape } from './metrics/metrics-registry';

/**
 * What the platform's worker processes (apps/projector, apps/relay) share: `GET /health` on a
 * port of their own (0 picks a free one), answered from `health()` (503 unless ok, or when it
 * throws), `GET /metrics` for Prometheus when given a registry (the port is internal, as for
 * health), and a clean stop on SIGTERM/SIGINT.
 */
export function serveWorker(options: {
  readonly port: number;
  readonly logger: { log(message: string): void; error(message: string): void };
  /** `ok` false answers 503; `body` is shown to anyone who asks, so no error texts in it. */
  readonly health: () => Promise<{ ok: boolean; body: Record<string, unknown> }>;
  /** Finishes the work under way and closes what is open. */
  readonly stop: () => Promise<void>;
  readonly metrics?: Registry;
}): void {
  const { logger } = options;
  const server = createServer((req, res) => {
    if (options.metrics && req.method === 'GET' && req.url === '/metrics') {
      answerScrape(options.metrics, res);
      return;
    }
    if (req.method !== 'GET' || req.url !== '/health') {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Not Found', status: 404 }));
      return;
    }
    options.health().then(
      ({ ok, body }) => {
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'failing', ...body }));
      },
      (error: unknown) => {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'down', error: String(error) }));
      },
    );
  });
  server.listen(options.port, '0.0.0.0', () => {
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : options.port;
    logger.log(`Health at http://localhost:${bound}/health`);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: finishing the batch under way, then stopping`);
    server.close();
    options.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`Stopping failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
