import { Logger } from '@nestjs/common';
import { eventStoreConfigFromEnv } from '@samverkan/event-store/event-store.config';
import { ALL_PROJECTIONS } from '@samverkan/projections/all-projections';
import { startProjector } from '@samverkan/projections/projector';
import { eventStoreProbe } from '@samverkan/event-store/event-store-readiness';
import { projectionsProbe, readModelsProbe } from '@samverkan/projections/projection-readiness';
import { indicator } from '@samverkan/shared/health/readiness';
import { serveWorker } from '@samverkan/shared/worker-process';
import { STORE_PARSERS } from '@samverkan/event-store/configuration-parsers';
import { integerSetting } from '@samverkan/shared/configuration/read-setting';
import { exitOnConfigurationProblems } from '@samverkan/shared/configuration/validate-configuration';
import { useJsonLogs } from '@samverkan/shared/logging/json-logger';
import { newMetricsRegistry } from '@samverkan/shared/metrics/metrics-registry';
import { registerProjectionMetrics } from '@samverkan/projections/projection-metrics';

/**
 * apps/projector: keeps the read models up to date outside the API, when it is scaled out
 * (run the API with SAMVERKAN_PROJECTIONS=off). Any number may run on one database: each
 * projection runs in one of them at a time, under a PostgreSQL advisory lock, and moves to
 * another if that one dies. On SAMVERKAN_PROJECTOR_PORT (default 3001): `GET /ready` (and
 * `/health`) with each projection's position, lag and state, `GET /health/live`.  `GET /metrics` gives
 * Prometheus the same. SIGTERM ends
 * each projection after the batch under way commits.
 */
async function main(): Promise<void> {
  useJsonLogs('projector');
  const logger = new Logger('Projector');
  exitOnConfigurationProblems('projector', STORE_PARSERS, (line, level) =>
    Logger[level](line, 'Configuration'),
  );
  const config = eventStoreConfigFromEnv();
  const batchSize = integerSetting(process.env, 'SAMVERKAN_PROJECTOR_BATCH');
  const projector = await startProjector(config, ALL_PROJECTIONS, batchSize);
  logger.log(
    `Keeping ${ALL_PROJECTIONS.map((p) => p.name).join(', ')} up to date on the ${config.adapter} store (batches of ${batchSize})`,
  );
  const metrics = newMetricsRegistry();
  registerProjectionMetrics(metrics, () => projector.status());
  const { store, dataSource, runner } = projector.engine;
  serveWorker({
    port: integerSetting(process.env, 'SAMVERKAN_PROJECTOR_PORT'),
    logger,
    metrics,
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
