import {
  Inject,
  Module,
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
import { READ_MODELS } from './read-models.token';
import { PlacesModule } from '../places/places.module';
import { GracefulShutdown } from '../health/graceful-shutdown';

/** `in-process` (default) keeps the read models up to date here; `off` leaves it to apps/projector. */
export function projectionsMode(env: NodeJS.ProcessEnv = process.env): 'in-process' | 'off' {
  const value = env['SAMVERKAN_PROJECTIONS']?.trim();
  if (value === 'off' || value === 'in-process') return value;
  if (value) throw new Error("SAMVERKAN_PROJECTIONS must be 'in-process' or 'off'");
  return 'in-process';
}

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
    private readonly shutdown: GracefulShutdown,
  ) {}

  onApplicationBootstrap(): void {
    if (projectionsMode() === 'in-process') this.daemon.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.shutdown.grace.step('projections (the batch under way)', () => this.daemon.stop());
    await this.runner.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
