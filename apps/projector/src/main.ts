import { createServer } from 'node:http';
import { Logger } from '@nestjs/common';
import { eventStoreConfigFromEnv } from '@samverkan/event-store/event-store.config';
import { ALL_PROJECTIONS } from '@samverkan/projections/all-projections';
import { startProjector } from '@samverkan/projections/projector';

/**
 * apps/projector: keeps the read models up to date outside the API, when it is scaled out
 * (run the API with SAMVERKAN_PROJECTIONS=off). Any number may run on one database: each
 * projection runs in one of them at a time, under a PostgreSQL advisory lock, and moves to
 * another if that one dies. `GET /health` on SAMVERKAN_PROJECTOR_PORT (default 3001) answers
 * with each projection's position, lag and state.
 */
async function main(): Promise<void> {
  const logger = new Logger('Projector');
  const config = eventStoreConfigFromEnv();
  const batchSize = Number(process.env['SAMVERKAN_PROJECTOR_BATCH'] ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new Error('SAMVERKAN_PROJECTOR_BATCH must be an integer from 1 to 10000');
  }
  const projector = await startProjector(config, ALL_PROJECTIONS, batchSize);
  logger.log(
    `Keeping ${ALL_PROJECTIONS.map((p) => p.name).join(', ')} up to date on the ${config.adapter} store (batches of ${batchSize})`,
  );
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/health') {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Not Found', status: 404 }));
      return;
    }
    projector.status().then(
      (projections) => {
        const failed = projections.some((p) => p.status === 'failed');
        res.writeHead(failed ? 503 : 200, { 'content-type': 'application/json' });
        // Unauthenticated: positions and states only; error texts are in the log and the API.
        const shown = projections.map(({ error: _error, ...p }) => p);
        res.end(JSON.stringify({ status: failed ? 'failing' : 'ok', projections: shown }));
      },
      (error: unknown) => {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'down', error: String(error) }));
      },
    );
  });
  const port = Number(process.env['SAMVERKAN_PROJECTOR_PORT'] ?? 3001);
  server.listen(port, '0.0.0.0', () => {
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    logger.log(`Health at http://localhost:${bound}/health`);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: finishing the batch under way, then stopping`);
    server.close();
    projector.stop().then(
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

main().catch((error: unknown) => {
  new Logger('Projector').error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
