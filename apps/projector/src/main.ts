import { Logger } from '@nestjs/common';
import { eventStoreConfigFromEnv } from '@samverkan/event-store/event-store.config';
import { ALL_PROJECTIONS } from '@samverkan/projections/all-projections';
import { startProjector } from '@samverkan/projections/projector';
import { eventStoreProbe } from '@samverkan/event-store/event-store-readiness';
import { projectionsProbe, readModelsProbe } from '@samverkan/projections/projection-readiness';
import { indicator } from '@samverkan/shared/health/readiness';
import { serveWorker } from '@samverkan/shared/worker-process';

/**
 * apps/projector: keeps the read models up to date outside the API, when it is scaled out
 * (run the API with SAMVERKAN_PROJECTIONS=off). Any number may run on one database: each
 * projection runs in one of them at a time, under a PostgreSQL advisory lock, and moves to
 * another if that one dies. On SAMVERKAN_PROJECTOR_PORT (default 3001): `GET /ready` (and
 * `/health`) with each projection's position, lag and state, `GET /health/live`. SIGTERM ends
 * each projection after the batch under way commits.
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
  const { store, dataSource, runner } = projector.engine;
  serveWorker({
    port: Number(process.env['SAMVERKAN_PROJECTOR_PORT'] ?? 3001),
    logger,
    checks: [
      indicator('eventStore', eventStoreProbe(store)),
      indicator('readModels', readModelsProbe(dataSource)),
      // Its own work: a projection stopped at a poison event makes the projector not ready.
      indicator(
        'projections',
        projectionsProbe(store, runner, ALL_PROJECTIONS, { failedIsDown: true }),
      ),
    ],
    stop: (grace) => grace.step('projections (the batch under way)', () => projector.stop()),
  });
}

main().catch((error: unknown) => {
  new Logger('Projector').error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
