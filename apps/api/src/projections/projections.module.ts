import {
  Inject,
  Module,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { eventStoreConfigFromEnv } from '@samverkan/event-store/event-store.config';
import { EventStoreModule } from '@samverkan/event-store/event-store.module';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { ALL_PROJECTIONS } from '@samverkan/projections/all-projections';
import { ProjectionDaemon } from '@samverkan/projections/projection-daemon';
import { ProjectionRunner } from '@samverkan/projections/projection-runner';
import { openReadModels } from '@samverkan/projections/read-model-data-source';
import type { DataSource } from 'typeorm';
import { AuditTrailController } from './audit-trail.controller';
import { ResidentsController } from './residents.controller';
import { CommitmentTimelineController } from './commitment-timeline.controller';
import { ProjectionsController } from './projections.controller';
import { SituationPictureViewController } from './situation-picture-view.controller';
import { ReadAccessLog } from '../access/read-access-log';
import { CLOCK } from '../commands/request-meta';
import { systemClock } from '@samverkan/shared/clock';
import { choiceSetting } from '@samverkan/shared/configuration/read-setting';
import { READ_MODELS } from './read-models.token';
import { PlacesModule } from '../places/places.module';
import { registerProjectionMetrics } from '@samverkan/projections/projection-metrics';
import { METRICS_REGISTRY } from '@samverkan/shared/metrics/metrics-registry';
import type { Registry } from 'prom-client';
import { GracefulShutdown } from '../health/graceful-shutdown';

/** `in-process` (default) keeps the read models up to date here; `off` leaves it to apps/projector. */
export const projectionsMode = (env: NodeJS.ProcessEnv = process.env): 'in-process' | 'off' =>
  choiceSetting(env, 'SAMVERKAN_PROJECTIONS') ?? 'in-process';

@Module({
  imports: [EventStoreModule, PlacesModule],
  controllers: [
    ProjectionsController,
    AuditTrailController,
    SituationPictureViewController,
    CommitmentTimelineController,
    ResidentsController,
  ],
  providers: [
    ReadAccessLog,
    { provide: CLOCK, useValue: systemClock },
    {
      provide: READ_MODELS,
      inject: [EVENT_STORE],
      useFactory: async (store: EventStore): Promise<DataSource> => {
        // The store is started first: on the embedded default the read models share its session.
        await store.start();
        return openReadModels(eventStoreConfigFromEnv(), store);
      },
    },
    {
      provide: ProjectionRunner,
      inject: [EVENT_STORE, READ_MODELS],
      useFactory: (store: EventStore, dataSource: DataSource) =>
        new ProjectionRunner(store, dataSource, eventStoreConfigFromEnv().adapter),
    },
    {
      provide: ProjectionDaemon,
      inject: [EVENT_STORE, ProjectionRunner],
      useFactory: (store: EventStore, runner: ProjectionRunner) =>
        new ProjectionDaemon(store, runner, ALL_PROJECTIONS),
    },
  ],
  exports: [READ_MODELS, ProjectionDaemon, ProjectionRunner],
})
export class ProjectionsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly daemon: ProjectionDaemon,
    private readonly runner: ProjectionRunner,
    @Inject(READ_MODELS) private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly shutdown: GracefulShutdown,
    @Optional() @Inject(METRICS_REGISTRY) private readonly metrics?: Registry,
  ) {}

  onApplicationBootstrap(): void {
    // Also with SAMVERKAN_PROJECTIONS=off: the checkpoints say how far the projectors are.
    if (this.metrics) {
      registerProjectionMetrics(this.metrics, async () => {
        const head = (await this.store.status()).headPosition;
        return Promise.all(
          this.daemon.projections.map(async (p) => {
            const s = await this.runner.status(p.name);
            return { ...s, lag: Math.max(0, head - s.position) };
          }),
        );
      });
    }
    if (projectionsMode() === 'in-process') this.daemon.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.shutdown.grace.step('projections (the batch under way)', () => this.daemon.stop());
    await this.runner.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
