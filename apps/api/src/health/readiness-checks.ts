import { eventStoreProbe } from '@samverkan/event-store/event-store-readiness';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { kafkaProbe } from '@samverkan/integration/kafka/broker-reachability';
import type { Relay } from '@samverkan/integration/relay/relay';
import { probeKafkaClient, relayConfigFromEnv } from '@samverkan/integration/relay/relay-config';
import { relayProbe } from '@samverkan/integration/relay/relay-readiness';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { projectionsProbe, readModelsProbe } from '@samverkan/projections/projection-readiness';
import { ProjectionRunner } from '@samverkan/projections/projection-runner';
import { indicator } from '@samverkan/shared/health/readiness';
import type { FactoryProvider } from '@nestjs/common';
import type { HealthIndicatorFunction } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import { READ_MODELS } from '../projections/read-models.token';
import { RELAY } from '../relay/relay.token';

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/**
 * What the API needs to serve: the log, the read-model database, and, when this process
 * relays, Kafka and the relay. The projections are shown (position, lag, state), not a reason
 * to be down: a projection stopped at a poison event leaves every other view served.
 */
export const readinessChecks: FactoryProvider<HealthIndicatorFunction[]> = {
  provide: READINESS_CHECKS,
  inject: [EVENT_STORE, READ_MODELS, ProjectionRunner, ProjectionDaemon, RELAY],
  useFactory: (
    store: EventStore,
    readModels: DataSource,
    runner: ProjectionRunner,
    daemon: ProjectionDaemon,
    relay: Relay | null,
  ) => {
    const checks = [
      indicator('eventStore', eventStoreProbe(store)),
      indicator('readModels', readModelsProbe(readModels)),
      indicator(
        'projections',
        projectionsProbe(store, runner, daemon.projections, { failedIsDown: false }),
      ),
    ];
    const relayConfig = relayConfigFromEnv();
    if (relay && relayConfig) {
      checks.push(
        indicator('kafka', kafkaProbe(probeKafkaClient(relayConfig))),
        indicator('relay', relayProbe(relay)),
      );
    }
    return checks;
  },
};
