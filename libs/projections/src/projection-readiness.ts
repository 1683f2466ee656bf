import type { EventStore } from '@samverkan/event-store/event-store.port';
import type { Probe } from '@samverkan/shared/health/readiness';
import type { DataSource } from 'typeorm';
import type { Projection } from './projection';
import type { ProjectionRunner, ProjectionStatus } from './projection-runner';

export type ProjectionLag = ProjectionStatus & { headPosition: number; lag: number };

/** Each projection's checkpoint against the log's head: how far its read model is behind. */
export async function projectionLags(
  store: EventStore,
  runner: ProjectionRunner,
  projections: readonly Projection[],
): Promise<ProjectionLag[]> {
  const head = (await store.status()).headPosition;
  return Promise.all(
    projections.map(async (p) => {
      const s = await runner.status(p.name);
      return { ...s, headPosition: head, lag: Math.max(0, head - s.position) };
    }),
  );
}

/** Readiness of the read-model database: it answers a query. */
export function readModelsProbe(dataSource: DataSource): Probe {
  return async () => {
    await dataSource.query('select 1');
    return { up: true };
  };
}

/**
 * Each projection's position, lag and state. `failedIsDown`: a projection stopped at a poison
 * event makes this process not ready (the projector, whose work it is); the API still serves
 * every other view, so there it is shown, not a reason to take the API out of the balancer.
 * Never the handler's error text: it can quote an event's data (GET /projections shows it to
 * auditors).
 */
export function projectionsProbe(
  store: EventStore,
  runner: ProjectionRunner,
  projections: readonly Projection[],
  options: { readonly failedIsDown: boolean },
): Probe {
  return async () => {
    const lags = await projectionLags(store, runner, projections);
    const details = Object.fromEntries(
      lags.map((p) => [
        p.name,
        {
          state: p.status,
          position: p.position,
          lag: p.lag,
          failedPosition: p.failedPosition,
          tableSet: p.tableSet,
          rebuild: p.rebuild,
        },
      ]),
    );
    const failed = lags.some((p) => p.status === 'failed');
    return { up: !(failed && options.failedIsDown), details };
  };
}
