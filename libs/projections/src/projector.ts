import { createEventStore, type EventStoreConfig } from '@samverkan/event-store/event-store.config';
import type { EventStore } from '@samverkan/event-store/event-store.port';
import type { DataSource } from 'typeorm';
import type { Projection } from './projection';
import { ProjectionDaemon } from './projection-daemon';
import { ProjectionRunner } from './projection-runner';
import { projectionLags, type ProjectionLag } from './projection-readiness';
import { openReadModels } from './read-model-data-source';

/** The store, the read models and a runner over them: what the projector and the CLI share. */
export interface ReadModelEngine {
  readonly config: EventStoreConfig;
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly runner: ProjectionRunner;
  close(): Promise<void>;
}

export async function openReadModelEngine(
  config: EventStoreConfig,
  batchSize?: number,
): Promise<ReadModelEngine> {
  const store = await createEventStore(config);
  await store.start();
  let dataSource: DataSource;
  try {
    dataSource = await openReadModels(config, store);
  } catch (error) {
    await store.close();
    throw error;
  }
  const runner = new ProjectionRunner(store, dataSource, config.adapter, batchSize);
  return {
    config,
    store,
    dataSource,
    runner,
    async close() {
      await runner.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await store.close();
    },
  };
}

/** A running projector: its projections kept up to date, leases shared with other projectors. */
export interface Projector {
  readonly engine: ReadModelEngine;
  readonly daemon: ProjectionDaemon;
  status(): Promise<ProjectionLag[]>;
  stop(): Promise<void>;
}

export async function startProjector(
  config: EventStoreConfig,
  projections: readonly Projection[],
  batchSize?: number,
): Promise<Projector> {
  const engine = await openReadModelEngine(config, batchSize);
  const daemon = new ProjectionDaemon(engine.store, engine.runner, projections);
  daemon.start();
  return {
    engine,
    daemon,
    status: () => projectionLags(engine.store, engine.runner, projections),
    async stop() {
      await daemon.stop();
      await engine.close();
    },
  };
}
